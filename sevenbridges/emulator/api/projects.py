"""``/projects`` and their members."""
from sevenbridges.emulator.api.members import member_routes
from sevenbridges.emulator.api.render import resource
from sevenbridges.emulator.api.routing import Router, body, page

router = Router(__name__)


def project_json(request, project):
    return resource(request, project, 'projects')


@router.route('/projects/', 'GET')
@router.route('/projects/<owner>', 'GET')
def query_projects(api, request, user, owner=None):
    projects = api.projects.query(
        user, owner, request.args.get('name'), request.args.get('category'),
        request.args.getlist('tags'))
    return page(request, projects, lambda p: project_json(request, p))


@router.route('/projects', 'POST')
def create_project(api, request, user):
    project = api.projects.create(user, body(request))
    return 201, project_json(request, project)


@router.route('/projects/<owner>/<name>', 'GET')
def get_project(api, request, user, owner, name):
    return project_json(request, api.projects.get(user, f'{owner}/{name}'))


@router.route('/projects/<owner>/<name>', 'PATCH')
def patch_project(api, request, user, owner, name):
    project = api.projects.update(user, f'{owner}/{name}', body(request))
    return project_json(request, project)


@router.route('/projects/<owner>/<name>', 'DELETE')
def delete_project(api, request, user, owner, name):
    api.projects.delete(user, f'{owner}/{name}')
    return 204, {}


def _members(api, user, project_id, need):
    project = api.projects.get(user, project_id, need)
    return api.projects.members, project['created_by']


member_routes(router, 'projects', _members,
              kinds=('USER', 'TEAM', 'DIVISION'))
