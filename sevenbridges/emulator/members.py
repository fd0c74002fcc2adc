"""Members of shared resources (projects, volumes, datasets, automations):
one behaviour for all of them, and one set of HTTP endpoints for those that
share the platform's ``.../members/{username}/permissions`` shape."""
from sevenbridges.emulator.bodies import field
from sevenbridges.emulator.errors import ApiError

# Groups that can be members, and where they are kept.
GROUPS = {'TEAM': 'teams', 'DIVISION': 'divisions'}


class Memberships:
    """The members of one kind of resource, stored in ``collection`` as
    ``<resource id>:<member id>`` documents indexed by the resource.

    :param defaults: the permissions a new member gets unless told
        otherwise.
    """

    def __init__(self, platform, collection, defaults):
        self.platform = platform
        self.store = platform.store
        self.collection = collection
        self.defaults = defaults

    def add(self, resource_id, member_id, kind='USER', permissions=None,
            name=None):
        """A new member (a user must exist; a member only once)."""
        if kind == 'USER':
            self.platform.user(member_id)
        elif kind in GROUPS and not self.store.get(GROUPS[kind], member_id):
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


def member_json(api, request, member, path):
    """A member as the platform shows it, ``path`` being the resource's
    path under the API (``projects``, ``storage/volumes``...)."""
    resource_id, member_id = member['id'].rsplit(':', 1)
    data = {key: value for key, value in member.items()
            if not key.startswith('_') and value is not None}
    return dict(data, id=member_id,
                href=f'{api.base(request)}/{path}/{resource_id}/members/'
                     f'{member_id}')


def member_routes(path, resolve, kinds=('USER',)):
    """Register the member endpoints of ``/{path}/<owner>/<name>``.

    :param resolve: ``resolve(api, user, resource_id, need)`` returns the
        resource's memberships and its owner's username, after checking
        that ``user`` has the permission ``need`` on it.
    :param kinds: the member types POST accepts.
    """
    from sevenbridges.emulator.server import route
    base = f'/{path}/<owner>/<name>/members'

    def listing(api, request, user, owner, name):
        memberships, _ = resolve(api, user, f'{owner}/{name}', 'read')
        return api.page(request, memberships.of(f'{owner}/{name}'),
                        lambda m: member_json(api, request, m, path))

    def add(api, request, user, owner, name):
        memberships, _ = resolve(api, user, f'{owner}/{name}', 'admin')
        body = api.body(request)
        username = field(body, 'username', str) or \
            (field(body, 'email', str) or '').split('@')[0]
        if not username:
            raise ApiError(400, 'A username or an email is required.', 9000)
        kind = body.get('type', 'USER')
        if kind not in kinds:
            raise ApiError(400, f'type must be one of {", ".join(kinds)}.',
                           9000)
        member = memberships.add(f'{owner}/{name}', username, kind,
                                 body.get('permissions'))
        return 201, member_json(api, request, member, path)

    def get(api, request, user, owner, name, username):
        memberships, _ = resolve(api, user, f'{owner}/{name}', 'read')
        return member_json(api, request,
                           memberships.get(f'{owner}/{name}', username), path)

    def permissions(api, request, user, owner, name, username):
        memberships, _ = resolve(api, user, f'{owner}/{name}', 'admin')
        member = memberships.change(f'{owner}/{name}', username,
                                    api.body(request))
        return member['permissions']

    def remove(api, request, user, owner, name, username):
        memberships, resource_owner = resolve(api, user, f'{owner}/{name}',
                                              'admin')
        memberships.remove(f'{owner}/{name}', username, resource_owner)
        return 204, {}

    route(base, 'GET')(listing)
    route(base, 'POST')(add)
    route(base + '/<username>', 'GET')(get)
    route(base + '/<username>/permissions', 'PATCH')(permissions)
    route(base + '/<username>', 'DELETE')(remove)
