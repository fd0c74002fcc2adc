"""``/async/files`` (copy, move and delete in the background) and
``/bulk/drs/imports``."""
from sevenbridges.emulator.api.render import background_json
from sevenbridges.emulator.api.routing import Router, body, page

router = Router(__name__)
DRS_IMPORTS = 'bulk/drs/imports'


@router.route('/async/files', 'GET')
def list_file_operations(api, request, user):
    return page(request, api.async_files.mine(user),
                lambda doc: background_json(
                    request, doc, f'async/files/{doc["type"].lower()}'))


@router.route('/async/files/<any(copy, move, delete):operation>', 'POST')
def submit_file_operation(api, request, user, operation):
    submitted = api.async_files.submit(user, operation, body(request))
    return 201, background_json(request, submitted,
                                f'async/files/{operation}')


@router.route('/async/files/<any(copy, move, delete):operation>/<item_id>',
              'GET')
def get_file_operation(api, request, user, operation, item_id):
    return background_json(request,
                           api.async_files.get(user, item_id, operation),
                           f'async/files/{operation}')


@router.route('/bulk/drs/imports/create', 'POST')
def submit_drs_import(api, request, user):
    submitted = api.drs_imports.submit(user, body(request))
    return 201, background_json(request, submitted, DRS_IMPORTS)


@router.route('/bulk/drs/imports/<item_id>', 'GET')
def get_drs_import(api, request, user, item_id):
    return background_json(request, api.drs_imports.get(user, item_id),
                           DRS_IMPORTS)
