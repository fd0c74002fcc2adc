"""The API's endpoints (registered on import by :mod:`server`)."""
import json

from sevenbridges.emulator.bodies import field, obj, strings
from sevenbridges.emulator.errors import ApiError
from sevenbridges.emulator.file_search import search
from sevenbridges.emulator.members import member_routes
from sevenbridges.emulator.server import credential, public, route


def _bool(value):
    return str(value).lower() in ('true', '1')


# -- users, limits, endpoints -------------------------------------------------

@route('/', 'GET')
def endpoints(api, request, user):
    base = api.base(request)
    return {f'{name}_url': f'{base}/{path}' for name, path in (
        ('rate_limit', 'rate_limit'), ('user', 'user'), ('users', 'users'),
        ('billing', 'billing'), ('projects', 'projects'), ('files', 'files'),
        ('tasks', 'tasks'), ('apps', 'apps'), ('action', 'action'),
        ('upload', 'upload'))}


@route('/user', 'GET')
def me(api, request, user):
    return api.user_json(request, user)


@route('/users/<username>', 'GET')
def get_user(api, request, user, username):
    return api.user_json(request, api.platform.user(username))


@route('/rate_limit', 'GET')
def rate_limit(api, request, user):
    remaining, reset = api.quota(credential(request)[1])
    return {'rate': {'limit': api.rate_limit, 'remaining': remaining,
                     'reset': reset},
            'instance_limit': {'limit': 25, 'remaining': 25}}


# -- billing ------------------------------------------------------------------

@route('/billing/groups', 'GET')
def billing_groups(api, request, user):
    return api.page(request, api.platform.billing_groups(user),
                    lambda group: dict(public(group), href=f'{api.base(request)}'
                                       f'/billing/groups/{group["id"]}'))


@route('/billing/groups/<group_id>', 'GET')
def billing_group(api, request, user, group_id):
    group = api.platform.billing_group(user, group_id)
    return dict(public(group), href=f'{api.base(request)}/billing/groups/'
                                    f'{group_id}')


# -- projects -----------------------------------------------------------------

@route('/projects/', 'GET')
@route('/projects/<owner>', 'GET')
def query_projects(api, request, user, owner=None):
    projects = api.platform.projects(user)
    if owner:
        projects = [p for p in projects if p['id'].split('/')[0] == owner]
    name = request.args.get('name')
    if name:
        projects = [p for p in projects if p['name'] == name]
    category = request.args.get('category')
    if category:
        projects = [p for p in projects if p['category'] == category]
    tags = request.args.getlist('tags')
    if tags:
        projects = [p for p in projects if set(tags) <= set(p['tags'])]
    return api.page(request, projects,
                    lambda p: api.project_json(request, p))


@route('/projects', 'POST')
def create_project(api, request, user):
    project = api.platform.create_project(user, api.body(request))
    return 201, api.project_json(request, project)


@route('/projects/<owner>/<name>', 'GET')
def get_project(api, request, user, owner, name):
    return api.project_json(request,
                            api.platform.project(user, f'{owner}/{name}'))


@route('/projects/<owner>/<name>', 'PATCH')
def patch_project(api, request, user, owner, name):
    project = api.platform.update_project(user, f'{owner}/{name}',
                                          api.body(request))
    return api.project_json(request, project)


@route('/projects/<owner>/<name>', 'DELETE')
def delete_project(api, request, user, owner, name):
    api.platform.delete_project(user, f'{owner}/{name}')
    return 204, {}


def _project_members(api, user, project_id, need):
    project = api.platform.project(user, project_id, need)
    return api.platform.project_members, project['created_by']


member_routes('projects', _project_members,
              kinds=('USER', 'TEAM', 'DIVISION'))


# -- files --------------------------------------------------------------------

