"""Genome markers on files."""
import uuid

from sevenbridges.emulator.state.checks import field
from sevenbridges.emulator.state.common import now
from sevenbridges.emulator.state.errors import ApiError


def _check_position(position):
    if not isinstance(position, dict) or not all(
            isinstance(position.get(key), int) and position[key] >= 0
            for key in ('start', 'end')):
        raise ApiError(400, 'position needs whole numbers start and end.',
                       9000)
    if position['end'] < position['start']:
        raise ApiError(400, 'position end is before its start.', 9000)


class Markers:
    """The ``markers`` collection.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param files: the :class:`~.files.Files` markers are on.
    """

    def __init__(self, store, files):
        self.store = store
        self.files = files

    def create(self, user, body):
        file = self.files.file(user, body.get('file') or '')
        if file['type'] != 'file':
            raise ApiError(400, 'Markers go on files.', 9000)
        if not field(body, 'name', str):
            raise ApiError(400, 'A marker name is required.', 9000)
        field(body, 'chromosome', str)
        field(body, 'private', bool)
        position = body.get('position')
        _check_position(position)
        marker = {'id': uuid.uuid4().hex, 'file': file['id'],
                  'name': body['name'], 'chromosome': body.get('chromosome'),
                  'position': position, 'private': body.get('private', True),
                  'created_time': now(), 'created_by': user['username']}
        return self.store.put('markers', marker, project=file['id'])

    def of_file(self, user, file_id):
        file = self.files.file(user, file_id or '')
        return [marker for marker in self.store.find('markers',
                                                     project=file['id'])
                if not marker['private'] or
                marker['created_by'] == user['username']]

    def get(self, user, marker_id, need='read'):
        marker = self.store.get('markers', marker_id)
        if marker is None or (marker['private'] and
                              marker['created_by'] != user['username']):
            raise ApiError(404, f'Marker {marker_id} not found.', 5018)
        self.files.file(user, marker['file'], need)
        return marker

    def update(self, user, marker_id, body):
        marker = self.get(user, marker_id, 'write')
        for key in ('name', 'chromosome'):
            if field(body, key, str) is not None:
                marker[key] = body[key]
        if body.get('position') is not None:
            position = dict(marker['position'],
                            **field(body, 'position', dict))
            _check_position(position)
            marker['position'] = position
        return self.store.put('markers', marker, project=marker['file'])

    def delete(self, user, marker_id):
        marker = self.get(user, marker_id, 'write')
        self.store.delete('markers', marker['id'])
