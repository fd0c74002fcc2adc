"""Endpoints of volumes, imports, exports, DRS imports and async file jobs
(registered on import by :mod:`server`)."""
from urllib.parse import urlencode

from sevenbridges.emulator.platform import ApiError
from sevenbridges.emulator.server import public, route
from sevenbridges.emulator.volumes import MAX_LIST_LIMIT


def _bool(value):
    return str(value).lower() in ('true', '1')


def _volume_id(owner, name):
    return f'{owner}/{name}'


def volume_json(api, request, volume):
    return dict(public(volume),
                href=f'{api.base(request)}/storage/volumes/{volume["id"]}')


def volume_member_json(api, request, member):
    volume_id, username = member['id'].rsplit(':', 1)
    return dict(public(member), id=username,
                href=f'{api.base(request)}/storage/volumes/{volume_id}/'
                     f'members/{username}')


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


def _bulk_records(ids, fetch, render):
    items = []
    for item_id in ids if isinstance(ids, list) else []:
        try:
            items.append({'resource': render(fetch(item_id))})
        except ApiError as error:
            items.append({'error': error.body()})
    return {'items': items}


# -- volumes ------------------------------------------------------------------

@route('/storage/volumes', 'GET')
def query_volumes(api, request, user):
    return api.page(request, api.volumes.mine(user),
                    lambda volume: volume_json(api, request, volume))


@route('/storage/volumes', 'POST')
def create_volume(api, request, user):
    volume = api.volumes.create(user, api.body(request) or {})
    return 201, volume_json(api, request, volume)


@route('/storage/volumes/<owner>/<name>', 'GET')
def get_volume(api, request, user, owner, name):
    return volume_json(api, request,
                       api.volumes.get(user, _volume_id(owner, name)))


@route('/storage/volumes/<owner>/<name>', 'PATCH')
def patch_volume(api, request, user, owner, name):
    volume = api.volumes.update(user, _volume_id(owner, name),
                                api.body(request) or {})
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


@route('/storage/volumes/<owner>/<name>/members', 'GET')
def volume_members(api, request, user, owner, name):
    members = api.volumes.members(user, _volume_id(owner, name))
    return api.page(request, members,
                    lambda m: volume_member_json(api, request, m))


@route('/storage/volumes/<owner>/<name>/members', 'POST')
def add_volume_member(api, request, user, owner, name):
    volume = api.volumes.get(user, _volume_id(owner, name), 'admin')
    body = api.body(request) or {}
    if not body.get('username'):
        raise ApiError(400, 'A username is required.', 9000)
    kind = body.get('type', 'USER')
    if kind not in ('USER', 'TEAM', 'DIVISION'):
        raise ApiError(400, 'type must be USER, TEAM or DIVISION.', 9000)
    member = api.volumes.add_member(volume, body['username'], kind,
                                    body.get('permissions'))
    return 201, volume_member_json(api, request, member)


@route('/storage/volumes/<owner>/<name>/members/<username>', 'GET')
def get_volume_member(api, request, user, owner, name, username):
    _, member = api.volumes.member(user, _volume_id(owner, name), username)
    return volume_member_json(api, request, member)


@route('/storage/volumes/<owner>/<name>/members/<username>/permissions',
       'PATCH')
def patch_volume_permissions(api, request, user, owner, name, username):
    volume, member = api.volumes.member(user, _volume_id(owner, name),
                                        username, 'admin')
    member['permissions'].update(api.body(request) or {})
    api.platform.store.put('volume_members', member, project=volume['id'])
    return member['permissions']


@route('/storage/volumes/<owner>/<name>/members/<username>', 'DELETE')
def remove_volume_member(api, request, user, owner, name, username):
    volume, member = api.volumes.member(user, _volume_id(owner, name),
                                        username, 'admin')
    if username == volume['_owner']:
        raise ApiError(400, 'The owner of a volume stays its member.', 9000)
    api.platform.store.delete('volume_members', member['id'])
    return 204, {}


# -- imports ------------------------------------------------------------------

@route('/storage/imports', 'GET')
def query_imports(api, request, user):
    jobs = api.imports.query(user, request.args.get('project'),
                             request.args.get('volume'),
                             request.args.get('state'))
    return api.page(request, jobs, lambda job: job_json(
        api, request, job, 'storage/imports'))


@route('/storage/imports', 'POST')
def submit_import(api, request, user):
    job = api.imports.submit(user, api.body(request))
    return 201, job_json(api, request, job, 'storage/imports')


@route('/storage/imports/<import_id>', 'GET')
def get_import(api, request, user, import_id):
    return job_json(api, request, api.imports.get(user, import_id),
                    'storage/imports')


@route('/bulk/storage/imports/get', 'POST')
def bulk_get_imports(api, request, user):
    return _bulk_records(
        (api.body(request) or {}).get('import_ids'),
        lambda job_id: api.imports.get(user, job_id),
        lambda job: job_json(api, request, job, 'storage/imports'))


@route('/bulk/storage/imports/create', 'POST')
def bulk_submit_imports(api, request, user):
    return _bulk_records(
        (api.body(request) or {}).get('items'),
        lambda item: api.imports.submit(user, item),
        lambda job: job_json(api, request, job, 'storage/imports'))


# -- exports ------------------------------------------------------------------

@route('/storage/exports', 'GET')
def query_exports(api, request, user):
    jobs = api.exports.query(user, request.args.get('volume'),
                             request.args.get('state'))
    return api.page(request, jobs, lambda job: job_json(
        api, request, job, 'storage/exports'))


@route('/storage/exports', 'POST')
def submit_export(api, request, user):
    job = api.exports.submit(user, api.body(request),
                             _bool(request.args.get('copy_only')))
    return 201, job_json(api, request, job, 'storage/exports')


@route('/storage/exports/<export_id>', 'GET')
def get_export(api, request, user, export_id):
    return job_json(api, request, api.exports.get(user, export_id),
                    'storage/exports')


@route('/bulk/storage/exports/get', 'POST')
def bulk_get_exports(api, request, user):
    return _bulk_records(
        (api.body(request) or {}).get('export_ids'),
        lambda job_id: api.exports.get(user, job_id),
        lambda job: job_json(api, request, job, 'storage/exports'))


@route('/bulk/storage/exports/create', 'POST')
def bulk_submit_exports(api, request, user):
    copy_only = _bool(request.args.get('copy_only'))
    return _bulk_records(
        (api.body(request) or {}).get('items'),
        lambda item: api.exports.submit(user, item, copy_only),
        lambda job: job_json(api, request, job, 'storage/exports'))


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
