"""``/genome/markers``."""
from sevenbridges.emulator.api.render import resource
from sevenbridges.emulator.api.routing import Router, body, page

router = Router(__name__)


def marker_json(request, marker):
    return resource(request, marker, 'genome/markers')


@router.route('/genome/markers', 'GET')
def query_markers(api, request, user):
    markers = api.markers.of_file(user, request.args.get('file'))
    return page(request, markers, lambda m: marker_json(request, m))


@router.route('/genome/markers', 'POST')
def create_marker(api, request, user):
    return 201, marker_json(request, api.markers.create(user, body(request)))


@router.route('/genome/markers/<marker_id>', 'GET')
def get_marker(api, request, user, marker_id):
    return marker_json(request, api.markers.get(user, marker_id))


@router.route('/genome/markers/<marker_id>', 'PATCH')
def patch_marker(api, request, user, marker_id):
    marker = api.markers.update(user, marker_id, body(request))
    return marker_json(request, marker)


@router.route('/genome/markers/<marker_id>', 'DELETE')
def delete_marker(api, request, user, marker_id):
    api.markers.delete(user, marker_id)
    return 204, {}
