"""``/storage/volumes`` (with their members and objects), and the imports
and exports between volumes and projects (``/storage/imports``,
``/storage/exports`` and their ``/bulk`` forms)."""
from urllib.parse import urlencode

from sevenbridges.emulator.api.members import member_routes
from sevenbridges.emulator.api.render import background_json, base, resource
from sevenbridges.emulator.api.routing import Router, body, bulk, page
from sevenbridges.emulator.state.checks import flag
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.volumes import MAX_LIST_LIMIT

router = Router(__name__)


def volume_json(request, volume):
    return resource(request, volume, 'storage/volumes')


def _object_json(request, volume_id, location):
    """An object of a volume (its size is not listed)."""
    root = f'{base(request)}/storage/volumes/{volume_id}'
    return {'href': f'{root}/object?{urlencode({"location": location})}',
            'location': location, 'volume': volume_id, 'type': 'FILE',
            'metadata': {}}


@router.route('/storage/volumes', 'GET')
def query_volumes(api, request, user):
    return page(request, api.volumes.mine(user),
                lambda volume: volume_json(request, volume))


@router.route('/storage/volumes', 'POST')
def create_volume(api, request, user):
    return 201, volume_json(request, api.volumes.create(user, body(request)))


@router.route('/storage/volumes/<owner>/<name>', 'GET')
def get_volume(api, request, user, owner, name):
    return volume_json(request, api.volumes.get(user, f'{owner}/{name}'))


@router.route('/storage/volumes/<owner>/<name>', 'PATCH')
def patch_volume(api, request, user, owner, name):
    volume = api.volumes.update(user, f'{owner}/{name}', body(request))
    return volume_json(request, volume)


@router.route('/storage/volumes/<owner>/<name>', 'DELETE')
def delete_volume(api, request, user, owner, name):
    api.volumes.delete(user, f'{owner}/{name}')
    return 204, {}


@router.route('/storage/volumes/<owner>/<name>/list', 'GET')
def list_volume(api, request, user, owner, name):
    volume_id = f'{owner}/{name}'
    try:
        limit = int(request.args.get('limit') or 50)
    except ValueError:
        raise ApiError(400, f'limit must be 1 to {MAX_LIST_LIMIT}.',
                       9000) from None
    prefix = request.args.get('prefix') or ''
    _, objects, prefixes, after = api.volumes.listing(
        user, volume_id, prefix, limit,
        request.args.get('continuation_token'))
    root = f'{base(request)}/storage/volumes/{volume_id}'
    links = []
    if after is not None:
        query = dict(request.args.to_dict(), continuation_token=after,
                     limit=str(limit))
        links.append({'next': f'{root}/list?{urlencode(query)}'})
    return {
        'href': request.url,
        'items': [_object_json(request, volume_id, key) for key in objects],
        'prefixes': [{'href': f'{root}/list?{urlencode({"prefix": key})}',
                      'prefix': key, 'volume': volume_id}
                     for key in prefixes],
        'links': links}


@router.route('/storage/volumes/<owner>/<name>/object', 'GET')
def volume_object(api, request, user, owner, name):
    volume_id = f'{owner}/{name}'
    _, location, size = api.volumes.object_info(
        user, volume_id, request.args.get('location'))
    return dict(_object_json(request, volume_id, location), size=size)


def _members(api, user, volume_id, need):
    volume = api.volumes.get(user, volume_id, need)
    return api.volumes.members, volume['_owner']


member_routes(router, 'storage/volumes', _members,
              kinds=('USER', 'TEAM', 'DIVISION'))


def _transfer_routes(kind, service, submit):
    """The endpoints of ``/storage/{kind}s`` and ``/bulk/storage/{kind}s``:
    query, submit, get, bulk get and bulk submit.

    :param service: ``service(api)`` is the service of ``kind``.
    :param submit: ``submit(api, request, user, body)`` starts one.
    """
    path = f'storage/{kind}s'

    def render(request):
        return lambda doc: background_json(request, doc, path)

    def query(api, request, user):
        return page(request, service(api).query(user, request.args),
                    render(request))

    def create(api, request, user):
        return 201, render(request)(submit(api, request, user,
                                           body(request)))

    def get(api, request, user, item_id):
        return render(request)(service(api).get(user, item_id))

    def bulk_get(api, request, user):
        return bulk(request, f'{kind}_ids',
                    lambda item_id: service(api).get(user, item_id),
                    render(request))

    def bulk_create(api, request, user):
        return bulk(request, 'items',
                    lambda item: submit(api, request, user, item),
                    render(request))

    router.route(f'/{path}', 'GET')(query)
    router.route(f'/{path}', 'POST')(create)
    router.route(f'/{path}/<item_id>', 'GET')(get)
    router.route(f'/bulk/{path}/get', 'POST')(bulk_get)
    router.route(f'/bulk/{path}/create', 'POST')(bulk_create)


_transfer_routes('import', lambda api: api.imports,
                 lambda api, request, user, item:
                 api.imports.submit(user, item))
_transfer_routes('export', lambda api: api.exports,
                 lambda api, request, user, item:
                 api.exports.submit(user, item,
                                    flag(request.args.get('copy_only'))))
