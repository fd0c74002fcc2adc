"""The emulated platform's behaviour, independent of HTTP: users, billing,
projects and members, files and folders, uploads, apps and tasks."""
import contextlib
import copy
import hashlib
import hmac
import os
import re
import shutil
import time
import uuid
from datetime import datetime, timezone

from sevenbridges.emulator.bodies import INVALID, field, strings
from sevenbridges.emulator.errors import ApiError
from sevenbridges.emulator.members import GROUPS, Memberships
from sevenbridges.emulator.store import Store
from sevenbridges.transfer._fileio import IO_CHUNK, PositionalFile, new_buffer

DEFAULT_TOKEN = 'emulator-token-rfranklin'
SECOND_TOKEN = 'emulator-token-jwatson'
PUBLIC_PROJECT = 'admin/sbg-public-data'
ALL_PERMISSIONS = {'read': True, 'write': True, 'copy': True,
                   'execute': True, 'admin': True}
READ_ONLY = {'read': True, 'write': False, 'copy': True, 'execute': False,
             'admin': False}
MIB = 1024 * 1024
# Multipart uploads: the part size used when the client asks for none, and
# the platform's limits.
DEFAULT_PART_SIZE = 32 * MIB
MIN_PART_SIZE = 5 * MIB
MAX_PART_SIZE = 5 * 1024 * MIB
MAX_PARTS = 10000
MAX_UPLOAD_SIZE = 5 * 1024 * 1024 * MIB
# The numbered prefix of a renamed import (``_1_name``) and copy
# (``1_name``).
IMPORT_PREFIX = '_{}_'
COPY_PREFIX = '{}_'


def now():
    return datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def new_id():
    return uuid.uuid4().hex[:24]


