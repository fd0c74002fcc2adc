"""Cloud storage volumes backed by local folders (the imports and exports
that move files between volumes and projects are
:mod:`~sevenbridges.emulator.state.imports_exports`).

A volume's bucket is the folder ``<data dir>/buckets/<bucket>``; its
``prefix`` (if any) is a sub-folder of it. Two volumes on the same bucket
see the same objects. Credentials are required like on the platform (per
service type) but never checked against a cloud; secrets are kept out of
every answer.
"""
import os
import shutil
import uuid

from sevenbridges.emulator.state.checks import check, field
from sevenbridges.emulator.state.common import now
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.members import check_access

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
    """The ``volumes`` collection, the volumes' objects, and their members
    (the ``volume_members`` :class:`~.members.Memberships`).

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param buckets: the folder of the buckets.
    :param members: the volume members' ``Memberships``.
    """

    def __init__(self, store, buckets, members):
        self.store = store
        self.buckets = buckets
        self.members = members

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
            self.members.add(volume_id, user['username'], 'USER',
                             VOLUME_PERMISSIONS)
        return volume

    def root(self, volume):
        service = volume['service']
        return os.path.join(self.buckets, service['bucket'],
                            *(service.get('prefix') or '').split('/'))

    def get(self, user, volume_id, need='read'):
        volume = self.store.get('volumes', volume_id)
        permissions = self.permissions(user, volume) if volume else {}
        check_access(permissions, need, 'Volume', volume_id, 5008)
        return volume

    def permissions(self, user, volume):
        return self.members.permissions(volume['id'], user['username'])

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
            self.members.remove_all(volume['id'])
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
