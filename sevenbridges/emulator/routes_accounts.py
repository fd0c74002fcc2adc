"""Endpoints of divisions, users of a division, teams, datasets, markers,
invoices, billing breakdowns and actions (registered on import by
:mod:`server`)."""
from sevenbridges.emulator.errors import ApiError
from sevenbridges.emulator.members import member_routes
from sevenbridges.emulator.platform import new_id
from sevenbridges.emulator.server import public, route


def _href(api, request, path, doc):
    return dict(public(doc), href=f'{api.base(request)}/{path}/{doc["id"]}')


def _collection(api, request, items):
    """A page of rows that have no href of their own."""
    return api.page(request, items, public)


# -- divisions and their users ------------------------------------------------

@route('/divisions', 'GET')
def query_divisions(api, request, user):
    return api.page(request, api.accounts.divisions(user),
                    lambda d: _href(api, request, 'divisions', d))


@route('/divisions/<division_id>', 'GET')
def get_division(api, request, user, division_id):
    return _href(api, request, 'divisions',
                 api.accounts.division(user, division_id))


@route('/users', 'GET')
def query_users(api, request, user):
    division = request.args.get('division')
    if not division:
        raise ApiError(400, 'A division is required.', 9000)
    users = api.accounts.division_users(user, division,
                                        request.args.get('role'))
    return api.page(request, users, lambda u: api.user_json(request, u))


@route('/users/<username>', 'DELETE')
def disable_user(api, request, user, username):
    api.accounts.disable_user(user, username)
    return 204, {}


# -- teams --------------------------------------------------------------------

def team_member_json(api, request, team, username):
    return {'href': f'{api.base(request)}/teams/{team["id"]}/members/'
                    f'{username}',
            'id': username, 'username': username,
            'role': team['_members'][username]}


@route('/teams', 'GET')
def query_teams(api, request, user):
    division = request.args.get('division')
    if not division:
        raise ApiError(400, 'A division is required.', 9000)
    teams = api.accounts.teams(
        user, division,
        everyone=str(request.args.get('_all')).lower() == 'true')
    return api.page(request, teams, lambda t: _href(api, request, 'teams', t))


@route('/teams', 'POST')
def create_team(api, request, user):
    team = api.accounts.create_team(user, api.body(request))
    return 201, _href(api, request, 'teams', team)


@route('/teams/<team_id>', 'GET')
def get_team(api, request, user, team_id):
    return _href(api, request, 'teams', api.accounts.team(user, team_id))


@route('/teams/<team_id>', 'PATCH')
def patch_team(api, request, user, team_id):
    team = api.accounts.rename_team(user, team_id, api.body(request))
    return _href(api, request, 'teams', team)


@route('/teams/<team_id>/members', 'GET')
def team_members(api, request, user, team_id):
    team = api.accounts.team(user, team_id)
    return api.page(request, sorted(team['_members']),
                    lambda name: team_member_json(api, request, team, name))


@route('/teams/<team_id>/members', 'POST')
def add_team_member(api, request, user, team_id):
    team, username = api.accounts.add_team_member(
        user, team_id, api.body(request).get('id'))
    return 201, team_member_json(api, request, team, username)


@route('/teams/<team_id>/members/<username>', 'DELETE')
def remove_team_member(api, request, user, team_id, username):
    api.accounts.remove_team_member(user, team_id, username)
    return 204, {}


# -- datasets -----------------------------------------------------------------

@route('/datasets', 'GET')
def query_datasets(api, request, user):
    datasets = api.accounts.datasets(user, request.args.get('visibility'))
    return api.page(request, datasets,
                    lambda d: _href(api, request, 'datasets', d))


@route('/datasets/<owner>', 'GET')
def datasets_of(api, request, user, owner):
    api.platform.user(owner)
    return api.page(request, api.accounts.datasets(user, owner=owner),
                    lambda d: _href(api, request, 'datasets', d))


@route('/datasets/<owner>/<name>', 'GET')
def get_dataset(api, request, user, owner, name):
    return _href(api, request, 'datasets',
                 api.accounts.dataset(user, f'{owner}/{name}'))


@route('/datasets/<owner>/<name>', 'PATCH')
def patch_dataset(api, request, user, owner, name):
    dataset = api.accounts.update_dataset(user, f'{owner}/{name}',
                                          api.body(request))
    return _href(api, request, 'datasets', dataset)