def _matches(file, request):
    names = request.args.getlist('name')
    if names and file['name'] not in names:
        return False
    tags = request.args.getlist('tag')
    if tags and not set(tags) & set(file['tags']):
        return False
    for key, values in request.args.lists():
        if key.startswith('metadata.'):
            if str(file['metadata'].get(key[9:])) not in values:
                return False
        elif key.startswith('origin.'):
            if str((file.get('origin') or {}).get(key[7:])) not in values:
                return False
    return True


def _filtered(request):
    """Whether the request filters the items of a folder."""
    return any(key in ('name', 'tag') or key.startswith(('metadata.',
                                                          'origin.'))
               for key in request.args)


def _folder_items(api, request, folder):
    """The items of ``folder`` the request asks for: without filters a
    listing read page by page (fast in folders of any size)."""
    if not _filtered(request):
        return api.platform.listing(folder)
    return [file for file in api.platform.children(folder)
            if _matches(file, request)]


def _files(api, request, user, folder=None):
    if folder is None:
        project, folder = api.platform.container(
            user, request.args.get('project'), request.args.get('parent'))
    files = _folder_items(api, request, folder)
    return api.page(request, files, lambda f: api.file_json(request, f))


def _scroll(api, request, user, folder=None):
    """Continuation-token pages: ``token=init`` starts, each page's next
    link carries the token of the next one."""
    if folder is None:
        _, folder = api.platform.container(
            user, request.args.get('project'), request.args.get('parent'))
    files = _folder_items(api, request, folder)
    token = request.args.get('token', 'init')
    try:
        start = 0 if token == 'init' else int(token, 16)
        limit = int(request.args.get('limit', 50))
    except ValueError:
        raise ApiError(400, 'Invalid continuation token.', 9000) from None
    args = request.args.to_dict(flat=False)
    links = []
    if start + limit < len(files):
        from urllib.parse import urlencode
        query = dict(args, token=[format(start + limit, 'x')])
        links.append({'rel': 'next', 'method': 'GET',
                      'href': f'{request.base_url}?'
                              f'{urlencode(query, doseq=True)}'})
    body = {'href': request.url, 'links': links,
            'items': [api.file_json(request, file)
                      for file in files[start:start + limit]]}
    return 200, body, {'X-Total-Matching-Query': str(len(files))}


@route('/files/scroll', 'GET')
def scroll_files(api, request, user):
    return _scroll(api, request, user)


@route('/files/<file_id>/scroll', 'GET')
def scroll_folder(api, request, user, file_id):
    return _scroll(api, request, user,
                   folder=api.platform.file(user, file_id)['id'])


@route('/files', 'GET')
def query_files(api, request, user):
    dataset = request.args.get('dataset')
    if dataset:
        folder = api.accounts.dataset_folder(user, dataset)
        if folder is None:
            return api.page(request, [], None)
        return _files(api, request, user, folder=folder)
    if not (request.args.get('project') or request.args.get('parent')):
        raise ApiError(400, 'A project, a dataset or a parent folder is '
                            'required.', 9000)
    return _files(api, request, user)


@route('/files', 'POST')
def create_folder(api, request, user):
    body = api.body(request)
    if str(body.get('type')).lower() != 'folder':
        raise ApiError(400, 'Only folders (type "folder") can be created '
                            'here.', 9000)
    return 201, api.file_json(request, api.platform.create_folder(user,
                                                                  body))


@route('/files/search', 'POST')
def search_files(api, request, user):
    body = api.body(request)
    query = field(body, 'query', str, required=True)
    try:
        limit = int(request.args.get('limit', 50))
    except ValueError:
        raise ApiError(400, 'limit must be a number.', 9000) from None
    return search(api.platform, user, query,
                  request.args.get('cont_token'), limit,
                  lambda file: api.file_json(request, file))


@route('/files/<file_id>/list', 'GET')
def list_folder(api, request, user, file_id):
    folder = api.platform.file(user, file_id)
    if folder['type'] != 'folder':
        raise ApiError(400, f'{file_id} is not a folder.', 9000)
    return _files(api, request, user, folder=folder['id'])


