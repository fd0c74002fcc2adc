"""Imports (volume -> project) and exports (project -> volume), run in
the background."""
import os

from sevenbridges.emulator.state.background import UserWork
from sevenbridges.emulator.state.checks import field, obj
from sevenbridges.emulator.state.common import new_id, now
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.volumes import clean_location


class Transfers(UserWork):
    """Transfers between volumes and projects (see
    :class:`~.background.UserWork`).

    :param volumes: the :class:`~.volumes.Volumes` transferred from or
        to.
    """

    def __init__(self, store, users, files, volumes, background):
        super().__init__(store, users, files, background)
        self.volumes = volumes

    def _start(self, transfer):
        transfer.update(state='RUNNING', started_on=now())

    def _fail(self, transfer, error):
        """End a transfer with the platform's error body."""
        if not isinstance(error, ApiError):
            error = ApiError(500, str(error), 0)
        transfer.update(state='FAILED', finished_on=now(),
                        error=error.body())

    def _query(self, user, args, filters):
        """The transfers of ``user`` that match the query ``args``:
        ``state`` and the ``filters`` (name -> how to read that value off
        a transfer)."""
        filters = dict(filters, state=lambda transfer: transfer['state'])
        return [transfer for transfer in self.mine(user)
                if all(not args.get(name) or read(transfer) == args.get(name)
                       for name, read in filters.items())]


class Imports(Transfers):
    """Volume -> project imports, the ``imports`` collection."""

    collection = 'imports'
    what = 'Import'
    code = 5010

    def submit(self, user, body):
        body = obj(body, 'The import')
        source = field(body, 'source', dict, required=True)
        destination = field(body, 'destination', dict, required=True)
        volume = self.volumes.get(user, source.get('volume') or '')
        location = clean_location(source.get('location'))
        path = self.volumes.object_path(volume, location)
        if not os.path.exists(path):
            raise ApiError(404, f'Object {location} not found on volume '
                                f'{volume["id"]}.', 5009)
        if bool(destination.get('project')) == \
                bool(destination.get('parent')):
            raise ApiError(400, 'The destination takes a project or a '
                                'parent folder (one of them).', 9000)
        project, folder = self.files.container(
            user, destination.get('project'), destination.get('parent'),
            'write')
        is_folder = os.path.isdir(path)
        transfer = {
            'id': new_id(), 'state': 'PENDING',
            'source': {'volume': volume['id'], 'location': location},
            'destination': {'project': project, 'name': destination.get(
                'name') or os.path.basename(location.rstrip('/'))},
            'overwrite': bool(body.get('overwrite')),
            'autorename': bool(body.get('autorename')),
            'preserve_folder_structure': bool(body.get(
                'preserve_folder_structure', True)) if is_folder else None,
            'started_on': None, 'finished_on': None,
            '_owner': user['username'], '_folder': folder}
        if destination.get('parent'):
            transfer['destination']['parent'] = destination['parent']
        return self.queue.submit(transfer)

    def query(self, user, args):
        """The user's imports, by ``project``, ``volume`` and ``state``."""
        return self._query(user, args, {
            'project': lambda transfer: transfer['destination']['project'],
            'volume': lambda transfer: transfer['source']['volume']})

    def _finish(self, transfer):
        user = self.users.get(transfer['_owner'])
        try:
            volume = self.volumes.get(user, transfer['source']['volume'])
            self.files.container(user, transfer['destination']['project'],
                                 transfer['_folder'], 'write')
            path = self.volumes.object_path(volume,
                                            transfer['source']['location'])
            if os.path.isdir(path):
                result = self._import_folder(transfer, volume, path)
            elif os.path.isfile(path):
                result = self._import_file(
                    transfer, volume, path, transfer['_folder'],
                    transfer['destination']['name'],
                    transfer['source']['location'])
            else:
                raise ApiError(404, f'Object {transfer["source"]["location"]} '
                                    f'is gone from the volume.', 5009)
        except ApiError as error:
            self._fail(transfer, error)
            return
        transfer.update(state='COMPLETED', finished_on=now(), result=result)

    def _import_file(self, transfer, volume, path, folder, name, location):
        name = self.files.free_name(folder, name, transfer['overwrite'],
                                    transfer['autorename'])
        return self.files.add_file(
            transfer['destination']['project'], folder, name,
            copied_from=path, replace=transfer['overwrite'],
            storage={'type': 'VOLUME', 'volume': volume['id'],
                     'location': location})

    def _import_folder(self, transfer, volume, path):
        """A folder import: the tree under ``path`` as project folders
        (``preserve_folder_structure``), or its files side by side in the
        destination."""
        top = self._folder(transfer, transfer['_folder'],
                           transfer['destination']['name'])
        location = transfer['source']['location'].rstrip('/')
        for directory, _, names in sorted(os.walk(path)):
            relative = os.path.relpath(directory, path)
            parts = [] if relative == '.' else relative.split(os.sep)
            folder = top['id']
            if transfer['preserve_folder_structure']:
                for part in parts:
                    folder = self._folder(transfer, folder, part,
                                          merge=True)['id']
            for name in sorted(names):
                if name.startswith('.sbg-partial-'):
                    continue
                key = '/'.join([location] + parts + [name])
                self._import_file(transfer, volume,
                                  os.path.join(directory, name), folder,
                                  name, key)
        return self.files.find(top['id'])

    def _folder(self, transfer, parent, name, merge=False):
        """The folder ``name`` in ``parent``: an existing one is reused
        inside an import (``merge``) or when overwriting; otherwise the
        usual name rules apply."""
        for existing in self.files.children(parent):
            if existing['name'] == name and existing['type'] == 'folder' \
                    and (merge or transfer['overwrite']):
                return existing
        name = self.files.free_name(parent, name, False,
                                    transfer['autorename'])
        return self.files.add_folder(transfer['destination']['project'],
                                     parent, name)