@route('/datasets/<owner>/<name>', 'DELETE')
def delete_dataset(api, request, user, owner, name):
    api.accounts.delete_dataset(user, f'{owner}/{name}')
    return 204, {}


def _dataset_members(api, user, dataset_id, need):
    dataset = api.accounts.dataset(user, dataset_id, need)
    return api.accounts.dataset_members, dataset['_owner']


member_routes('datasets', _dataset_members)


# -- markers ------------------------------------------------------------------

@route('/genome/markers', 'GET')
def query_markers(api, request, user):
    markers = api.accounts.markers(user, request.args.get('file'))
    return api.page(request, markers,
                    lambda m: _href(api, request, 'genome/markers', m))


@route('/genome/markers', 'POST')
def create_marker(api, request, user):
    marker = api.accounts.create_marker(user, api.body(request))
    return 201, _href(api, request, 'genome/markers', marker)


@route('/genome/markers/<marker_id>', 'GET')
def get_marker(api, request, user, marker_id):
    return _href(api, request, 'genome/markers',
                 api.accounts.marker(user, marker_id))


@route('/genome/markers/<marker_id>', 'PATCH')
def patch_marker(api, request, user, marker_id):
    marker = api.accounts.update_marker(user, marker_id,
                                        api.body(request))
    return _href(api, request, 'genome/markers', marker)


@route('/genome/markers/<marker_id>', 'DELETE')
def delete_marker(api, request, user, marker_id):
    api.accounts.delete_marker(user, marker_id)
    return 204, {}


# -- invoices and breakdowns --------------------------------------------------

@route('/billing/invoices', 'GET')
def query_invoices(api, request, user):
    return api.page(request, api.accounts.invoices(user),
                    lambda i: _href(api, request, 'billing/invoices', i))


@route('/billing/invoices/<invoice_id>', 'GET')
def get_invoice(api, request, user, invoice_id):
    return _href(api, request, 'billing/invoices',
                 api.accounts.invoice(user, invoice_id))


def _select_fields(rows, fields):
    """Only the ``fields`` asked for (comma separated; ``_all`` is all)."""
    if not fields or fields == '_all':
        return rows
    wanted = set(fields.split(','))
    return [{key: value for key, value in row.items() if key in wanted}
            for row in rows]


@route('/billing/groups/<group_id>/breakdown/analysis', 'GET')
def analysis_breakdown(api, request, user, group_id):
    since, until = api.accounts.breakdown_window(user, group_id,
                                                 request.args)
    rows = api.accounts.analysis_rows(user, group_id, since, until)
    return _collection(api, request,
                       _select_fields(rows, request.args.get('fields')))


@route('/billing/groups/<group_id>/breakdown/storage', 'GET')
def storage_breakdown(api, request, user, group_id):
    api.accounts.breakdown_window(user, group_id, request.args)
    rows = api.accounts.storage_rows(user, group_id)
    return _collection(api, request,
                       _select_fields(rows, request.args.get('fields')))


@route('/billing/groups/<group_id>/breakdown/egress', 'GET')
def egress_breakdown(api, request, user, group_id):
    since, until = api.accounts.breakdown_window(user, group_id,
                                                 request.args)
    rows = api.accounts.egress_rows(user, group_id, since, until)
    return _collection(api, request,
                       _select_fields(rows, request.args.get('fields')))


# -- actions ------------------------------------------------------------------

@route('/action/notifications/feedback', 'POST')
def send_feedback(api, request, user):
    body = api.body(request)
    if body.get('type') not in ('IDEA', 'PROBLEM', 'THOUGHT'):
        raise ApiError(400, 'Feedback type must be IDEA, PROBLEM or '
                            'THOUGHT.', 9000)
    api.platform.store.put('feedback', dict(
        body, id=new_id(), username=user['username']))
    return 204, {}


@route('/action/files/copy', 'POST')
def bulk_copy(api, request, user):
    body = api.body(request)
    project = body.get('project')
    file_ids = body.get('file_ids')
    if not project or not isinstance(file_ids, list):
        raise ApiError(400, 'A project and file_ids are required.', 9000)
    api.platform.project(user, project, 'write')
    results = {}
    for file_id in file_ids:
        try:
            copy = api.platform.copy_file(user, file_id, project)
            results[file_id] = {'status': 'OK', 'new_file_id': copy['id'],
                                'new_file_name': copy['name']}
        except ApiError as error:
            results[file_id] = {'status': 'FAILED',
                                'message': error.message}
    return results
