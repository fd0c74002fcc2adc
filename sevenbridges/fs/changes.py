"""Folders, removals, copies and moves of the ``sbg://`` filesystem, all
made by the platform (no byte of a copy or a move goes through the
client); each drops the listings it changes."""
from __future__ import annotations

import errno
import re
from typing import Any, Dict

from fsspec.spec import AbstractFileSystem  # type: ignore[import-untyped]

from sevenbridges.fs import paths
from sevenbridges.fs.errors import (
    as_os_error,
    exists,
    is_a_folder,
    not_a_folder,
    os_errors,
)
from sevenbridges.fs.listing import Info
from sevenbridges.transfer.removal import FolderRemovalError, remove_paths


def project_short_name(name: str) -> str:
    """The short name (the part of the id after the owner) the platform
    gives a project named ``name``."""
    return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')


class FolderChanges(AbstractFileSystem):
    """The folder and file changes of
    :class:`~sevenbridges.fs.filesystem.SevenBridgesFileSystem`."""

    # -- folders ------------------------------------------------------------------

    def mkdir(self, path: str, create_parents: bool = True,
              create_project: bool = False, billing_group: Any = None,
              **kwargs: Any) -> None:
        """Make a folder (and the folders above it, with
        ``create_parents``).

        A project is made only when asked (``create_project=True``, with
        its ``billing_group`` or the user's first); its id must be the one
        the platform derives from the name (``OWNER/lower-case-name``).

        :raises PermissionError: for a project, unless asked; for the root
            and an owner.
        :raises FileExistsError: something has that name.
        :raises NotADirectoryError: a file is in the way.
        :raises FileNotFoundError: the project does not exist, or the
            folder above does not and ``create_parents`` is false.
        """
        path = self._strip_protocol(path)
        if paths.above_projects(path):
            raise PermissionError(errno.EACCES, 'Only projects are there',
                                  path)
        if paths.is_project(path):
            self._make_project(path, create_project, billing_group)
            return
        if self.exists(path):
            raise exists(path)
        folder = paths.parent(path)
        if not paths.is_project(folder) and create_parents and \
                not self.exists(folder):
            self.mkdir(folder, create_parents=True)
        where = self._folder_of(path)
        with os_errors(path):
            self.api.files.create_folder(paths.name(path), api=self.api,
                                         **where)
        self.invalidate_cache(path)

    def _make_project(self, path, create_project, billing_group):
        owner, short = paths.parts(path)
        if self.exists(path):
            raise exists(path)
        if not create_project:
            raise PermissionError(errno.EACCES, 'A project is made only '
                                  'with create_project=True', path)
        if project_short_name(short) != short:
            raise ValueError(f'path: the platform names the project '
                             f'{short!r} {project_short_name(short)!r}.')
        with os_errors(path):
            if self.api.users.me().username != owner:
                raise PermissionError(errno.EACCES, 'Projects are made '
                                      'only for oneself', path)
            self.api.projects.create(name=short,
                                     billing_group=billing_group,
                                     api=self.api)
        self.invalidate_cache(path)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        """Make a folder and the folders above it.

        :raises FileExistsError: it exists (unless ``exist_ok``).
        """
        path = self._strip_protocol(path)
        if self.exists(path):
            if exist_ok and self.isdir(path):
                return
            raise exists(path)
        self.mkdir(path, create_parents=True)

    def _folder_of(self, path: str) -> Dict[str, str]:
        """The upload and folder arguments of the folder ``path`` goes in:
        ``{'project': id}`` or ``{'parent': folder id}``.

        :raises FileNotFoundError: the project or the folder is missing.
        :raises NotADirectoryError: the folder is a file.
        """
        folder = paths.parent(path)
        if paths.above_projects(folder):
            raise PermissionError(errno.EACCES, 'Only projects are there',
                                  path)
        if paths.is_project(folder):
            self._list(folder)      # the project exists (a cached listing)
            return {'project': folder}
        info = self.info(folder)
        if info['type'] != 'directory':
            raise not_a_folder(folder)
        return {'parent': info['id']}

    def rmdir(self, path: str) -> None:
        """Remove an empty folder.

        :raises PermissionError: for a project (never removed here).
        :raises NotADirectoryError: for a file.
        :raises OSError: the folder is not empty (``ENOTEMPTY``).
        """
        path = self._strip_protocol(path)
        info = self._removable(path)
        if info['type'] != 'directory':
            raise not_a_folder(path)
        if self._list(path):
            raise OSError(errno.ENOTEMPTY, 'Folder is not empty', path)
        with os_errors(path):
            self._file(info).delete()
        self.invalidate_cache(path)

    def _removable(self, path: str) -> Info:
        if paths.above_projects(path) or paths.is_project(path):
            raise PermissionError(errno.EACCES, 'Projects are not removed '
                                  'through the filesystem', path)
        return self.info(path)

    # -- removals -----------------------------------------------------------------

    def rm_file(self, path: str) -> None:
        """Remove a file.

        :raises IsADirectoryError: for a folder (see :meth:`rmdir`).
        """
        path = self._strip_protocol(path)
        info = self._removable(path)
        if info['type'] == 'directory':
            raise is_a_folder(path)
        with os_errors(path):
            self._file(info).delete()
        self.invalidate_cache(path)

    _rm = rm_file

    def rm(self, path: Any, recursive: bool = False,
           maxdepth: int | None = None) -> None:
        """Remove files (and, with ``recursive``, folders and what they
        hold): files in bulk requests of 100, then the folders, deepest
        first.

        :raises IsADirectoryError: a folder, without ``recursive``.
        :raises PermissionError: a project.
        """
        found = self.expand_path(path, recursive=recursive,
                                 maxdepth=maxdepth)
        infos = [self._removable(item) for item in found]
        folders = [info for info in infos if info['type'] == 'directory']
        if folders and not recursive:
            raise is_a_folder(folders[0]['name'])
        files = [info for info in infos if info['type'] != 'directory']
        try:
            remove_paths(self.api,
                         [(info['name'], info['id']) for info in files],
                         [(info['name'], info['id']) for info in folders])
        except FolderRemovalError as error:
            raise as_os_error(error, error.path or str(path)) from error
        finally:
            for info in infos:
                self.invalidate_cache(info['name'])

    # -- copies and moves (server-side: no byte goes through the client) --------

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        """Copy a file with the platform's copy (a folder: make the target
        folder). A file at the target is replaced: the copy arrives under a
        free name, then takes the target's, so no moment lacks either."""
        path1 = self._strip_protocol(path1)
        path2 = self._strip_protocol(path2)
        source = self.info(path1)
        if source['type'] == 'directory':
            self.makedirs(path2, exist_ok=True)
            return
        moving = getattr(self._moving, 'active', False)
        self._check_writable(path2, 'wb')
        if not paths.is_project(paths.parent(path2)):
            self.makedirs(paths.parent(path2), exist_ok=True)
        try:
            existing = self.info(path2)
        except FileNotFoundError:
            existing = None
        if existing is not None and existing['id'] == source['id']:
            return
        where = self._folder_of(path2)
        file = self._file(source)
        name = paths.name(path2)
        same_project = paths.project_of(path1) == paths.project_of(path2)
        with os_errors(path1):
            if moving and same_project:
                if existing is not None:
                    self._file(existing).delete()
                file.move_to_folder(self._folder_id(where), name,
                                    api=self.api)
            else:
                if 'project' in where:
                    copied = file.copy(where['project'], name)
                else:
                    copied = file.copy_to_folder(where['parent'], name,
                                                 api=self.api)
                if existing is not None:
                    self._file(existing).delete()
                if copied.name != name:
                    copied.name = name
                    copied.save()
                if moving:
                    file.delete()
        self.invalidate_cache(path1)
        self.invalidate_cache(path2)

    def _folder_id(self, where: Dict[str, str]) -> str:
        """The folder id of ``where`` (a project's root folder, asked
        once)."""
        if 'parent' in where:
            return where['parent']
        project = where['project']
        if project not in self._root_folders:
            self._root_folders[project] = self.api.projects.get(
                project, api=self.api).root_folder
        return self._root_folders[project]

    def mv(self, path1: Any, path2: Any, recursive: bool = False,
           maxdepth: int | None = None, **kwargs: Any) -> None:
        """Move files with the platform's move (within a project; between
        projects, a copy then a removal). A folder moves with what it
        holds: its files are moved and the folders made anew."""
        if isinstance(path1, str):
            if self._strip_protocol(path1) == self._strip_protocol(path2):
                return
            recursive = recursive or self.isdir(path1)
        self._moving.active = True
        try:
            self.copy(path1, path2, recursive=recursive, maxdepth=maxdepth,
                      on_error='raise')
        finally:
            self._moving.active = False
        if recursive and maxdepth is None:
            sources = [path1] if isinstance(path1, str) else path1
            folders = [source for source in sources if self.isdir(source)]
            if folders:
                self.rm(folders, recursive=True)
