"""Preloaded state: users, billing groups, projects with members, folders,
files and apps, and volumes with members and objects, created at start
from a JSON document (like the preload folder of fake-gcs-server). See
``examples/emulator_preload.json`` and the emulator's documentation.

The document is checked as a whole first: an unknown key is an error that
names it. It is then loaded in one transaction: a conflict with existing
state (a user taken, a file or app that exists) leaves nothing behind.

A project entry names its project by ``id`` (``owner/short-name``), or by
``owner`` and ``name`` (the id is then derived from the name as the
platform does). When that project exists (the seeded public project
``admin/sbg-public-data`` included), the entry adds its folders, files,
apps and members to it; otherwise the project is created, public or not,
with exactly that id. A project owner without a billing group gets one.
"""
import json
import os
import re
import uuid

from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.projects import short_name

KEYS = {
    'document': {'users', 'billing_groups', 'projects', 'volumes'},
    'users': {'username', 'email', 'token', 'first_name', 'last_name'},
    'billing_groups': {'id', 'name', 'owner', 'members'},
    'projects': {'id', 'owner', 'name', 'public', 'description', 'tags',
                 'billing_group', 'members', 'folders', 'files', 'apps'},
    'members': {'username', 'type', 'permissions'},
    'files': {'name', 'folder', 'content', 'size', 'metadata', 'tags'},
    'apps': {'name', 'raw'},
    'volumes': {'owner', 'name', 'type', 'bucket', 'prefix', 'access_mode',
                'description', 'members', 'objects'},
    'objects': {'location', 'content', 'size'},
}
# The short name in a project id.
SHORT_NAME = re.compile(r'[a-z0-9][a-z0-9_-]*')
# Credentials a preloaded volume is created with (never checked).
PRELOAD_CREDENTIALS = {
    'S3': {'access_key_id': 'EMULATOR', 'secret_access_key': 'EMULATOR'},
    'GCS': {'client_email': 'emulator@example.org',
            'private_key': 'EMULATOR'},
    'OSS': {'access_key_id': 'EMULATOR', 'secret_access_key': 'EMULATOR'},
}


class PreloadError(ValueError):
    """The preload document is not valid, or conflicts with the state."""


def _check(entries, kind, where):
    if not isinstance(entries, list):
        raise PreloadError(f'{where}: "{kind}" must be a list')
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            raise PreloadError(f'{where}.{kind}[{index}] must be an object')
        unknown = sorted(set(entry) - KEYS[kind])
        if unknown:
            raise PreloadError(f'{where}.{kind}[{index}]: unknown key '
                               f'"{unknown[0]}"')


def validate(document):
    """:raises PreloadError: naming the first unknown key or bad shape."""
    if not isinstance(document, dict):
        raise PreloadError('the preload document must be an object')
    unknown = sorted(set(document) - KEYS['document'])
    if unknown:
        raise PreloadError(f'unknown key "{unknown[0]}"')
    for kind in ('users', 'billing_groups', 'projects', 'volumes'):
        _check(document.get(kind, []), kind, 'preload')
    for index, project in enumerate(document.get('projects', [])):
        where = f'preload.projects[{index}]'
        for kind in ('members', 'files', 'apps'):
            _check(project.get(kind, []), kind, where)
        _check_project(project, where)
    for index, volume in enumerate(document.get('volumes', [])):
        where = f'preload.volumes[{index}]'
        for kind in ('members', 'objects'):
            _check(volume.get(kind, []), kind, where)
        for name in ('owner', 'name', 'bucket'):
            if not volume.get(name):
                raise PreloadError(f'{where}: "{name}" is required')


def _check_project(project, where):
    """An entry has an ``id`` (``owner/short-name``, its owner the
    ``owner`` if given) or an ``owner`` and a ``name``; its files and apps
    their names (and raw CWL), its folders are paths."""
    for kind, required in (('files', ('name',)), ('apps', ('name', 'raw'))):
        for index, entry in enumerate(project.get(kind, [])):
            for name in required:
                if not entry.get(name):
                    raise PreloadError(f'{where}.{kind}[{index}]: "{name}" '
                                       f'is required')
    folders = project.get('folders', [])
    if not isinstance(folders, list) or not all(
            isinstance(folder, str) for folder in folders):
        raise PreloadError(f'{where}: "folders" must be a list of paths')
    project_id = project.get('id')
    if project_id is None:
        for name in ('owner', 'name'):
            if not isinstance(project.get(name), str) or not project[name]:
                raise PreloadError(f'{where}: "{name}" (or "id") is '
                                   f'required')
        if not short_name(project['name']):
            raise PreloadError(f'{where}: "name" needs a letter or a digit')
        return
    owner, _, short = project_id.partition('/') \
        if isinstance(project_id, str) else ('', '', '')
    if not owner or not SHORT_NAME.fullmatch(short):
        raise PreloadError(f'{where}: "id" must be owner/short-name (lower '
                           f'case letters, digits, "-" and "_")')
    if project.get('owner', owner) != owner:
        raise PreloadError(f'{where}: "id" {project_id} is not of owner '
                           f'{project["owner"]}')