@route('/files/<file_id>', 'GET')
def get_file(api, request, user, file_id):
    file = api.platform.file(user, file_id)
    if file.get('_log'):  # a job's log grows: its size is the current one
        file = api.tasks.logs.refreshed(file)
    return api.file_json(request, file)


@route('/files/<file_id>', 'PATCH')
def patch_file(api, request, user, file_id):
    file = api.platform.file(user, file_id, 'write')
    edit_file(api.platform, file, api.body(request), replace=True)
    return api.file_json(request, api.platform.save_file(file))


def edit_file(platform, file, changes, replace, where=''):
    """Apply the ``name``, ``tags`` and ``metadata`` of ``changes`` to
    ``file``: the metadata replaces the file's (``replace``) or is merged
    into it."""
    name = field(changes, 'name', str, where=where)
    if name is not None:
        if not name or '/' in name:
            raise ApiError(400, f'{where}name must not be empty nor hold '
                                f'"/".', 9000)
        platform.check_free(file['parent'], name, file['id'])
        file['name'] = name
    if changes.get('tags') is not None:
        file['tags'] = strings(changes, 'tags', where=where)
    metadata = field(changes, 'metadata', dict, where=where)
    if metadata is not None:
        file['metadata'] = metadata if replace else dict(file['metadata'],
                                                         **metadata)


@route('/files/<file_id>', 'DELETE')
def delete_file(api, request, user, file_id):
    api.platform.delete_file(user, file_id)
    return 204, {}


@route('/files/<file_id>/metadata', 'PUT', 'PATCH')
def file_metadata(api, request, user, file_id):
    file = api.platform.file(user, file_id, 'write')
    body = api.body(request)
    if request.method == 'PUT':
        file['metadata'] = body
    else:
        file['metadata'].update(body)
    file['metadata'] = {k: v for k, v in file['metadata'].items()
                        if v is not None}
    return api.platform.save_file(file)['metadata']


@route('/files/<file_id>/tags', 'PUT')
def file_tags(api, request, user, file_id):
    file = api.platform.file(user, file_id, 'write')
    file['tags'] = strings({'tags': api.body(request, list)}, 'tags')
    return api.platform.save_file(file)['tags']


@route('/files/<file_id>/actions/copy', 'POST')
def copy_file(api, request, user, file_id):
    body = api.body(request)
    copy = api.platform.copy_file(user, file_id, body.get('project'),
                                  body.get('parent'), body.get('name'))
    return 201, api.file_json(request, copy)


@route('/files/<file_id>/actions/move', 'POST')
def move_file(api, request, user, file_id):
    body = api.body(request)
    moved = api.platform.copy_file(user, file_id, None, body.get('parent'),
                                   body.get('name'), move=True)
    return api.file_json(request, moved)


@route('/files/<file_id>/download_info', 'GET')
def download_info(api, request, user, file_id):
    file = api.platform.file(user, file_id)
    if file['type'] == 'folder':
        raise ApiError(400, 'Folders can not be downloaded.', 9000)
    api.accounts.record_download(user, file)
    return {'url': api.platform.sign(api.storage_url, f'/files/{file_id}')}


def _bulk(api, request, user, action):
    return api.bulk(request, 'file_ids', lambda file_id: action(user, file_id),
                    lambda file: api.file_json(request, file))


@route('/bulk/files/get', 'POST')
def bulk_get_files(api, request, user):
    return _bulk(api, request, user, api.platform.file)


@route('/bulk/files/delete', 'POST')
def bulk_delete_files(api, request, user):
    def delete(user_, file_id):
        file = api.platform.file(user_, file_id, 'write')
        api.platform.delete_file(user_, file_id)
        return file

    return _bulk(api, request, user, delete)


@route('/bulk/files/update', 'POST')
@route('/bulk/files/edit', 'POST')
def bulk_edit_files(api, request, user):
    replace = request.path.endswith('/update')
    items = []
    for entry in field(api.body(request), 'items', list, required=True):
        try:
            entry = obj(entry, 'Every item')
            file = api.platform.file(user, entry.get('id'), 'write')
            edit_file(api.platform, file, entry, replace)
            items.append({'resource': api.file_json(
                request, api.platform.save_file(file))})
        except ApiError as error:
            items.append({'error': error.body()})
    return {'items': items}


