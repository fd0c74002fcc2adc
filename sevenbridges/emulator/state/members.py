"""Members of shared resources (projects, volumes, datasets, automations):
one behaviour for all of them."""
from sevenbridges.emulator.state.checks import field
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.teams import GROUPS


def check_access(permissions, need, kind, resource_id, code):
    """A 404 (``code``) when ``permissions`` do not let read the
    ``kind`` (``'Project'``...) ``resource_id``, a 403 when they do not
    let ``need``."""
    if not permissions.get('read'):
        raise ApiError(404, f'{kind} {resource_id} not found.', code)
    if not permissions.get(need):
        raise ApiError(403, f'Insufficient privileges ({need}) on '
                            f'{kind.lower()} {resource_id}.', 6001)


class Memberships:
    """The members of one kind of resource, stored in ``collection`` as
    ``<resource id>:<member id>`` documents indexed by the resource.

    :param defaults: the permissions a new member gets unless told
        otherwise.
    :param users: the :class:`~sevenbridges.emulator.state.users.Users`.
    :param teams: the :class:`~sevenbridges.emulator.state.teams.Teams`
        (teams and divisions that can be members).
    """

    def __init__(self, store, collection, defaults, users, teams):
        self.store = store
        self.collection = collection
        self.defaults = defaults
        self.users = users
        self.teams = teams

    def add(self, resource_id, member_id, kind='USER', permissions=None,
            name=None):
        """A new member (a user must exist; a member only once)."""
        if kind == 'USER':
            self.users.get(member_id)
        elif kind in GROUPS and not self.teams.group(kind, member_id):
            raise ApiError(404, f'{kind.capitalize()} {member_id} not found.')
        if self.find(resource_id, member_id):
            raise ApiError(409, f'{member_id} is already a member.', 5005)
        if permissions is not None and not isinstance(permissions, dict):
            raise ApiError(400, 'permissions must be an object.', 9000)
        is_user = kind == 'USER'
        member = {'id': f'{resource_id}:{member_id}',
                  'username': member_id if is_user else None,
                  'email': f'{member_id}@example.org' if is_user else None,
                  'type': kind, 'name': name or member_id,
                  'permissions': dict(self.defaults, **(permissions or {}))}
        return self.store.put(self.collection, member, project=resource_id)

    def invite(self, resource_id, body, kinds=('USER',)):
        """A new member from a request's body: a ``username`` (or an
        ``email``, whose name is the username), a ``type`` among
        ``kinds``, ``permissions``."""
        username = field(body, 'username', str) or \
            (field(body, 'email', str) or '').split('@')[0]
        if not username:
            raise ApiError(400, 'A username or an email is required.', 9000)
        kind = body.get('type', 'USER')
        if kind not in kinds:
            raise ApiError(400, f'type must be one of {", ".join(kinds)}.',
                           9000)
        return self.add(resource_id, username, kind, body.get('permissions'))

    def of(self, resource_id):
        return self.store.find(self.collection, project=resource_id)

    def find(self, resource_id, member_id):
        return self.store.get(self.collection, f'{resource_id}:{member_id}')

    def get(self, resource_id, member_id):
        member = self.find(resource_id, member_id)
        if member is None:
            raise ApiError(404, f'Member {member_id} not found.')
        return member

    def permissions(self, resource_id, member_id):
        """What ``member_id`` may do ({} for a stranger)."""
        member = self.find(resource_id, member_id)
        return member['permissions'] if member else {}

    def change(self, resource_id, member_id, permissions):
        if not isinstance(permissions, dict):
            raise ApiError(400, 'permissions must be an object.', 9000)
        member = self.get(resource_id, member_id)
        member['permissions'].update(permissions)
        return self.store.put(self.collection, member, project=resource_id)

    def remove(self, resource_id, member_id, owner=None):
        member = self.get(resource_id, member_id)
        if member_id == owner:
            raise ApiError(400, 'The owner stays a member.', 9000)
        self.store.delete(self.collection, member['id'])

    def remove_all(self, resource_id):
        for member in self.of(resource_id):
            self.store.delete(self.collection, member['id'])


    def granted(self, resource_id, username):
        """What ``username`` may do as a member, or through a team or a
        division that is a member ({} for a stranger)."""
        permissions = self.permissions(resource_id, username)
        if permissions:
            return permissions
        for member in self.of(resource_id):
            group = self.teams.group(member['type'], member['name'])
            if group and username in group['_members']:
                return member['permissions']
        return {}
