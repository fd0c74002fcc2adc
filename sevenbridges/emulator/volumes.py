"""Cloud storage volumes backed by local folders, and the imports and
exports that move files between volumes and projects.

A volume's bucket is the folder ``<data dir>/buckets/<bucket>``; its
``prefix`` (if any) is a sub-folder of it. Two volumes on the same bucket
see the same objects. Credentials are required like on the platform (per
service type) but never checked against a cloud; secrets are kept out of
every answer.
"""
import os
import shutil
import uuid

from sevenbridges.emulator.bodies import check, field, obj
from sevenbridges.emulator.errors import ApiError
from sevenbridges.emulator.members import Memberships
from sevenbridges.emulator.platform import new_id, now

# The credentials each service type takes (any one set of them).
CREDENTIALS = {
    'S3': (('access_key_id', 'secret_access_key'),
           ('role_arn', 'external_id')),
    'GCS': (('client_email', 'private_key'), ('configuration',)),
    'OSS': (('access_key_id', 'secret_access_key'),),
}
# Credential keys safe to show back (the platform hides secrets).
SHOWN_CREDENTIALS = ('access_key_id', 'client_email', 'role_arn')
VOLUME_PERMISSIONS = {'read': True, 'copy': True, 'write': True,
                      'admin': True}
READ_PERMISSIONS = {'read': True, 'copy': True, 'write': False,
                    'admin': False}
MAX_LIST_LIMIT = 1000


def clean_location(location):
    """A volume location as a relative key; refuses escapes and absolute
    paths."""
    if not isinstance(location, str) or not location.strip('/'):
        raise ApiError(400, 'A location on the volume is required.', 9000)
    parts = [part for part in location.split('/') if part]
    if any(part in ('.', '..') for part in parts):
        raise ApiError(400, f'Invalid location {location}.', 9000)
    return '/'.join(parts) + ('/' if location.endswith('/') else '')