def upload_part_size(size, asked=None):
    """The part size of an upload of ``size`` bytes, as the platform
    corrects what the client asked: at least 5 MiB, large enough for at
    most 10,000 parts (rounded up to whole MiB), at most 5 GiB; a file over
    5 TiB is refused."""
    if size > MAX_UPLOAD_SIZE:
        raise ApiError(400, f'size: a file is at most {MAX_UPLOAD_SIZE} '
                            f'bytes (5 TiB).', INVALID)
    part_size = max(asked or DEFAULT_PART_SIZE, MIN_PART_SIZE)
    fitting = -(-size // MAX_PARTS)
    if part_size < fitting:
        part_size = -(-fitting // MIB) * MIB
    return min(part_size, MAX_PART_SIZE)


def short_name(name):
    """The short name of a project id: lower case, each run of characters
    other than letters and digits one ``-``, none at either end."""
    return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')


class FolderListing:
    """The items of a folder, oldest first, as a sequence whose length is
    counted and whose slices are read from the store (a page of a folder
    of any size reads only that page).

    :param store: the :class:`~sevenbridges.emulator.store.Store`.
    :param folder_id: the folder.
    """

    def __init__(self, store, folder_id):
        self._store = store
        self._folder_id = folder_id
        self._count = None

    def __len__(self):
        if self._count is None:
            self._count = self._store.count('files', parent=self._folder_id)
        return self._count

    def __getitem__(self, index):
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError('A folder listing is read in slices.')
        start, stop, _ = index.indices(len(self))
        return self._store.find('files', parent=self._folder_id,
                                offset=start, limit=max(stop - start, 0))


class Platform:
    """The state and rules of the emulated platform.

    :param data_dir: where the database and the file bytes live.
    :param token: the token of the default user.
    """

    def __init__(self, data_dir, token=DEFAULT_TOKEN, task_seconds=0.2):
        self.data_dir = data_dir
        self.blobs = os.path.join(data_dir, 'blobs')
        os.makedirs(self.blobs, exist_ok=True)
        self.store = Store(os.path.join(data_dir, 'emulator.db'))
        self.secret = self._secret()
        self.project_members = Memberships(self, 'members', READ_ONLY)
        self.task_seconds = task_seconds
        if not self.store.get('users', 'rfranklin'):
            from sevenbridges.emulator.seed import seed
            seed(self, token)

    def _secret(self):
        path = os.path.join(self.data_dir, 'secret')
        if not os.path.exists(path):
            with open(path, 'w') as fp:
                fp.write(uuid.uuid4().hex)
        with open(path) as fp:
            return fp.read().strip()

    # -- users ----------------------------------------------------------------

    def user_for_token(self, token, kind='token'):
        """The user of ``token``: an API token (``kind='token'``, sent as
        ``X-SBG-Auth-Token`` or an OAuth bearer) or a session id
        (``kind='session'``, sent as ``X-SBG-Session-Id``); a 401 for a
        credential unknown as that kind."""
        entry = self.store.get('tokens', token or '')
        if entry is None or entry.get('kind', 'token') != kind:
            raise ApiError(401, 'Unauthorized: the token is missing or '
                                'invalid.', code=0)
        return self.store.get('users', entry['username'])

    def session_id(self, username):
        """The session id of ``username`` (made on first use, kept with
        the state), as code running inside the platform is given; it is
        accepted only as ``X-SBG-Session-Id`` and dies with the user's
        tokens when the user is disabled."""
        with self.store.transaction():
            if self.user(username).get('_disabled'):
                raise ApiError(403, f'User {username} is disabled.', 6001)
            for entry in self.store.find('tokens'):
                if entry['username'] == username and \
                        entry.get('kind') == 'session':
                    return entry['id']
            session_id = uuid.uuid4().hex
            self.store.put('tokens', {'id': session_id, 'username': username,
                                      'kind': 'session'})
        return session_id

    def add_user(self, username, email, token, first_name='', last_name=''):
        self.store.put('users', {
            'id': username, 'username': username, 'email': email,
            'first_name': first_name, 'last_name': last_name,
            'affiliation': 'Emulated Lab', 'phone': '', 'address': '',
            'state': '', 'country': '', 'zip_code': '', 'city': '',
            'role': 'MEMBER'})
        self.store.put('tokens', {'id': token, 'username': username})

    def user(self, username):
        found = self.store.get('users', username)
        if found is None:
            raise ApiError(404, f'User {username} not found.', code=5001)
        return found

    # -- billing --------------------------------------------------------------

    def billing_groups(self, user):
        return [group for group in self.store.find('billing_groups')
                if user['username'] in group['_members']]

    def billing_group(self, user, group_id):
        group = self.store.get('billing_groups', group_id)
        if group is None or user['username'] not in group['_members']:
            raise ApiError(404, f'Billing group {group_id} not found.')
        return group

    # -- projects -------------------------------------------------------------

    def project(self, user, project_id, need='read'):
        if not project_id or not isinstance(project_id, str):
            raise ApiError(400, 'A project (its id, a string) is required.',
                           INVALID)
        project = self.store.get('projects', project_id)
        if project is None:
            raise ApiError(404, f'Project {project_id} not found.', 5002)
        permissions = self.permissions(user, project)
        if not permissions.get('read'):
            raise ApiError(404, f'Project {project_id} not found.', 5002)
        if not permissions.get(need):
            raise ApiError(403, f'Insufficient privileges ({need}) on '
                                f'project {project_id}.', 6001)
        return project

    def permissions(self, user, project):
        """What ``user`` may do in ``project``: as a member, through a
        team or division that is a member, or read-only when it is
        public."""
        members = self.project_members
        permissions = members.permissions(project['id'], user['username'])
        if permissions:
            return permissions
        for member in members.of(project['id']):
            group = GROUPS.get(member['type'])
            found = group and self.store.get(group, member['name'])
            if found and user['username'] in found['_members']:
                return member['permissions']
        if project.get('_public'):
            return READ_ONLY
        return {}

    def projects(self, user):
        return [project for project in self.store.find('projects')
                if self.permissions(user, project).get('read')
                and not project.get('_public')
                or project['created_by'] == user['username']]

    def create_project(self, user, body, public=False, project_id=None):
        """A new project of ``user``; its id is derived from its name
        (:func:`short_name`, ``-1``, ``-2``... when taken) unless
        ``project_id`` is given."""
        name = field(body, 'name', str)
        if not name:
            raise ApiError(400, 'Project name is required.', INVALID)
        owner = user['username']
        if project_id is None:
            project_id = self._free_project_id(owner, name)
        elif self.store.get('projects', project_id):
            raise ApiError(409, f'Project {project_id} already exists.',
                           5005)
        group = field(body, 'billing_group', str)
        if group:
            self.billing_group(user, group)
        else:
            group = self._default_billing_group(user)
        settings = field(body, 'settings', dict, default={})
        root = self._new_file_doc(name=project_id.split('/')[1],
                                  project=project_id, parent=None,
                                  kind='folder')
        project = {
            'id': project_id, 'name': name, 'billing_group': group,
            'description': field(body, 'description', str, default=''),
            'type': 'v2', 'tags': strings(body, 'tags'),
            'category': 'PRIVATE',
            'settings': dict({'locked': False,
                              'use_interruptible_instances': True,
                              'use_memoization': False}, **settings),
            'root_folder': root['id'], 'created_by': owner,
            'created_on': now(), 'modified_on': now(), '_public': public}
        with self.store.transaction():
            self.store.put('files', root, project=None, parent=None)
            self.store.put('projects', project)
            self.project_members.add(project_id, owner, 'USER',
                                     ALL_PERMISSIONS)
        return project

    def _free_project_id(self, owner, name):
        """``owner/<short name>``, with ``-1``, ``-2``... when taken."""
        short = short_name(name)
        if not short:
            raise ApiError(400, 'The project name needs a letter or a digit.',
                           INVALID)
        project_id, number = f'{owner}/{short}', 0
        while self.store.get('projects', project_id):
            number += 1
            project_id = f'{owner}/{short}-{number}'
        return project_id

    def _default_billing_group(self, user):
        """The billing group of a project created without one: the user's
        first."""
        groups = self.billing_groups(user)
        if not groups:
            raise ApiError(400, 'billing_group is required: the user has no '
                                'billing group to use.', INVALID)
        return groups[0]['id']

    def update_project(self, user, project_id, body):
        project = self.project(user, project_id, 'write')
        for key in ('name', 'description', 'billing_group', 'category'):
            if field(body, key, str) is not None:
                project[key] = body[key]
        if body.get('billing_group'):
            self.billing_group(user, body['billing_group'])
        for key in ('name', 'billing_group'):
            if key in body and not body[key]:
                raise ApiError(400, f'{key} can not be empty.', INVALID)
        if 'tags' in body:
            project['tags'] = strings(body, 'tags')
        project['settings'].update(field(body, 'settings', dict, default={}))
        project['modified_on'] = now()
        return self.store.put('projects', project)

    def delete_project(self, user, project_id):
        project = self.project(user, project_id, 'admin')
        with self.store.transaction():
            files = self.store.find('files', project=project['id'])
            for file in files:
                self.store.delete('files', file['id'])
            self.project_members.remove_all(project['id'])
            self.store.delete('projects', project['id'])
        for file in files:  # their bytes go with them
            self._remove_blob(file['id'])

    # -- files ----------------------------------------------------------------

    def _new_file_doc(self, name, project, parent, kind='file', size=0,
                      metadata=None, tags=None, origin=None):
        return {'id': new_id(), 'name': name, 'type': kind, 'size': size,
                'project': project, 'parent': parent,
                'created_on': now(), 'modified_on': now(),
                'origin': origin or {}, 'storage': {'type': 'PLATFORM'},
                'metadata': metadata or {}, 'tags': tags or []}

    def blob_path(self, file_id):
        return os.path.join(self.blobs, file_id)

    def _remove_blob(self, file_id):
        """Remove a file's stored bytes, if there are any."""
        with contextlib.suppress(FileNotFoundError):
            os.remove(self.blob_path(file_id))

    def file(self, user, file_id, need='read'):
        if not file_id or not isinstance(file_id, str):
            raise ApiError(400, 'A file (its id, a string) is required.',
                           INVALID)
        file = self.store.get('files', file_id)
        if file is None:
            raise ApiError(404, f'File {file_id} not found.', 5003)
        if file['project'] is None:
            # Outside projects (code packages, automation logs): only the
            # user they belong to sees them.
            if file.get('_owner') != user['username']:
                raise ApiError(404, f'File {file_id} not found.', 5003)
            return file
        self.project(user, file['project'], need)
        return file

    def container(self, user, project_id=None, parent_id=None,
                  need='read'):
        """The project and the folder files go into (or are listed in)."""
        for key, value in (('project', project_id), ('parent', parent_id)):
            if value is not None and not isinstance(value, str):
                raise ApiError(400, f'{key} must be a string.', INVALID)
        if parent_id:
            folder = self.file(user, parent_id, need)
            if folder['type'] != 'folder':
                raise ApiError(400, f'{parent_id} is not a folder.', 9000)
            return folder['project'], folder['id']
        project = self.project(user, project_id, need)
        return project['id'], project['root_folder']

    def children(self, folder_id):
        return self.store.find('files', parent=folder_id)

    def listing(self, folder_id):
        """The items of a folder as a :class:`FolderListing` (a page is
        read when it is sliced)."""
        return FolderListing(self.store, folder_id)

    def named_children(self, folder_id, name):
        """The items of a folder named ``name`` (an index lookup)."""
        return self.store.find_named('files', folder_id, name)

    def add_file(self, project_id, folder_id, name, content=None,
                 source_path=None, metadata=None, tags=None, origin=None,
                 replace=False, storage=None):
        """Store a file (bytes given or moved from ``source_path``); a file
        of that name is replaced only when asked (``replace``), otherwise
        it is a 409."""
        existing = self.named_children(folder_id, name)
        if existing and not replace:
            raise ApiError(409, f'File {name} already exists.', 5004)
        if any(f['type'] == 'folder' for f in existing):
            raise ApiError(409, f'A folder named {name} is in the way.',
                           5004)
        doc = self._new_file_doc(name, project_id, folder_id,
                                 metadata=metadata, tags=tags, origin=origin)
        if storage:
            doc['storage'] = storage
        doc['size'] = self._store_blob(doc['id'], content, source_path)
        with self.store.transaction():
            for old in existing:
                self.store.delete('files', old['id'])
            self.store.put('files', doc, project=project_id,
                           parent=folder_id)
        for old in existing:
            self._remove_blob(old['id'])
        return doc

    def free_name(self, folder_id, name, overwrite=False, autorename=False,
                  prefix=IMPORT_PREFIX):
        """The name a new file gets in a folder: ``name`` itself when free
        (or taken but ``overwrite``), else with ``autorename`` the first
        free of ``prefix`` numbered 1, 2... before it (``_1_name``,
        ``_2_name``... for imports, ``1_name``... for copies); otherwise
        a 409."""
        if overwrite or not self.named_children(folder_id, name):
            return name
        if not autorename:
            raise ApiError(409, f'File {name} already exists.', 5004)
        number = 1
        while self.named_children(folder_id, prefix.format(number) + name):
            number += 1
        return prefix.format(number) + name

    def check_free(self, folder_id, name, file_id=None):
        """A 409 when another item than ``file_id`` of the folder has the
        name ``name``."""
        if any(f['id'] != file_id
               for f in self.named_children(folder_id, name)):
            raise ApiError(409, f'File {name} already exists.', 5004)

    def add_loose_file(self, user, name, content=None, source_path=None):
        """A file of ``user`` outside any project (a code package, an
        automation log)."""
        doc = self._new_file_doc(name, None, None)
        doc['_owner'] = user['username']
        doc['size'] = self._store_blob(doc['id'], content, source_path)
        return self.store.put('files', doc)

    def _store_blob(self, file_id, content=None, source_path=None):
        """Keep the bytes of a file (given, or moved from ``source_path``);
        return their size."""
        target = self.blob_path(file_id)
        if source_path is not None:
            os.replace(source_path, target)
        else:
            with open(target, 'wb') as fp:
                fp.write(content or b'')
        return os.path.getsize(target)

    def create_folder(self, user, body):
        name = field(body, 'name', str, required=True)
        if not name.strip() or '/' in name:
            raise ApiError(400, 'A folder name (without "/") is required.',
                           INVALID)
        project_id, parent = self.container(user, body.get('project'),
                                            body.get('parent'), 'write')
        self.check_free(parent, name)
        doc = self._new_file_doc(name, project_id, parent, kind='folder')
        return self.store.put('files', doc, project=project_id,
                              parent=parent)

    def save_file(self, doc):
        doc['modified_on'] = now()
        return self.store.put('files', doc, project=doc['project'],
                              parent=doc['parent'])

    def copy_file(self, user, file_id, project_id=None, parent_id=None,
                  name=None, move=False):
        """Copy (or move) a file into a project or folder. A copy never
        touches a file that is there: when its name is taken it is renamed
        ``1_name``, ``2_name``...; a move to a taken name is a 409."""
        source = self.file(user, file_id, 'write' if move else 'copy')
        if source['type'] == 'folder':
            raise ApiError(400, 'Folders can not be copied.', INVALID)
        project, folder = self.container(user, project_id, parent_id,
                                         'write')
        name = field({'name': name}, 'name', str) or source['name']
        if move:
            self.check_free(folder, name, source['id'])
            source.update(project=project, parent=folder, name=name)
            return self.save_file(source)
        name = self.free_name(folder, name, autorename=True,
                              prefix=COPY_PREFIX)
        staging = os.path.join(self.blobs, f'.copy-{new_id()}')
        shutil.copyfile(self.blob_path(source['id']), staging)
        return self.add_file(project, folder, name, source_path=staging,
                             metadata=copy.deepcopy(source['metadata']),
                             tags=list(source['tags']))

    def delete_file(self, user, file_id):
        file = self.file(user, file_id, 'write')
        if file['type'] == 'folder' and self.store.count(
                'files', parent=file['id']):
            raise ApiError(400, 'Folder is not empty.', 9000)
        self.store.delete('files', file['id'])
        self._remove_blob(file['id'])

    # -- signed storage URLs --------------------------------------------------

    def sign(self, storage_base, path, lifetime=600):
        expires = int(time.time()) + lifetime
        signature = hmac.new(self.secret.encode(), f'{path}:{expires}'
                             .encode(), hashlib.sha256).hexdigest()
        return f'{storage_base}{path}?expires={expires}&signature={signature}'

    def check_signature(self, path, expires, signature):
        expected = hmac.new(self.secret.encode(), f'{path}:{expires}'
                            .encode(), hashlib.sha256).hexdigest()
        try:
            alive = int(expires) >= time.time()
        except (TypeError, ValueError):
            return False
        return alive and hmac.compare_digest(expected, signature or '')

    # -- uploads --------------------------------------------------------------

    def upload_path(self, upload_id):
        return os.path.join(self.data_dir, 'uploads', upload_id)

    def start_upload(self, user, body, overwrite, kind='file'):
        """A new multipart upload, with the part size the client must use
        (:func:`upload_part_size`)."""
        size = field(body, 'size', int, required=True)
        name = field(body, 'name', str, required=True)
        if size < 0 or not name or '/' in name:
            raise ApiError(400, 'An upload needs a size (0 or more) and a '
                                'name (without "/").', INVALID)
        part_size = upload_part_size(size, field(body, 'part_size', int))
        if kind == 'file':
            project, folder = self.container(user, body.get('project'),
                                             body.get('parent'), 'write')
            if not overwrite:
                self.check_free(folder, name)
        else:
            project, folder = None, None
        upload = {'id': uuid.uuid4().hex, 'name': name,
                  'size': size, 'part_size': part_size, 'project': project,
                  'parent': folder, 'kind': kind, 'overwrite': overwrite,
                  'owner': user['username'], 'stored': {}, 'reported': {},
                  'automation_id': body.get('automation_id')}
        os.makedirs(os.path.dirname(self.upload_path(upload['id'])),
                    exist_ok=True)
        with open(self.upload_path(upload['id']), 'wb') as fp:
            fp.truncate(size)
        return self.store.put('uploads', upload)

    def upload(self, user, upload_id):
        upload = self.store.get('uploads', upload_id)
        if upload is None or upload['owner'] != user['username']:
            raise ApiError(404, f'Upload {upload_id} not found.', 5006)
        return upload

    def store_part(self, upload_id, number, stream, length):
        """Write a part read from ``stream`` (which has ``readinto``) at its
        offset; return its ETag: a new token for each stored version of a
        part, not a digest (the complete step checks that the client
        reported the version stored; no byte is hashed)."""
        upload = self.store.get('uploads', upload_id)
        if upload is None:
            raise ApiError(404, 'Upload not found.', 5006)
        offset = (number - 1) * upload['part_size']
        # Received into one buffer, written at the part's offset from it.
        buffer = new_buffer(min(IO_CHUNK, max(length, 1)))
        written = 0
        with PositionalFile(self.upload_path(upload_id),
                            writable=True) as target:
            while written < length:
                count = stream.readinto(
                    buffer[:min(len(buffer), length - written)])
                if not count:
                    break
                target.write_at(buffer[:count], offset + written)
                written += count
        if written != length:
            raise ApiError(400, 'The part body is shorter than announced.')
        etag = uuid.uuid4().hex
        with self.store.transaction():
            upload = self.store.get('uploads', upload_id)
            if upload is not None:
                upload['stored'][str(number)] = etag
                self.store.put('uploads', upload)
        return etag

    def report_part(self, user, upload_id, body):
        with self.store.transaction():
            upload = self.upload(user, upload_id)
            number = field(body, 'part_number', int, required=True)
            response = field(body, 'response', dict, default={})
            etag = field(field(response, 'headers', dict, default={}),
                         'ETag', str, default='')
            upload['reported'][str(number)] = etag.strip('"')
            self.store.put('uploads', upload)

    def complete_upload(self, user, upload_id):
        upload = self.upload(user, upload_id)
        count = max(1, -(-upload['size'] // upload['part_size']))
        for number in map(str, range(1, count + 1)):
            stored = upload['stored'].get(number)
            if stored is None:
                raise ApiError(400, f'Part {number} was not uploaded.',
                               9000)
            if upload['reported'].get(number) != stored:
                raise ApiError(400, f'The ETag of part {number} does not '
                                    f'match.', 9000)
        path = self.upload_path(upload_id)
        if upload['kind'] == 'file':
            doc = self.add_file(upload['project'], upload['parent'],
                                upload['name'], source_path=path,
                                replace=upload.get('overwrite', False))
        else:
            doc = self.add_loose_file(user, upload['name'],
                                      source_path=path)
        self.store.delete('uploads', upload_id)
        return doc

    def abort_upload(self, user, upload_id):
        self.upload(user, upload_id)
        self.store.delete('uploads', upload_id)
        if os.path.exists(self.upload_path(upload_id)):
            os.remove(self.upload_path(upload_id))
