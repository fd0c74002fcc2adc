"""``/``, ``/user``, ``/users`` and ``/rate_limit``."""
from sevenbridges.emulator.api.render import base, resource
from sevenbridges.emulator.api.routing import Router, credential, page
from sevenbridges.emulator.state.errors import ApiError

router = Router(__name__)


def user_json(request, user):
    """A user: its ``href`` by username, and no ``id``."""
    data = resource(request, user, 'users', key='username')
    data.pop('id', None)
    return data


@router.route('/', 'GET')
def endpoints(api, request, user):
    root = base(request)
    return {f'{name}_url': f'{root}/{path}' for name, path in (
        ('rate_limit', 'rate_limit'), ('user', 'user'), ('users', 'users'),
        ('billing', 'billing'), ('projects', 'projects'), ('files', 'files'),
        ('tasks', 'tasks'), ('apps', 'apps'), ('action', 'action'),
        ('upload', 'upload'))}


@router.route('/user', 'GET')
def me(api, request, user):
    return user_json(request, user)


@router.route('/users', 'GET')
def query_users(api, request, user):
    division = request.args.get('division')
    if not division:
        raise ApiError(400, 'A division is required.', 9000)
    users = api.teams.division_users(user, division,
                                     request.args.get('role'))
    return page(request, users, lambda found: user_json(request, found))


@router.route('/users/<username>', 'GET')
def get_user(api, request, user, username):
    return user_json(request, api.users.get(username))


@router.route('/users/<username>', 'DELETE')
def disable_user(api, request, user, username):
    api.teams.disable_user(user, username)
    return 204, {}


@router.route('/rate_limit', 'GET')
def rate_limit(api, request, user):
    remaining, reset = api.quota(credential(request)[1])
    return {'rate': {'limit': api.rate_limit, 'remaining': remaining,
                     'reset': reset},
            'instance_limit': api.tasks.instance_limit(user)}
