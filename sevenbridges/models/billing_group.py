"""Billing groups (``api.billing_groups``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sevenbridges.meta.fields import (
    BooleanField,
    CompoundField,
    HrefField,
    StringField,
    UuidField,
)
from sevenbridges.meta.resource import Resource, equal_by, paged_query
from sevenbridges.models.billing_analysis_breakdown import (
    BillingGroupAnalysisBreakdown,
)
from sevenbridges.models.billing_egress_breakdown import (
    BillingGroupEgressBreakdown,
)
from sevenbridges.models.billing_storage_breakdown import (
    BillingGroupStorageBreakdown,
)
from sevenbridges.models.compound.price import Price

if TYPE_CHECKING:
    from sevenbridges.meta.collection import Collection


class BillingGroup(Resource):
    """A billing group: what projects and tasks are charged to.

    Example::

        group = api.billing_groups.query()[0]
        print(group.name, group.balance.amount, group.balance.currency)
    """
    _URL = {
        'query': '/billing/groups',
        'get': '/billing/groups/{id}',
    }

    href = HrefField(read_only=True)
    id = UuidField(read_only=True)
    owner = StringField(read_only=True)
    name = StringField(read_only=True)
    type = StringField(read_only=True)
    pending = BooleanField(read_only=True)
    disabled = BooleanField(read_only=False)
    balance = CompoundField(Price, read_only=True)

    def __str__(self):
        return f'<BillingGroup: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    query = paged_query('The billing groups the user can charge.', fields='_all')

    def analysis_breakdown(
            self, date_from: str | None = None, date_to: str | None = None,
            invoice_id: str | None = None, fields: str | None = None,
            offset: int | None = None, limit: int | None = None) -> Collection:
        """The analysis costs of this group (see
        :class:`BillingGroupAnalysisBreakdown`)."""
        return BillingGroupAnalysisBreakdown.query(
            self.id, api=self._api, date_from=date_from, date_to=date_to,
            invoice_id=invoice_id, fields=fields, offset=offset, limit=limit)

    def storage_breakdown(
            self, date_from: str | None = None, date_to: str | None = None,
            invoice_id: str | None = None, fields: str | None = None,
            offset: int | None = None, limit: int | None = None) -> Collection:
        """The storage costs of this group (see
        :class:`BillingGroupStorageBreakdown`)."""
        return BillingGroupStorageBreakdown.query(
            self.id, api=self._api, date_from=date_from, date_to=date_to,
            invoice_id=invoice_id, fields=fields, offset=offset, limit=limit)

    def egress_breakdown(
            self, date_from: str | None = None, date_to: str | None = None,
            invoice_id: str | None = None, fields: str | None = None,
            offset: int | None = None, limit: int | None = None) -> Collection:
        """The egress costs of this group (see
        :class:`BillingGroupEgressBreakdown`)."""
        return BillingGroupEgressBreakdown.query(
            self.id, api=self._api, date_from=date_from, date_to=date_to,
            invoice_id=invoice_id, fields=fields, offset=offset, limit=limit)
