"""``/action``: feedback, and copies of many files at once."""
from sevenbridges.emulator.api.routing import Router, body

router = Router(__name__)


@router.route('/action/notifications/feedback', 'POST')
def send_feedback(api, request, user):
    api.feedback.send(user, body(request))
    return 204, {}


@router.route('/action/files/copy', 'POST')
def copy_files(api, request, user):
    request_body = body(request)
    return api.files.copy_into(user, request_body.get('project'),
                               request_body.get('file_ids'))
