"""Billing groups."""
import uuid

from sevenbridges.emulator.state.errors import ApiError


class BillingGroups:
    """The ``billing_groups`` collection.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    """

    def __init__(self, store):
        self.store = store

    def add(self, owner, name, group_id=None, members=None):
        """A new billing group of ``owner`` (its id made up unless
        given), with 1000 USD on it."""
        return self.store.put('billing_groups', {
            'id': group_id or str(uuid.uuid4()), 'owner': owner,
            'name': name, 'type': 'regular', 'pending': False,
            'disabled': False,
            'balance': {'currency': 'USD', 'amount': 1000.0},
            '_members': members or [owner]})

    def of(self, user):
        """The billing groups ``user`` is a member of."""
        return [group for group in self.store.find('billing_groups')
                if user['username'] in group['_members']]

    def get(self, user, group_id):
        """A billing group of ``user`` (a 404 for another)."""
        group = self.store.get('billing_groups', group_id)
        if group is None or user['username'] not in group['_members']:
            raise ApiError(404, f'Billing group {group_id} not found.')
        return group