# -- uploads ------------------------------------------------------------------

def _upload_routes(prefix, kind):
    def start(api, request, user):
        upload = api.platform.start_upload(
            user, api.body(request),
            _bool(request.args.get('overwrite')), kind=kind)
        return {'upload_id': upload['id'], 'part_size': upload['part_size'],
                'name': upload['name'], 'size': upload['size']}

    def info(api, request, user, upload_id):
        upload = api.platform.upload(user, upload_id)
        return {'upload_id': upload_id, 'name': upload['name'],
                'size': upload['size'], 'part_size': upload['part_size']}

    def abort(api, request, user, upload_id):
        api.platform.abort_upload(user, upload_id)
        return 204, {}

    def part_url(api, request, user, upload_id, number):
        api.platform.upload(user, upload_id)
        return {'method': 'PUT', 'url': api.platform.sign(
            api.storage_url, f'/parts/{upload_id}/{number}'),
            'expires': None, 'headers': {}}

    def report(api, request, user, upload_id):
        api.platform.report_part(user, upload_id, api.body(request))
        return {}

    def complete(api, request, user, upload_id):
        file = api.platform.complete_upload(user, upload_id)
        return api.file_json(request, file)

    route(prefix, 'POST')(start)
    route(prefix + '/<upload_id>', 'GET')(info)
    route(prefix + '/<upload_id>', 'DELETE')(abort)
    route(prefix + '/<upload_id>/part/<int:number>', 'GET')(part_url)
    route(prefix + '/<upload_id>/part/', 'POST')(report)
    route(prefix + '/<upload_id>/complete', 'POST')(complete)


_upload_routes('/upload/multipart', 'file')
_upload_routes('/automation/upload', 'code')


# -- apps ---------------------------------------------------------------------

@route('/apps', 'GET')
def query_apps(api, request, user):
    return api.page(request, api.apps.query(user, request.args),
                    lambda app: api.app_json(request, app,
                                             len(app['revisions']) - 1))


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


@route('/apps/<owner>/<project>/<name>', 'GET')
def get_app(api, request, user, owner, project, name):
    app, revision = api.apps.get(user, f'{owner}/{project}/{name}')
    return api.app_json(request, app, revision)


@route('/apps/<owner>/<project>/<name>/<int:revision>', 'GET')
def get_app_revision(api, request, user, owner, project, name, revision):
    app, revision = api.apps.get(user, f'{owner}/{project}/{name}',
                                 revision)
    return api.app_json(request, app, revision)


@route('/apps/<owner>/<project>/<name>/raw', 'POST')
def install_app(api, request, user, owner, project, name):
    app, revision = api.apps.install(user, f'{owner}/{project}/{name}',
                                     _raw_cwl(request))
    return api.apps.raw_document(app, revision, api.base(request))


@route('/apps/<owner>/<project>/<name>/<int:revision>/raw', 'POST')
def create_app_revision(api, request, user, owner, project, name,
                        revision):
    app, revision = api.apps.install(user, f'{owner}/{project}/{name}',
                                     _raw_cwl(request), revision=revision)
    return api.apps.raw_document(app, revision, api.base(request))


@route('/apps/<owner>/<project>/<name>/actions/copy', 'POST')
@route('/apps/<owner>/<project>/<name>/<int:revision>/actions/copy', 'POST')
def copy_app(api, request, user, owner, project, name, revision=None):
    app, revision = api.apps.get(user, f'{owner}/{project}/{name}',
                                 revision)
    body = api.body(request)
    copied, last = api.apps.copy(
        user, app, revision, field(body, 'project', str, required=True),
        field(body, 'name', str))
    return 201, api.app_json(request, copied, last)


