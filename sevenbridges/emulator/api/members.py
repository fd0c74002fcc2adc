"""The member endpoints shared by projects, datasets and volumes
(``.../members/{username}/permissions``)."""
from sevenbridges.emulator.api.render import base
from sevenbridges.emulator.api.routing import body, page


def member_json(request, member, path):
    """A member as the platform shows it, ``path`` being the resource's
    path under the API (``projects``, ``storage/volumes``...)."""
    resource_id, member_id = member['id'].rsplit(':', 1)
    data = {key: value for key, value in member.items()
            if not key.startswith('_') and value is not None}
    return dict(data, id=member_id,
                href=f'{base(request)}/{path}/{resource_id}/members/'
                     f'{member_id}')


def member_routes(router, path, resolve, kinds=('USER',)):
    """Register on ``router`` the member endpoints of
    ``/{path}/<owner>/<name>``.

    :param resolve: ``resolve(api, user, resource_id, need)`` returns the
        resource's memberships and its owner's username, after checking
        that ``user`` has the permission ``need`` on it.
    :param kinds: the member types POST accepts.
    """
    prefix = f'/{path}/<owner>/<name>/members'

    def listing(api, request, user, owner, name):
        memberships, _ = resolve(api, user, f'{owner}/{name}', 'read')
        return page(request, memberships.of(f'{owner}/{name}'),
                    lambda m: member_json(request, m, path))

    def add(api, request, user, owner, name):
        memberships, _ = resolve(api, user, f'{owner}/{name}', 'admin')
        member = memberships.invite(f'{owner}/{name}', body(request), kinds)
        return 201, member_json(request, member, path)

    def get(api, request, user, owner, name, username):
        memberships, _ = resolve(api, user, f'{owner}/{name}', 'read')
        return member_json(request,
                           memberships.get(f'{owner}/{name}', username), path)

    def permissions(api, request, user, owner, name, username):
        memberships, _ = resolve(api, user, f'{owner}/{name}', 'admin')
        member = memberships.change(f'{owner}/{name}', username,
                                    body(request))
        return member['permissions']

    def remove(api, request, user, owner, name, username):
        memberships, resource_owner = resolve(api, user, f'{owner}/{name}',
                                              'admin')
        memberships.remove(f'{owner}/{name}', username, resource_owner)
        return 204, {}

    router.route(prefix, 'GET')(listing)
    router.route(prefix, 'POST')(add)
    router.route(prefix + '/<username>', 'GET')(get)
    router.route(prefix + '/<username>/permissions', 'PATCH')(permissions)
    router.route(prefix + '/<username>', 'DELETE')(remove)
