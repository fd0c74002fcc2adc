"""``/files`` (folders, listings, search, metadata, copies) and
``/bulk/files``."""
from urllib.parse import urlencode

from sevenbridges.emulator.api.render import file_json
from sevenbridges.emulator.api.routing import (
    Router,
    body,
    bulk,
    outcomes,
    page,
)
from sevenbridges.emulator.state.checks import field, obj
from sevenbridges.emulator.state.errors import ApiError

router = Router(__name__)


def _folder(api, request, user, folder=None):
    """The folder a listing is of: ``folder``, or the ``project`` or
    ``parent`` of the query."""
    if folder is not None:
        return folder
    return api.files.container(user, request.args.get('project'),
                               request.args.get('parent'))[1]


def _items(api, request, folder):
    return api.files.items(folder, request.args.to_dict(flat=False))


def _listing(api, request, user, folder=None):
    files = _items(api, request, _folder(api, request, user, folder))
    return page(request, files, lambda f: file_json(request, f))


def _scroll(api, request, user, folder=None):
    """Continuation-token pages: ``token=init`` starts, each page's next
    link carries the token of the next one."""
    files = _items(api, request, _folder(api, request, user, folder))
    token = request.args.get('token', 'init')
    try:
        start = 0 if token == 'init' else int(token, 16)
        limit = int(request.args.get('limit', 50))
    except ValueError:
        raise ApiError(400, 'Invalid continuation token.', 9000) from None
    args = request.args.to_dict(flat=False)
    links = []
    if start + limit < len(files):
        query = dict(args, token=[format(start + limit, 'x')])
        links.append({'rel': 'next', 'method': 'GET',
                      'href': f'{request.base_url}?'
                              f'{urlencode(query, doseq=True)}'})
    answer = {'href': request.url, 'links': links,
              'items': [file_json(request, file)
                        for file in files[start:start + limit]]}
    return 200, answer, {'X-Total-Matching-Query': str(len(files))}


@router.route('/files/scroll', 'GET')
def scroll_files(api, request, user):
    return _scroll(api, request, user)


@router.route('/files/<file_id>/scroll', 'GET')
def scroll_folder(api, request, user, file_id):
    return _scroll(api, request, user,
                   folder=api.files.file(user, file_id)['id'])


@router.route('/files', 'GET')
def query_files(api, request, user):
    dataset = request.args.get('dataset')
    if dataset:
        folder = api.datasets.folder(user, dataset)
        if folder is None:
            return page(request, [], None)
        return _listing(api, request, user, folder=folder)
    if not (request.args.get('project') or request.args.get('parent')):
        raise ApiError(400, 'A project, a dataset or a parent folder is '
                            'required.', 9000)
    return _listing(api, request, user)


@router.route('/files', 'POST')
def create_folder(api, request, user):
    changes = body(request)
    if str(changes.get('type')).lower() != 'folder':
        raise ApiError(400, 'Only folders (type "folder") can be created '
                            'here.', 9000)
    return 201, file_json(request, api.files.create_folder(user, changes))


@router.route('/files/search', 'POST')
def search_files(api, request, user):
    query = field(body(request), 'query', str, required=True)
    try:
        limit = int(request.args.get('limit', 50))
    except ValueError:
        raise ApiError(400, 'limit must be a number.', 9000) from None
    return api.files.search(user, query, request.args.get('cont_token'),
                            limit, lambda file: file_json(request, file))


@router.route('/files/<file_id>/list', 'GET')
def list_folder(api, request, user, file_id):
    return _listing(api, request, user,
                    folder=api.files.folder(user, file_id)['id'])


@router.route('/files/<file_id>', 'GET')
def get_file(api, request, user, file_id):
    return file_json(request, api.files.file(user, file_id))


@router.route('/files/<file_id>', 'PATCH')
def patch_file(api, request, user, file_id):
    return file_json(request, api.files.edit(user, file_id, body(request),
                                             replace=True))


@router.route('/files/<file_id>', 'DELETE')
def delete_file(api, request, user, file_id):
    api.files.delete(user, file_id)
    return 204, {}


@router.route('/files/<file_id>/metadata', 'PUT', 'PATCH')
def file_metadata(api, request, user, file_id):
    return api.files.set_metadata(user, file_id, body(request),
                                  replace=request.method == 'PUT')


@router.route('/files/<file_id>/tags', 'PUT')
def file_tags(api, request, user, file_id):
    return api.files.set_tags(user, file_id, body(request, list))


@router.route('/files/<file_id>/actions/copy', 'POST')
def copy_file(api, request, user, file_id):
    changes = body(request)
    copied = api.files.copy(user, file_id, changes.get('project'),
                            changes.get('parent'), changes.get('name'))
    return 201, file_json(request, copied)


@router.route('/files/<file_id>/actions/move', 'POST')
def move_file(api, request, user, file_id):
    changes = body(request)
    moved = api.files.copy(user, file_id, None, changes.get('parent'),
                           changes.get('name'), move=True)
    return file_json(request, moved)


@router.route('/files/<file_id>/download_info', 'GET')
def download_info(api, request, user, file_id):
    file = api.files.file(user, file_id)
    if file['type'] == 'folder':
        raise ApiError(400, 'Folders can not be downloaded.', 9000)
    api.invoices.record_download(user, file)
    return {'url': api.signer.sign(api.storage_url, f'/files/{file_id}')}


@router.route('/bulk/files/get', 'POST')
def bulk_get_files(api, request, user):
    return bulk(request, 'file_ids',
                lambda file_id: api.files.file(user, file_id),
                lambda file: file_json(request, file))


@router.route('/bulk/files/delete', 'POST')
def bulk_delete_files(api, request, user):
    return bulk(request, 'file_ids',
                lambda file_id: api.files.delete(user, file_id),
                lambda file: file_json(request, file))


@router.route('/bulk/files/update', 'POST')
@router.route('/bulk/files/edit', 'POST')
def bulk_edit_files(api, request, user):
    replace = request.path.endswith('/update')

    def edit(entry):
        entry = obj(entry, 'Every item')
        return api.files.edit(user, entry.get('id'), entry, replace)

    return outcomes(field(body(request), 'items', list, required=True),
                    edit, lambda file: file_json(request, file))
