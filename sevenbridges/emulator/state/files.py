"""Files and folders of projects, their bytes (blobs), and the files
outside folders: code packages, automation logs and the logs of tasks'
jobs."""
import copy

from sevenbridges.emulator.state.checks import (
    INVALID,
    field,
    identifier,
    strings,
)
from sevenbridges.emulator.state.common import new_id, now
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.folders import (
    FILTER_PREFIXES,
    FILTERS,
    FolderListing,
    matches,
)
from sevenbridges.emulator.state.search import search

# The numbered prefix of a renamed import (``_1_name``) and copy
# (``1_name``).
IMPORT_PREFIX = '_{}_'
COPY_PREFIX = '{}_'


def _task_logs_key(project_id):
    """The index key under which the logs of a project's tasks are kept:
    no folder has it, so that listings never show them."""
    return f'task-logs/{project_id}'


class Files:
    """The ``files`` collection and the bytes of its files.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param projects: the
        :class:`~sevenbridges.emulator.state.projects.Projects` (files are
        as readable as their project).
    :param blobs: the :class:`~sevenbridges.emulator.state.blobs.Blobs`
        of the files' bytes.
    """

    def __init__(self, store, projects, blobs):
        self.store = store
        self.projects = projects
        self.blobs = blobs

    @staticmethod
    def _new_doc(name, project, parent, kind='file', size=0, metadata=None,
                 tags=None, origin=None):
        return {'id': new_id(), 'name': name, 'type': kind, 'size': size,
                'project': project, 'parent': parent,
                'created_on': now(), 'modified_on': now(),
                'origin': origin or {}, 'storage': {'type': 'PLATFORM'},
                'metadata': metadata or {}, 'tags': tags or []}

    def blob_path(self, file_id):
        """Where the bytes of a file are."""
        return self.blobs.path(file_id)

    # -- reading --------------------------------------------------------------

    def file(self, user, file_id, need='read'):
        """A file or folder ``user`` may ``need`` (a log of a running job
        with the size of its bytes now)."""
        file = self.store.get('files', identifier(file_id, 'file'))
        if file is None:
            raise ApiError(404, f'File {file_id} not found.', 5003)
        if file['project'] is None:
            # Outside projects (code packages, automation logs): only the
            # user they belong to sees them.
            if file.get('_owner') != user['username']:
                raise ApiError(404, f'File {file_id} not found.', 5003)
            return file
        self.projects.get(user, file['project'], need)
        if file.get('_log'):  # a job's log grows: its size is the current one
            file = self._refreshed(file)
        return file

    def find(self, file_id):
        """The file ``file_id`` without any check (``None`` when there is
        none)."""
        return self.store.get('files', file_id)

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
        project = self.projects.get(user, project_id, need)
        return project['id'], project['root_folder']

    def folder(self, user, file_id):
        """The folder ``file_id`` (a 400 for a file)."""
        folder = self.file(user, file_id)
        if folder['type'] != 'folder':
            raise ApiError(400, f'{file_id} is not a folder.', 9000)
        return folder

    def children(self, folder_id, offset=0, limit=None):
        """The items of a folder, oldest first (``limit`` of them from
        ``offset``)."""
        return self.store.find('files', parent=folder_id, offset=offset,
                               limit=limit)

    def count_children(self, folder_id):
        return self.store.count('files', parent=folder_id)

    def items(self, folder_id, filters=None):
        """The items of a folder that pass ``filters`` (see
        :func:`matches`); without filters a :class:`FolderListing`, read
        page by page (fast in folders of any size)."""
        filters = {key: values for key, values in (filters or {}).items()
                   if key in FILTERS or key.startswith(FILTER_PREFIXES)}
        if not filters:
            return FolderListing(self, folder_id)
        return [file for file in self.children(folder_id)
                if matches(file, filters)]

    def named_children(self, folder_id, name):
        """The items of a folder named ``name`` (an index lookup)."""
        return self.store.find_named('files', folder_id, name)

    def of_project(self, project_id):
        """Every file and folder of a project but its root."""
        return self.store.find('files', project=project_id)

    def search(self, user, query, cont_token, limit, render):
        """``POST /files/search`` (see
        :mod:`~sevenbridges.emulator.state.search`)."""
        return search(self, user, query, cont_token, limit, render)

    # -- names ----------------------------------------------------------------

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

    # -- creating -------------------------------------------------------------

    def add_root(self, project_id, name):
        """The root folder of a new project."""
        root = self._new_doc(name, project_id, None, kind='folder')
        return self.store.put('files', root)

    def add_file(self, project_id, folder_id, name, content=None,
                 source_path=None, metadata=None, tags=None, origin=None,
                 replace=False, storage=None, copied_from=None):
        """Store a file (bytes given, moved from ``source_path`` or copied
        from the local file ``copied_from``); a file of that name is
        replaced only when asked (``replace``), otherwise it is a 409."""
        existing = self.named_children(folder_id, name)
        if existing and not replace:
            raise ApiError(409, f'File {name} already exists.', 5004)
        if any(f['type'] == 'folder' for f in existing):
            raise ApiError(409, f'A folder named {name} is in the way.',
                           5004)
        doc = self._new_doc(name, project_id, folder_id, metadata=metadata,
                            tags=tags, origin=origin)
        if storage:
            doc['storage'] = storage
        doc['size'] = self.blobs.keep(doc['id'], content, source_path,
                                      copied_from)
        with self.store.transaction():
            for old in existing:
                self.store.delete('files', old['id'])
            self.store.put('files', doc, project=project_id,
                           parent=folder_id)
        for old in existing:
            self.blobs.remove(old['id'])
        return doc

    def add_loose_file(self, user, name, content=None, source_path=None):
        """A file of ``user`` outside any project (a code package, an
        automation log)."""
        doc = self._new_doc(name, None, None)
        doc['_owner'] = user['username']
        doc['size'] = self.blobs.keep(doc['id'], content, source_path)
        return self.store.put('files', doc)

    def add_folder(self, project_id, parent, name, origin=None):
        """A new folder (no checks: see :meth:`create_folder`)."""
        doc = self._new_doc(name, project_id, parent, kind='folder',
                            origin=origin)
        return self.store.put('files', doc, project=project_id,
                              parent=parent)

    def create_folder(self, user, body):
        """``POST /files`` of a folder: ``name`` and ``project`` or
        ``parent``."""
        name = field(body, 'name', str, required=True)
        if not name.strip() or '/' in name:
            raise ApiError(400, 'A folder name (without "/") is required.',
                           INVALID)
        project_id, parent = self.container(user, body.get('project'),
                                            body.get('parent'), 'write')
        self.check_free(parent, name)
        return self.add_folder(project_id, parent, name)

    def root_folder(self, project_id):
        """The id of the root folder of a project."""
        return self.projects.find(project_id)['root_folder']

    def folder_at(self, user, root, path):
        """The id of the folder ``a/b/c`` under the folder ``root``
        (created as needed)."""
        folder = root
        for name in [part for part in path.split('/') if part]:
            found = [f for f in self.children(folder)
                     if f['name'] == name and f['type'] == 'folder']
            if found:
                folder = found[0]['id']
            else:
                folder = self.create_folder(user, {'name': name,
                                                   'parent': folder})['id']
        return folder

    def add_log(self, project_id, task_id, name, link=None):
        """A new, empty log of the task ``task_id``; with ``link``, its
        bytes are those of that local file, as it grows (a hard link, a
        symbolic one where hard links fail). Returns the file's id."""
        doc = self._new_doc(name, project_id, None, origin={'task': task_id})
        doc['size'] = self.blobs.keep(doc['id']) if link is None \
            else self.blobs.follow(doc['id'], link)
        doc['_log'] = True  # its size is read when it is asked for
        # Indexed under no project and no folder: listings and searches
        # never show it; GET /files/{id} reads its project from the doc.
        self.store.put('files', doc, parent=_task_logs_key(project_id))
        return doc['id']

    def refresh_sizes(self, file_ids):
        """Bring the size of each log up to its bytes."""
        for file_id in set(file_ids):
            doc = self.store.get('files', file_id)
            if doc is not None:
                self._refreshed(doc)

    def _refreshed(self, doc):
        """The log ``doc`` with the size of its bytes now (stored, if it
        changed)."""
        size = self.blobs.size(doc['id'])
        if size is None or doc['size'] == size:
            return doc
        with self.store.transaction():
            current = self.store.get('files', doc['id'])
            if current is None:
                return doc
            current['size'] = size
            current['modified_on'] = now()
            self.store.put('files', current,
                           parent=_task_logs_key(current['project']))
        return current

    # -- changing -------------------------------------------------------------

    def save(self, doc):
        """Store a changed file or folder."""
        doc['modified_on'] = now()
        return self.store.put('files', doc, project=doc['project'],
                              parent=doc['parent'])

    def edit(self, user, file_id, changes, replace, where=''):
        """Apply the ``name``, ``tags`` and ``metadata`` of ``changes`` to
        a file: the metadata replaces the file's (``replace``) or is
        merged into it.

        :param where: what the changes are (``'item 2: '``), to prefix
            messages.
        """
        file = self.file(user, file_id, 'write')
        name = field(changes, 'name', str, where=where)
        if name is not None:
            if not name or '/' in name:
                raise ApiError(400, f'{where}name must not be empty nor '
                                    f'hold "/".', 9000)
            self.check_free(file['parent'], name, file['id'])
            file['name'] = name
        if changes.get('tags') is not None:
            file['tags'] = strings(changes, 'tags', where=where)
        metadata = field(changes, 'metadata', dict, where=where)
        if metadata is not None:
            file['metadata'] = metadata if replace else dict(
                file['metadata'], **metadata)
        return self.save(file)

    def set_metadata(self, user, file_id, metadata, replace):
        """Replace (``replace``) or merge into the metadata of a file; a
        null value removes its key. Returns the metadata."""
        file = self.file(user, file_id, 'write')
        merged = metadata if replace else dict(file['metadata'], **metadata)
        file['metadata'] = {key: value for key, value in merged.items()
                            if value is not None}
        return self.save(file)['metadata']

    def set_tags(self, user, file_id, tags):
        """Replace the tags of a file; returns them."""
        file = self.file(user, file_id, 'write')
        file['tags'] = strings({'tags': tags}, 'tags')
        return self.save(file)['tags']

    def copy(self, user, file_id, project_id=None, parent_id=None,
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
            return self.save(source)
        name = self.free_name(folder, name, autorename=True,
                              prefix=COPY_PREFIX)
        return self.add_file(project, folder, name,
                             copied_from=self.blob_path(source['id']),
                             metadata=copy.deepcopy(source['metadata']),
                             tags=list(source['tags']))

    def copy_into(self, user, project_id, file_ids):
        """``POST /action/files/copy``: each file copied into the root of
        a project; an outcome per file id."""
        if not project_id or not isinstance(file_ids, list):
            raise ApiError(400, 'A project and file_ids are required.', 9000)
        self.projects.get(user, project_id, 'write')
        results = {}
        for file_id in file_ids:
            try:
                copied = self.copy(user, file_id, project_id)
                results[file_id] = {'status': 'OK',
                                    'new_file_id': copied['id'],
                                    'new_file_name': copied['name']}
            except ApiError as error:
                results[file_id] = {'status': 'FAILED',
                                    'message': error.message}
        return results

    def delete(self, user, file_id):
        """Delete a file or an empty folder; returns what it was."""
        file = self.file(user, file_id, 'write')
        if file['type'] == 'folder' and self.count_children(file['id']):
            raise ApiError(400, 'Folder is not empty.', 9000)
        self.store.delete('files', file['id'])
        self.blobs.remove(file['id'])
        return file

    def remove_project(self, project):
        """Remove every file and folder of a deleted project, and the logs
        of its tasks, bytes and all."""
        gone = self.of_project(project['id']) + self.store.find(
            'files', parent=_task_logs_key(project['id']))
        root = self.store.get('files', project['root_folder'])
        if root is not None:
            gone.append(root)
        for file in gone:
            self.store.delete('files', file['id'])
        for file in gone:  # their bytes go with them
            self.blobs.remove(file['id'])
