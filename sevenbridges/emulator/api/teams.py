"""``/divisions`` and ``/teams`` with their members (the users of a
division are :mod:`~sevenbridges.emulator.api.users`')."""
from sevenbridges.emulator.api.render import base, resource
from sevenbridges.emulator.api.routing import Router, body, page
from sevenbridges.emulator.state.errors import ApiError

router = Router(__name__)


def team_member_json(request, team, username):
    return {'href': f'{base(request)}/teams/{team["id"]}/members/'
                    f'{username}',
            'id': username, 'username': username,
            'role': team['_members'][username]}


@router.route('/divisions', 'GET')
def query_divisions(api, request, user):
    return page(request, api.teams.divisions(user),
                lambda d: resource(request, d, 'divisions'))


@router.route('/divisions/<division_id>', 'GET')
def get_division(api, request, user, division_id):
    return resource(request, api.teams.division(user, division_id),
                    'divisions')


@router.route('/teams', 'GET')
def query_teams(api, request, user):
    division = request.args.get('division')
    if not division:
        raise ApiError(400, 'A division is required.', 9000)
    everyone = str(request.args.get('_all')).lower() == 'true'
    teams = api.teams.teams(user, division, everyone=everyone)
    return page(request, teams, lambda t: resource(request, t, 'teams'))


@router.route('/teams', 'POST')
def create_team(api, request, user):
    team = api.teams.create_team(user, body(request))
    return 201, resource(request, team, 'teams')


@router.route('/teams/<team_id>', 'GET')
def get_team(api, request, user, team_id):
    return resource(request, api.teams.team(user, team_id), 'teams')


@router.route('/teams/<team_id>', 'PATCH')
def patch_team(api, request, user, team_id):
    team = api.teams.rename_team(user, team_id, body(request))
    return resource(request, team, 'teams')


@router.route('/teams/<team_id>/members', 'GET')
def team_members(api, request, user, team_id):
    team = api.teams.team(user, team_id)
    return page(request, sorted(team['_members']),
                lambda name: team_member_json(request, team, name))


@router.route('/teams/<team_id>/members', 'POST')
def add_team_member(api, request, user, team_id):
    team, username = api.teams.add_team_member(
        user, team_id, body(request).get('id'))
    return 201, team_member_json(request, team, username)


@router.route('/teams/<team_id>/members/<username>', 'DELETE')
def remove_team_member(api, request, user, team_id, username):
    api.teams.remove_team_member(user, team_id, username)
    return 204, {}
