"""Multipart uploads: ``/upload/multipart`` (files) and
``/automation/upload`` (code packages)."""
from sevenbridges.emulator.api.render import file_json
from sevenbridges.emulator.api.routing import Router, body
from sevenbridges.emulator.state.checks import flag

router = Router(__name__)


def _upload_routes(prefix, kind):
    def start(api, request, user):
        upload = api.uploads.start(user, body(request),
                                   flag(request.args.get('overwrite')),
                                   kind=kind)
        return {'upload_id': upload['id'], 'part_size': upload['part_size'],
                'name': upload['name'], 'size': upload['size']}

    def info(api, request, user, upload_id):
        upload = api.uploads.get(user, upload_id)
        return {'upload_id': upload_id, 'name': upload['name'],
                'size': upload['size'], 'part_size': upload['part_size']}

    def abort(api, request, user, upload_id):
        api.uploads.abort(user, upload_id)
        return 204, {}

    def part_url(api, request, user, upload_id, number):
        api.uploads.get(user, upload_id)
        return {'method': 'PUT', 'url': api.signer.sign(
            api.storage_url, f'/parts/{upload_id}/{number}'),
            'expires': None, 'headers': {}}

    def report(api, request, user, upload_id):
        api.uploads.report_part(user, upload_id, body(request))
        return {}

    def complete(api, request, user, upload_id):
        return file_json(request, api.uploads.complete(user, upload_id))

    router.route(prefix, 'POST')(start)
    router.route(prefix + '/<upload_id>', 'GET')(info)
    router.route(prefix + '/<upload_id>', 'DELETE')(abort)
    router.route(prefix + '/<upload_id>/part/<int:number>', 'GET')(part_url)
    router.route(prefix + '/<upload_id>/part/', 'POST')(report)
    router.route(prefix + '/<upload_id>/complete', 'POST')(complete)


_upload_routes('/upload/multipart', 'file')
_upload_routes('/automation/upload', 'code')