class Volumes:
    """Volumes, their members and objects."""

    def __init__(self, platform):
        self.platform = platform
        self.store = platform.store
        self.buckets = os.path.join(platform.data_dir, 'buckets')
        self.memberships = Memberships(platform, 'volume_members',
                                       READ_PERMISSIONS)

    # -- volumes --------------------------------------------------------------

    def create(self, user, body):
        name = body.get('name')
        if not name or not isinstance(name, str) or '/' in name:
            raise ApiError(400, 'A volume name (without "/") is required.',
                           9000)
        service = body.get('service')
        if not isinstance(service, dict):
            raise ApiError(400, 'The volume service is required.', 9000)
        kind = service.get('type')
        if kind not in CREDENTIALS:
            raise ApiError(400, f'Unsupported service type {kind!r}: use '
                                f'one of {", ".join(CREDENTIALS)}.', 9000)
        bucket = service.get('bucket')
        if not bucket or not isinstance(bucket, str) or '/' in bucket or \
                bucket in ('.', '..'):
            raise ApiError(400, 'A bucket name is required.', 9000)
        credentials = service.get('credentials') or {}
        if not any(all(credentials.get(key) for key in keys)
                   for keys in CREDENTIALS[kind]):
            wanted = ' or '.join('+'.join(keys)
                                 for keys in CREDENTIALS[kind])
            raise ApiError(400, f'{kind} volumes need credentials: {wanted}.',
                           9000)
        if kind == 'OSS' and not service.get('endpoint'):
            raise ApiError(400, 'OSS volumes need an endpoint.', 9000)
        access_mode = body.get('access_mode', 'RW')
        if access_mode not in ('RO', 'RW'):
            raise ApiError(400, 'access_mode must be RO or RW.', 9000)
        volume_id = f'{user["username"]}/{name}'
        if self.store.get('volumes', volume_id):
            raise ApiError(409, f'Volume {volume_id} already exists.', 5005)
        prefix = service.get('prefix') or ''
        if prefix:
            prefix = clean_location(prefix).rstrip('/')
        shown = {key: value for key, value in credentials.items()
                 if key in SHOWN_CREDENTIALS}
        volume = {
            'id': volume_id, 'name': name,
            'description': field(body, 'description', str, default=''),
            'access_mode': access_mode, 'active': True,
            'service': dict({key: value for key, value in service.items()
                             if key != 'credentials'},
                            prefix=prefix, credentials=shown),
            'created_on': now(), 'modified_on': now(),
            '_owner': user['username']}
        os.makedirs(self.root(volume), exist_ok=True)
        with self.store.transaction():
            self.store.put('volumes', volume)
            self.memberships.add(volume_id, user['username'], 'USER',
                                 VOLUME_PERMISSIONS)
        return volume

    def root(self, volume):
        service = volume['service']
        return os.path.join(self.buckets, service['bucket'],
                            *(service.get('prefix') or '').split('/'))

    def get(self, user, volume_id, need='read'):
        volume = self.store.get('volumes', volume_id)
        permissions = self.permissions(user, volume) if volume else {}
        if not permissions.get('read'):
            raise ApiError(404, f'Volume {volume_id} not found.', 5008)
        if not permissions.get(need):
            raise ApiError(403, f'Insufficient privileges ({need}) on volume '
                                f'{volume_id}.', 6001)
        return volume

    def permissions(self, user, volume):
        return self.memberships.permissions(volume['id'], user['username'])

    def mine(self, user):
        return [volume for volume in self.store.find('volumes')
                if self.permissions(user, volume).get('read')]

    def update(self, user, volume_id, body):
        volume = self.get(user, volume_id, 'admin')
        check(body, {'name': str, 'description': str, 'access_mode': str,
                     'active': bool})
        for key in ('name', 'description', 'access_mode', 'active'):
            if key in body:
                volume[key] = body[key]
        if volume['access_mode'] not in ('RO', 'RW'):
            raise ApiError(400, 'access_mode must be RO or RW.', 9000)
        service = field(body, 'service', dict, default={})
        field(service, 'credentials', dict)
        for key in ('bucket', 'type'):
            if key in service and service[key] != volume['service'][key]:
                raise ApiError(400, f'The {key} of a volume can not change.',
                               9000)
        for key, value in service.items():
            if key == 'credentials':
                volume['service']['credentials'].update(
                    {k: v for k, v in value.items()
                     if k in SHOWN_CREDENTIALS})
            elif key == 'prefix':
                volume['service']['prefix'] = \
                    clean_location(value).rstrip('/') if value else ''
            else:
                volume['service'][key] = value
        volume['modified_on'] = now()
        return self.store.put('volumes', volume)

    def delete(self, user, volume_id):
        volume = self.get(user, volume_id, 'admin')
        with self.store.transaction():
            self.memberships.remove_all(volume['id'])
            self.store.delete('volumes', volume['id'])

    # -- objects --------------------------------------------------------------

    def keys(self, volume):
        """Every object key of the volume, sorted."""
        root = self.root(volume)
        found = []
        for folder, _, names in os.walk(root):
            relative = os.path.relpath(folder, root)
            for name in names:
                if name.startswith('.sbg-partial-'):
                    continue
                key = name if relative == '.' else f'{relative}/{name}'
                found.append(key.replace(os.sep, '/'))
        return sorted(found)

    def listing(self, user, volume_id, prefix='', limit=50, after=None):
        """One page of the objects and common prefixes right under
        ``prefix`` (delimiter ``/``), the way S3 lists a bucket: entries
        sorted by key, the page ending at ``limit`` entries, and the key of
        its last entry as the continuation point."""
        volume = self.get(user, volume_id)
        if not 0 < limit <= MAX_LIST_LIMIT:
            raise ApiError(400, f'limit must be 1 to {MAX_LIST_LIMIT}.',
                           9000)
        entries = {}
        for key in self.keys(volume):
            if not key.startswith(prefix):
                continue
            rest = key[len(prefix):]
            if '/' in rest:
                common = prefix + rest[:rest.index('/') + 1]
                entries[common] = 'prefix'
            else:
                entries[key] = 'object'
        ordered = [key for key in sorted(entries)
                   if after is None or key > after]
        page = ordered[:limit]
        more = len(ordered) > limit
        objects = [key for key in page if entries[key] == 'object']
        prefixes = [key for key in page if entries[key] == 'prefix']
        return volume, objects, prefixes, (page[-1] if more else None)

    def object_path(self, volume, location):
        return os.path.join(self.root(volume),
                            *clean_location(location).rstrip('/').split('/'))

    def object_info(self, user, volume_id, location):
        volume = self.get(user, volume_id)
        path = self.object_path(volume, location)
        if not os.path.isfile(path):
            raise ApiError(404, f'Object {location} not found on volume '
                                f'{volume_id}.', 5009)
        return volume, clean_location(location), os.path.getsize(path)

    def write_object(self, volume, location, source, overwrite):
        """Copy the file ``source`` to ``location`` of the volume, atomically
        (a partial copy never shows under the object's key)."""
        target = self.object_path(volume, location)
        if os.path.isdir(target):
            raise ApiError(409, f'{location} is a folder on the volume.',
                           5004)
        if os.path.exists(target) and not overwrite:
            raise ApiError(409, f'Object {location} already exists on '
                                f'volume {volume["id"]}.', 5004)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        staging = os.path.join(os.path.dirname(target),
                               f'.sbg-partial-{uuid.uuid4().hex}')
        try:
            shutil.copyfile(source, staging)
            os.replace(staging, target)
        finally:
            if os.path.exists(staging):
                os.remove(staging)


