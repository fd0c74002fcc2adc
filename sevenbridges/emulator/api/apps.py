"""``/apps``: apps, their revisions and raw CWL, copies."""
import json

from sevenbridges.emulator.api.render import base
from sevenbridges.emulator.api.routing import Router, body, page
from sevenbridges.emulator.state.errors import ApiError

router = Router(__name__)


def app_json(api, request, app, revision):
    raw = api.apps.raw_document(app, revision, base(request))
    return {'href': f'{base(request)}/apps/{app["id"]}/{revision}',
            'id': f'{app["id"]}/{revision}', 'project': app['project'],
            'name': raw.get('label') or app['name'],
            'revision': revision, 'raw': raw}


def _raw_cwl(request):
    raw = request.get_data(as_text=True)
    try:
        return json.loads(raw)
    except ValueError:
        pass
    try:
        import yaml  # type: ignore[import-untyped]
    except ImportError:
        raise ApiError(400, 'The emulator reads CWL as JSON (YAML needs '
                            'PyYAML installed).', 9000) from None
    return yaml.safe_load(raw)


@router.route('/apps', 'GET')
def query_apps(api, request, user):
    return page(request, api.apps.query(user, request.args),
                lambda app: app_json(api, request, app,
                                     len(app['revisions']) - 1))


@router.route('/apps/<owner>/<project>/<name>', 'GET')
def get_app(api, request, user, owner, project, name):
    app, revision = api.apps.get(user, f'{owner}/{project}/{name}')
    return app_json(api, request, app, revision)


@router.route('/apps/<owner>/<project>/<name>/<int:revision>', 'GET')
def get_app_revision(api, request, user, owner, project, name, revision):
    app, revision = api.apps.get(user, f'{owner}/{project}/{name}',
                                 revision)
    return app_json(api, request, app, revision)


@router.route('/apps/<owner>/<project>/<name>/raw', 'POST')
def install_app(api, request, user, owner, project, name):
    app, revision = api.apps.install(user, f'{owner}/{project}/{name}',
                                     _raw_cwl(request))
    return api.apps.raw_document(app, revision, base(request))


@router.route('/apps/<owner>/<project>/<name>/<int:revision>/raw', 'POST')
def create_app_revision(api, request, user, owner, project, name,
                        revision):
    app, revision = api.apps.install(user, f'{owner}/{project}/{name}',
                                     _raw_cwl(request), revision=revision)
    return api.apps.raw_document(app, revision, base(request))


@router.route('/apps/<owner>/<project>/<name>/actions/copy', 'POST')
@router.route('/apps/<owner>/<project>/<name>/<int:revision>/actions/copy',
              'POST')
def copy_app(api, request, user, owner, project, name, revision=None):
    copied, last = api.apps.copy(user, f'{owner}/{project}/{name}',
                                 revision, body(request))
    return 201, app_json(api, request, copied, last)


@router.route('/apps/<owner>/<project>/<name>/actions/sync', 'POST')
def sync_app(api, request, user, owner, project, name):
    app, revision = api.apps.sync(user, f'{owner}/{project}/{name}')
    return app_json(api, request, app, revision)
