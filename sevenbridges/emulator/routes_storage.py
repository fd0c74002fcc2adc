"""Endpoints of volumes, imports, exports, DRS imports and async file jobs
(registered on import by :mod:`server`)."""
from urllib.parse import urlencode

from sevenbridges.emulator.errors import ApiError
from sevenbridges.emulator.members import member_routes
from sevenbridges.emulator.server import public, route
from sevenbridges.emulator.volumes import MAX_LIST_LIMIT


def _bool(value):
    return str(value).lower() in ('true', '1')


def _volume_id(owner, name):
    return f'{owner}/{name}'


def volume_json(api, request, volume):
    return dict(public(volume),
                href=f'{api.base(request)}/storage/volumes/{volume["id"]}')


def job_json(api, request, job, path):
    """An import, export or DRS import with its result file rendered."""
    data = dict(public(job), href=f'{api.base(request)}/{path}/{job["id"]}')
    if isinstance(data.get('result'), dict):
        data['result'] = api.file_json(request, data['result'])
    elif isinstance(data.get('result'), list):
        data['result'] = [
            dict(entry, resource=api.file_json(request, entry['resource']))
            if 'resource' in entry else entry for entry in data['result']]
    for key in ('result', 'error', 'started_on', 'finished_on',
                'preserve_folder_structure'):
        if data.get(key) is None:
            data.pop(key, None)
    return data


# -- volumes ------------------------------------------------------------------

@route('/storage/volumes', 'GET')
def query_volumes(api, request, user):
    return api.page(request, api.volumes.mine(user),
                    lambda volume: volume_json(api, request, volume))


@route('/storage/volumes', 'POST')
def create_volume(api, request, user):
    volume = api.volumes.create(user, api.body(request))
    return 201, volume_json(api, request, volume)


@route('/storage/volumes/<owner>/<name>', 'GET')
def get_volume(api, request, user, owner, name):
    return volume_json(api, request,
                       api.volumes.get(user, _volume_id(owner, name)))


@route('/storage/volumes/<owner>/<name>', 'PATCH')
def patch_volume(api, request, user, owner, name):
    volume = api.volumes.update(user, _volume_id(owner, name),
                                api.body(request))
    return volume_json(api, request, volume)


@route('/storage/volumes/<owner>/<name>', 'DELETE')
def delete_volume(api, request, user, owner, name):
    api.volumes.delete(user, _volume_id(owner, name))
    return 204, {}


@route('/storage/volumes/<owner>/<name>/list', 'GET')
def list_volume(api, request, user, owner, name):
    volume_id = _volume_id(owner, name)
    try:
        limit = int(request.args.get('limit') or 50)
    except ValueError:
        raise ApiError(400, f'limit must be 1 to {MAX_LIST_LIMIT}.',
                       9000) from None
    prefix = request.args.get('prefix') or ''
    volume, objects, prefixes, after = api.volumes.listing(
        user, volume_id, prefix, limit,
        request.args.get('continuation_token'))
    base = f'{api.base(request)}/storage/volumes/{volume_id}'
    links = []
    if after is not None:
        query = dict(request.args.to_dict(), continuation_token=after,
                     limit=str(limit))
        links.append({'next': f'{base}/list?{urlencode(query)}'})
    return {
        'href': request.url,
        'items': [{'href': f'{base}/object?{urlencode({"location": key})}',
                   'location': key, 'volume': volume_id, 'type': 'FILE',
                   'metadata': {}} for key in objects],
        'prefixes': [{'href': f'{base}/list?{urlencode({"prefix": key})}',
                      'prefix': key, 'volume': volume_id}
                     for key in prefixes],
        'links': links}


@route('/storage/volumes/<owner>/<name>/object', 'GET')
def volume_object(api, request, user, owner, name):
    volume_id = _volume_id(owner, name)
    _, location, size = api.volumes.object_info(
        user, volume_id, request.args.get('location'))
    base = f'{api.base(request)}/storage/volumes/{volume_id}'
    return {'href': f'{base}/object?{urlencode({"location": location})}',
            'location': location, 'volume': volume_id, 'type': 'FILE',
            'metadata': {}, 'size': size}


def _volume_members(api, user, volume_id, need):
    volume = api.volumes.get(user, volume_id, need)
    return api.volumes.memberships, volume['_owner']


member_routes('storage/volumes', _volume_members,
              kinds=('USER', 'TEAM', 'DIVISION'))


# -- imports and exports -----------------------------------------------------

def _storage_job_routes(kind, submit):
    """The endpoints of ``/storage/{kind}s`` and ``/bulk/storage/{kind}s``:
    query, submit, get, bulk get and bulk submit.

    :param submit: ``submit(api, request, user, body)`` starts one job.
    """
    path = f'storage/{kind}s'

    def service(api):
        return getattr(api, f'{kind}s')

    def query(api, request, user):
        return api.page(request, service(api).query(user, request.args),
                        lambda job: job_json(api, request, job, path))

    def create(api, request, user):
        job = submit(api, request, user, api.body(request))
        return 201, job_json(api, request, job, path)

    def get(api, request, user, job_id):
        return job_json(api, request, service(api).get(user, job_id), path)

    def bulk_get(api, request, user):
        return api.bulk(request, f'{kind}_ids',
                        lambda job_id: service(api).get(user, job_id),
                        lambda job: job_json(api, request, job, path))

    def bulk_create(api, request, user):
        return api.bulk(request, 'items',
                        lambda item: submit(api, request, user, item),
                        lambda job: job_json(api, request, job, path))

    route(f'/{path}', 'GET')(query)
    route(f'/{path}', 'POST')(create)
    route(f'/{path}/<job_id>', 'GET')(get)
    route(f'/bulk/{path}/get', 'POST')(bulk_get)
    route(f'/bulk/{path}/create', 'POST')(bulk_create)


_storage_job_routes('import', lambda api, request, user, body:
                    api.imports.submit(user, body))
_storage_job_routes('export', lambda api, request, user, body:
                    api.exports.submit(user, body, _bool(
                        request.args.get('copy_only'))))


# -- DRS imports --------------------------------------------------------------

@route('/bulk/drs/imports/create', 'POST')
def submit_drs_import(api, request, user):
    job = api.drs_imports.submit(user, api.body(request))
    return 201, job_json(api, request, job, 'bulk/drs/imports')


@route('/bulk/drs/imports/<job_id>', 'GET')
def get_drs_import(api, request, user, job_id):
    return job_json(api, request, api.drs_imports.get(user, job_id),
                    'bulk/drs/imports')


# -- async file jobs ----------------------------------------------------------

@route('/async/files', 'GET')
def list_file_jobs(api, request, user):
    return api.page(request, api.file_jobs.mine(user), lambda job: job_json(
        api, request, job, f'async/files/{job["type"].lower()}'))


@route('/async/files/<any(copy, move, delete):operation>', 'POST')
def submit_file_job(api, request, user, operation):
    job = api.file_jobs.submit(user, operation, api.body(request))
    return 201, job_json(api, request, job, f'async/files/{operation}')


@route('/async/files/<any(copy, move, delete):operation>/<job_id>', 'GET')
def get_file_job(api, request, user, operation, job_id):
    return job_json(api, request,
                    api.file_jobs.get(user, operation, job_id),
                    f'async/files/{operation}')