class Imports:
    """Volume -> project imports, run by :class:`~.jobs.Jobs`."""

    def __init__(self, platform, volumes, jobs):
        self.platform = platform
        self.volumes = volumes
        self.store = platform.store
        jobs.register('imports', self._start, self._finish, _fail)
        self.jobs = jobs

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
        project, folder = self.platform.container(
            user, destination.get('project'), destination.get('parent'),
            'write')
        is_folder = os.path.isdir(path)
        job = {
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
            job['destination']['parent'] = destination['parent']
        return self.jobs.submit('imports', job)

    def get(self, user, import_id):
        job = self.store.get('imports', import_id)
        if job is None or job['_owner'] != user['username']:
            raise ApiError(404, f'Import {import_id} not found.', 5010)
        return job

    def query(self, user, args):
        """The user's imports, by ``project``, ``volume`` and ``state``."""
        return _jobs_of(self.store.find('imports'), user, args, {
            'project': lambda job: job['destination']['project'],
            'volume': lambda job: job['source']['volume']})

    def _start(self, job):
        job.update(state='RUNNING', started_on=now())

    def _finish(self, job):
        user = self.platform.user(job['_owner'])
        try:
            volume = self.volumes.get(user, job['source']['volume'])
            self.platform.container(user, job['destination']['project'],
                                    job['_folder'], 'write')
            path = self.volumes.object_path(volume,
                                            job['source']['location'])
            if os.path.isdir(path):
                result = self._import_folder(job, volume, path)
            elif os.path.isfile(path):
                result = self._import_file(
                    job, volume, path, job['_folder'],
                    job['destination']['name'], job['source']['location'])
            else:
                raise ApiError(404, f'Object {job["source"]["location"]} '
                                    f'is gone from the volume.', 5009)
        except ApiError as error:
            _fail(job, error)
            return
        job.update(state='COMPLETED', finished_on=now(), result=result)

    def _import_file(self, job, volume, path, folder, name, location):
        name = self.platform.free_name(folder, name, job['overwrite'],
                                       job['autorename'])
        staging = os.path.join(self.platform.blobs, f'.import-{new_id()}')
        shutil.copyfile(path, staging)
        return self.platform.add_file(
            job['destination']['project'], folder, name,
            source_path=staging, replace=job['overwrite'],
            storage={'type': 'VOLUME', 'volume': volume['id'],
                     'location': location})

    def _import_folder(self, job, volume, path):
        """A folder import: the tree under ``path`` as project folders
        (``preserve_folder_structure``), or its files side by side in the
        destination."""
        top = self._folder(job, job['_folder'], job['destination']['name'])
        location = job['source']['location'].rstrip('/')
        for directory, _, names in sorted(os.walk(path)):
            relative = os.path.relpath(directory, path)
            parts = [] if relative == '.' else relative.split(os.sep)
            folder = top['id']
            if job['preserve_folder_structure']:
                for part in parts:
                    folder = self._folder(job, folder, part,
                                          merge=True)['id']
            for name in sorted(names):
                if name.startswith('.sbg-partial-'):
                    continue
                key = '/'.join([location] + parts + [name])
                self._import_file(job, volume, os.path.join(directory, name),
                                  folder, name, key)
        return self.store.get('files', top['id'])

    def _folder(self, job, parent, name, merge=False):
        """The folder ``name`` in ``parent``: an existing one is reused
        inside an import (``merge``) or when overwriting; otherwise the
        usual name rules apply."""
        for existing in self.platform.children(parent):
            if existing['name'] == name and existing['type'] == 'folder' \
                    and (merge or job['overwrite']):
                return existing
        name = self.platform.free_name(parent, name, False,
                                       job['autorename'])
        doc = self.platform._new_file_doc(name, job['destination']['project'],
                                          parent, kind='folder')
        return self.store.put('files', doc, project=doc['project'],
                              parent=parent)


class Exports:
    """Project -> volume exports, run by :class:`~.jobs.Jobs`."""

    def __init__(self, platform, volumes, jobs):
        self.platform = platform
        self.volumes = volumes
        self.store = platform.store
        jobs.register('exports', self._start, self._finish, _fail)
        self.jobs = jobs

    def submit(self, user, body, copy_only=False):
        body = obj(body, 'The export')
        source = field(body, 'source', dict, required=True)
        destination = field(body, 'destination', dict, required=True)
        file = self.platform.file(user, source.get('file') or '',
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
        job = {
            'id': new_id(), 'state': 'PENDING', 'source': {'file': file['id']},
            'destination': {'volume': volume['id'], 'location': location},
            'overwrite': bool(body.get('overwrite')),
            'properties': body.get('properties') or {},
            'started_on': None, 'finished_on': None,
            '_owner': user['username'], '_copy_only': bool(copy_only)}
        return self.jobs.submit('exports', job)

    def get(self, user, export_id):
        job = self.store.get('exports', export_id)
        if job is None or job['_owner'] != user['username']:
            raise ApiError(404, f'Export {export_id} not found.', 5011)
        return job

    def query(self, user, args):
        """The user's exports, by ``volume`` and ``state``."""
        return _jobs_of(self.store.find('exports'), user, args, {
            'volume': lambda job: job['destination']['volume']})

    def _start(self, job):
        job.update(state='RUNNING', started_on=now())

    def _finish(self, job):
        user = self.platform.user(job['_owner'])
        destination = job['destination']
        try:
            file = self.platform.file(user, job['source']['file'])
            volume = self.volumes.get(user, destination['volume'], 'write')
            self.volumes.write_object(volume, destination['location'],
                                      self.platform.blob_path(file['id']),
                                      job['overwrite'])
        except ApiError as error:
            _fail(job, error)
            return
        if not job['_copy_only']:
            file['storage'] = {'type': 'VOLUME', 'volume': volume['id'],
                               'location': destination['location']}
            file = self.platform.save_file(file)
        job.update(state='COMPLETED', finished_on=now(), result=file)


def _jobs_of(jobs, user, args, filters):
    """The jobs of ``user`` that match the query ``args``: ``state`` and
    the ``filters`` (name -> how to read that value off a job)."""
    filters = dict(filters, state=lambda job: job['state'])
    return [job for job in jobs if job['_owner'] == user['username']
            and all(not args.get(name) or read(job) == args.get(name)
                    for name, read in filters.items())]


def _fail(job, error):
    """End an import or export with the platform's error body."""
    if not isinstance(error, ApiError):
        error = ApiError(500, str(error), 0)
    job.update(state='FAILED', finished_on=now(), error=error.body())