class Exports(Transfers):
    """Project -> volume exports, the ``exports`` collection."""

    collection = 'exports'
    what = 'Export'
    code = 5011

    def submit(self, user, body, copy_only=False):
        body = obj(body, 'The export')
        source = field(body, 'source', dict, required=True)
        destination = field(body, 'destination', dict, required=True)
        file = self.files.file(user, source.get('file') or '',
                                  'copy' if copy_only else 'write')
        if file['type'] == 'folder':
            raise ApiError(400, 'Folders can not be exported.', 9000)
        if (file.get('storage') or {}).get('type') == 'VOLUME' and \
                not copy_only:
            raise ApiError(400, f'File {file["id"]} is already on a volume; '
                                f'export a copy (copy_only).', 9000)
        volume = self.volumes.get(user, destination.get('volume') or '',
                                  'write')
        if volume['access_mode'] != 'RW':
            raise ApiError(400, f'Volume {volume["id"]} is read-only.', 9000)
        location = clean_location(destination.get('location'))
        if location.endswith('/'):
            raise ApiError(400, 'The location must name an object, not a '
                                'folder.', 9000)
        transfer = {
            'id': new_id(), 'state': 'PENDING', 'source': {'file': file['id']},
            'destination': {'volume': volume['id'], 'location': location},
            'overwrite': bool(body.get('overwrite')),
            'properties': body.get('properties') or {},
            'started_on': None, 'finished_on': None,
            '_owner': user['username'], '_copy_only': bool(copy_only)}
        return self.queue.submit(transfer)

    def query(self, user, args):
        """The user's exports, by ``volume`` and ``state``."""
        return self._query(user, args, {
            'volume': lambda transfer: transfer['destination']['volume']})

    def _finish(self, transfer):
        user = self.users.get(transfer['_owner'])
        destination = transfer['destination']
        try:
            file = self.files.file(user, transfer['source']['file'])
            volume = self.volumes.get(user, destination['volume'], 'write')
            self.volumes.write_object(volume, destination['location'],
                                      self.files.blob_path(file['id']),
                                      transfer['overwrite'])
        except ApiError as error:
            self._fail(transfer, error)
            return
        if not transfer['_copy_only']:
            file['storage'] = {'type': 'VOLUME', 'volume': volume['id'],
                               'location': destination['location']}
            file = self.files.save(file)
        transfer.update(state='COMPLETED', finished_on=now(), result=file)