def load(state, document):
    """Create what ``document`` describes, all or nothing.

    :param state: the services (:class:`~sevenbridges.emulator.wiring.State`).
    """
    validate(document)
    written = []
    try:
        with state.store.transaction():
            _load(state, document, written)
    except (ApiError, KeyError) as error:
        for path in written:
            if os.path.exists(path):
                os.remove(path)
        message = error.message if isinstance(error, ApiError) else error
        raise PreloadError(f'preload conflicts with the state: {message}') \
            from error


def load_file(state, path):
    with open(path, encoding='utf-8') as fp:
        load(state, json.load(fp))


def _load(state, document, written):
    users = state.users
    for user in document.get('users', []):
        if users.exists(user['username']):
            raise ApiError(409, f'user {user["username"]} exists')
        users.add(user['username'],
                  user.get('email', f'{user["username"]}@example.org'),
                  user.get('token') or uuid.uuid4().hex,
                  user.get('first_name', ''), user.get('last_name', ''))
    for group in document.get('billing_groups', []):
        state.billing.add(group['owner'], group['name'], group.get('id'),
                          group.get('members'))
    for entry in document.get('projects', []):
        project = _project(state, entry)
        owner = users.get(project['created_by'])
        for member in entry.get('members', []):
            state.projects.members.add(project['id'], member['username'],
                                       member.get('type', 'USER'),
                                       member.get('permissions'))
        for path in entry.get('folders', []):
            state.files.folder_at(owner, project['root_folder'], path)
        for file in entry.get('files', []):
            folder = state.files.folder_at(owner, project['root_folder'],
                                           file.get('folder') or '')
            created = state.files.add_file(
                project['id'], folder, file['name'], content=_content(file),
                metadata=file.get('metadata'), tags=file.get('tags'))
            written.append(state.files.blob_path(created['id']))
        for app in entry.get('apps', []):
            app_id = f'{project["id"]}/{app["name"]}'
            if state.apps.exists(app_id):
                raise ApiError(409, f'app {app_id} exists')
            state.apps.install(owner, app_id, app['raw'])
    _load_volumes(state, document.get('volumes', []), written)


def _project(state, entry):
    """The project an entry names: the existing one (its own keys, when
    given, must agree with it) or a new one."""
    owner = entry.get('owner') or entry['id'].split('/')[0]
    project_id = entry.get('id') or f'{owner}/{short_name(entry["name"])}'
    project = state.projects.find(project_id)
    if project is None:
        if not entry.get('name'):
            raise ApiError(400, f'project {project_id} does not exist: '
                                f'give its "name" to create it')
        user = state.users.get(owner)
        if not state.billing.of(user):
            state.billing.add(owner, f'{owner} (preloaded)')
        return state.projects.create(user, {
            'name': entry['name'], 'description': entry.get('description'),
            'tags': entry.get('tags'),
            'billing_group': entry.get('billing_group')},
            public=bool(entry.get('public')), project_id=project_id)
    current = {'name': project['name'], 'public': project['_public'],
               'description': project['description'],
               'tags': project['tags'],
               'billing_group': project['billing_group']}
    for key, value in current.items():
        if key in entry and entry[key] != value:
            raise ApiError(409, f'project {project_id} exists with another '
                                f'{key}')
    return project


def _content(entry):
    """The bytes of a preloaded file or object: its text, or zeros."""
    content = entry.get('content')
    return content.encode() if isinstance(content, str) else \
        bytes(entry.get('size', 0))


def _load_volumes(state, entries, written):
    volumes = state.volumes
    for entry in entries:
        owner = state.users.get(entry['owner'])
        kind = entry.get('type', 'S3')
        volume = volumes.create(owner, {
            'name': entry['name'], 'description': entry.get('description'),
            'access_mode': entry.get('access_mode', 'RW'),
            'service': dict({'type': kind, 'bucket': entry['bucket'],
                             'prefix': entry.get('prefix'),
                             'credentials': PRELOAD_CREDENTIALS.get(kind,
                                                                    {})},
                            **({'endpoint': 'oss.emulator.local'}
                               if kind == 'OSS' else {}))})
        for member in entry.get('members', []):
            volumes.members.add(volume['id'], member['username'],
                                member.get('type', 'USER'),
                                member.get('permissions'))
        for item in entry.get('objects', []):
            path = volumes.object_path(volume, item['location'])
            if os.path.exists(path):
                raise ApiError(409, f'object {item["location"]} exists on '
                                    f'bucket {entry["bucket"]}')
            os.makedirs(os.path.dirname(path), exist_ok=True)
            written.append(path)
            with open(path, 'wb') as fp:
                fp.write(_content(item))