@route('/apps/<owner>/<project>/<name>/actions/sync', 'POST')
def sync_app(api, request, user, owner, project, name):
    app_id = f'{owner}/{project}/{name}'
    app, revision = api.apps.get(user, app_id)
    source = app.get('copy_of')
    if not source:
        raise ApiError(400, f'{app_id} is not a copy of another app.', 9000)
    original, latest = api.apps.resolve(user, source.rsplit('/', 1)[0])
    app, revision = api.apps.install(
        user, app_id, original['revisions'][latest],
        copy_of=f'{original["id"]}/{latest}')
    return api.app_json(request, app, revision)


# -- tasks --------------------------------------------------------------------

@route('/tasks', 'GET')
def query_tasks(api, request, user):
    project = request.args.get('project')
    parent = request.args.get('parent')
    if project:
        api.platform.project(user, project)
    tasks = [task for task in api.platform.store.find('tasks')
             if (not project or task['project'] == project)
             and (not parent or task.get('parent') == parent)
             and api.platform.permissions(
                 user, api.platform.store.get('projects', task['project'])
                 or {'id': ''}).get('read')]
    status = request.args.get('status')
    if status:
        tasks = [task for task in tasks if task['status'] == status]
    if 'batch' in request.args:
        tasks = [task for task in tasks
                 if task['batch'] == _bool(request.args['batch'])]
    origin = request.args.get('origin_id')
    if origin:
        tasks = [task for task in tasks if task.get('origin_id') == origin]
    for prefix, key in (('created', 'created_time'),
                        ('started', 'start_time'), ('ended', 'end_time')):
        since = request.args.get(f'{prefix}_from')
        until = request.args.get(f'{prefix}_to')
        if since:
            tasks = [t for t in tasks if (t.get(key) or '') >= since]
        if until:
            tasks = [t for t in tasks if t.get(key) and
                     t[key][:len(until)] <= until]
    order_by = request.args.get('order_by')
    if order_by:
        tasks.sort(key=lambda task: str(task.get(order_by) or ''),
                   reverse=request.args.get('order') == 'desc')
    return api.page(request, tasks, lambda t: api.task_json(request, t))


@route('/tasks', 'POST')
def create_task(api, request, user):
    task = api.tasks.create(
        user, api.body(request),
        run=request.args.get('action') == 'run',
        batch=request.args.get('batch') != 'False')
    return 201, api.task_json(request, task)


@route('/bulk/tasks/get', 'POST')
def bulk_get_tasks(api, request, user):
    return api.bulk(request, 'task_ids',
                    lambda task_id: api.tasks.get(user, task_id),
                    lambda task: api.task_json(request, task))


@route('/tasks/<task_id>', 'GET')
def get_task(api, request, user, task_id):
    return api.task_json(request, api.tasks.get(user, task_id))


@route('/tasks/<task_id>', 'PATCH')
def patch_task(api, request, user, task_id):
    return api.task_json(request, api.tasks.update(
        user, task_id, api.body(request)))


@route('/tasks/<task_id>', 'DELETE')
def delete_task(api, request, user, task_id):
    api.tasks.delete(user, task_id)
    return 204, {}


@route('/tasks/<task_id>/actions/run', 'POST')
def run_task(api, request, user, task_id):
    return api.task_json(request, api.tasks.run(
        user, task_id, batch=request.args.get('batch') != 'False'))


@route('/tasks/<task_id>/actions/abort', 'POST')
def abort_task(api, request, user, task_id):
    return api.task_json(request, api.tasks.abort(user, task_id))


@route('/tasks/<task_id>/actions/clone', 'POST')
def clone_task(api, request, user, task_id):
    return api.task_json(request, api.tasks.clone(
        user, task_id, run=request.args.get('action') == 'run'))


@route('/tasks/<task_id>/execution_details', 'GET')
def execution_details(api, request, user, task_id):
    return dict(api.tasks.execution_details(user, task_id,
                                            api.base(request)),
                href=f'{api.base(request)}/tasks/{task_id}/'
                     f'execution_details')
