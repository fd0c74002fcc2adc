"""Walks of folder trees: a project's or a folder's on the platform
(:func:`walk`, :func:`walk_files`), and a local folder's
(:func:`scan_local`).

A remote walk lists one folder at a time, a page at a time (continuation
tokens, :data:`PAGE_SIZE` items per request), so that memory holds a page
per level of the tree, whatever its size. Paths are relative to the start
of the walk, with ``/`` between names, whatever the local system.
"""
from __future__ import annotations

import fnmatch
import os
import posixpath
import re
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from sevenbridges.errors import SbgError, ValidationError
from sevenbridges.meta.arguments import as_list
from sevenbridges.meta.transformer import Transform
from sevenbridges.transfer.download import temporary_path

if TYPE_CHECKING:
    from sevenbridges._types import Api, FileRef, ProjectRef
    from sevenbridges.models.file import File

__all__ = ['PAGE_SIZE', 'RemoteRoot', 'walk', 'walk_files', 'iter_tree',
           'Selection', 'LocalFile', 'Tree', 'ancestors', 'scan_local',
           'scan_remote', 'relative_join', 'is_partial_download']

#: Items per listing request of a walk (continuation-token pages).
PAGE_SIZE = 1000


def relative_join(folder: str, name: str) -> str:
    """``folder/name``, or ``name`` at the top (``folder`` is ``''``)."""
    return f'{folder}/{name}' if folder else name


class RemoteRoot:
    """Where a walk or a transfer starts on the platform: the root of a
    project, or a folder.

    :param project: the project (id or ``Project``).
    :param parent: the folder (id or ``File``).
    :raises ValidationError: unless exactly one of them is given.
    """

    def __init__(self, project: ProjectRef | None = None,
                 parent: FileRef | None = None) -> None:
        if bool(project) == bool(parent):
            raise ValidationError('Give a project or a parent folder (one '
                                  'of project= and parent=).')
        self.project = Transform.to_project(project) if project else None
        self.parent = Transform.to_file(parent) if parent else None

    def where(self) -> dict[str, Any]:
        """The listing, upload and folder arguments of the root
        (``{'project': id}`` or ``{'parent': id}``)."""
        if self.project:
            return {'project': self.project}
        return {'parent': str(self.parent)}

    def __str__(self) -> str:
        if self.project:
            return f'project {self.project}'
        return f'folder {self.parent}'


def _children(api: Api, where: dict[str, Any]) -> Iterator[File]:
    """The items of a folder (``where``: ``{'project': id}`` or
    ``{'parent': id}``), fetched page by page."""
    return api.files.query(limit=PAGE_SIZE, cont_token='init',
                           api=api, **where).all()


def iter_tree(children: Callable[[File | None], Iterable[File]],
              include_folders: bool = False) -> Iterator[tuple[str, File]]:
    """``(relative path, item)`` of every item of a tree, depth first (a
    folder's contents right after it), each folder listed lazily.

    :param children: the items of a folder (``None``: of the root).
    :param include_folders: yield the folders too.
    """
    stack = [('', iter(children(None)))]
    while stack:
        folder, items = stack[-1]
        item = next(items, None)
        if item is None:
            stack.pop()
            continue
        path = relative_join(folder, item.name)
        if item.is_folder():
            if include_folders:
                yield path, item
            stack.append((path, iter(children(item))))
        else:
            yield path, item


def walk_files(api: Api, project: ProjectRef | None = None,
               parent: FileRef | None = None,
               include_folders: bool = False) -> Iterator[tuple[str, File]]:
    """``(relative path, File)`` of every file below a project's root or a
    folder, depth first, one page at a time.

    :param api: the client.
    :param project: the project (id or ``Project``).
    :param parent: the folder (id or ``File``).
    :param include_folders: yield the folders too.
    """
    root = RemoteRoot(project, parent)
    return iter_tree(
        lambda folder: _children(api, root.where() if folder is None
                                 else {'parent': folder.id}),
        include_folders)


def walk(api: Api, project: ProjectRef | None = None,
         parent: FileRef | None = None
         ) -> Iterator[tuple[str, list[File], list[File]]]:
    """Like :func:`os.walk` (top down): ``(path, folders, files)`` for the
    start and every folder below it, ``path`` relative to the start
    (``''`` for the start itself). Removing items from ``folders`` before
    the next step skips them.

    :param api: the client.
    :param project: the project (id or ``Project``).
    :param parent: the folder (id or ``File``).
    """
    root = RemoteRoot(project, parent)
    pending: list[tuple[str, dict[str, Any]]] = [('', root.where())]
    while pending:
        path, where = pending.pop()
        folders: list[File] = []
        files: list[File] = []
        for item in _children(api, where):
            (folders if item.is_folder() else files).append(item)
        yield path, folders, files
        for folder in reversed(folders):
            pending.append((relative_join(path, folder.name),
                            {'parent': folder.id}))


# -- what to take -------------------------------------------------------------

class Selection:
    """Which paths of a tree a transfer takes: those that match one of
    ``include`` (all when it is not given) and none of ``exclude``.

    A pattern is a glob (:mod:`fnmatch`: ``*``, ``?``, ``[...]``; ``*``
    also matches ``/``) matched against the path relative to the start
    (``reads/a.fastq``); a pattern without ``/`` also matches a name alone
    (``*.tmp`` or ``.DS_Store`` anywhere).

    :raises ValidationError: when a pattern list is not a list of strings.
    """

    def __init__(self, include: Iterable[str] | None = None,
                 exclude: Iterable[str] | None = None) -> None:
        self.include = self._patterns('include', include)
        self.exclude = self._patterns('exclude', exclude) or []

    @staticmethod
    def _patterns(parameter, patterns):
        if patterns is None:
            return None
        listed = as_list(parameter, patterns)
        for pattern in listed:
            if not isinstance(pattern, str) or not pattern:
                raise ValidationError(f'{parameter} must be a list of glob '
                                      f'patterns, not {listed!r}.')
        return listed

    @staticmethod
    def _matches(path, patterns):
        name = posixpath.basename(path)
        return any(fnmatch.fnmatchcase(path, pattern) or (
            '/' not in pattern and fnmatch.fnmatchcase(name, pattern))
            for pattern in patterns)

    def __call__(self, path: str) -> bool:
        """Whether the transfer takes ``path``."""
        if self.include is not None and not self._matches(path,
                                                          self.include):
            return False
        return not self._matches(path, self.exclude)

    def __repr__(self) -> str:
        return f'<Selection: include={self.include}, exclude={self.exclude}>'


# -- trees as transfers see them ----------------------------------------------

@dataclass(frozen=True)
class LocalFile:
    """A regular file of a local tree.

    :param path: relative to the start, ``/`` between names.
    :param full_path: where it is.
    :param size: bytes.
    :param mtime: modification time, epoch seconds.
    """
    path: str
    full_path: str
    size: int
    mtime: float


@dataclass
class Tree:
    """One side of a transfer, by path relative to its root.

    :param root: the local folder, or the :class:`RemoteRoot`.
    :param files: the files taken (``LocalFile`` or ``File``).
    :param folders: every folder (its local path, or its ``File``).
    :param kept: folders holding something the transfer does not take
        (never deleted by a sync).
    :param reproduce: the folders a transfer from this side creates on
        the other: those holding a file taken, and empty ones taken.
    :param notes: entries left out, with the reason (symbolic links,
        special files, unreadable folders).
    """
    root: Any
    files: dict[str, Any] = field(default_factory=dict)
    folders: dict[str, Any] = field(default_factory=dict)
    kept: set[str] = field(default_factory=set)
    reproduce: set[str] = field(default_factory=set)
    notes: list[tuple[str, str]] = field(default_factory=list)

    def finish(self, selection: Selection, occupied: set[str],
               left_out: Iterable[str]) -> Tree:
        """Derive :attr:`kept` and :attr:`reproduce` once the files and
        folders are known.

        :param occupied: the folders that have any item in them.
        :param left_out: paths of the items not taken.
        """
        for path in left_out:
            self.kept.update(ancestors(path))
        self.reproduce = {path for path in self.folders
                          if path not in occupied and selection(path)}
        for path in list(self.files) + list(self.reproduce):
            self.reproduce.update(ancestors(path))
        return self


def ancestors(path: str) -> Iterator[str]:
    """The folders above ``path``, nearest first (``a/b/c``: ``a/b``,
    ``a``)."""
    parent = posixpath.dirname(path)
    while parent:
        yield parent
        parent = posixpath.dirname(parent)


def scan_remote(api: Api, root: RemoteRoot, selection: Selection) -> Tree:
    """The files and folders below a remote root (see :class:`Tree`)."""
    tree = Tree(root=root)
    occupied: set[str] = set()
    left_out = []
    for path, item in walk_files(api, include_folders=True, **root.where()):
        occupied.add(posixpath.dirname(path))
        if item.is_folder():
            tree.folders[path] = item
        elif selection(path):
            tree.files[path] = item
        else:
            left_out.append(path)
    return tree.finish(selection, occupied, left_out)


#: A download's temporary file and its journal beside the target:
#: ``<target>.<10 hex digits>[.parts]`` (see
#: :func:`sevenbridges.transfer.download.temporary_path`).
_PARTIAL = re.compile(r'^(.+)\.[0-9a-f]{10}(\.parts)?$')


def is_partial_download(path: str) -> bool:
    """Whether ``path`` is the temporary file (or its journal) of an
    unfinished download: a folder transfer neither moves nor deletes
    those, so that the download continues."""
    match = _PARTIAL.match(path)
    if match is None:
        return False
    return temporary_path(match.group(1)) == path.removesuffix('.parts')


def _is_text(name):
    try:
        name.encode('utf-8')
    except UnicodeEncodeError:
        return False
    return True


def scan_local(root: str, selection: Selection,
               ignore: Callable[[str], bool] = lambda path: False) -> Tree:
    """The files and folders below the local folder ``root`` (see
    :class:`Tree`).

    Symbolic links are never followed (a link is left out with a note, as
    are sockets, pipes and devices); files that ``selection`` does not take
    are left out silently, and so are those ``ignore(full path)`` says
    (partial downloads).

    :raises SbgError: when ``root`` is not a folder.
    """
    if not os.path.isdir(root):
        raise SbgError(f'{root} is not a folder.')
    tree = Tree(root=root)
    occupied: set[str] = set()
    left_out = []
    pending = [('', root)]
    while pending:
        folder, full_folder = pending.pop()
        try:
            entries = sorted(os.scandir(full_folder), key=lambda e: e.name)
        except OSError as e:
            tree.notes.append((folder or '.', f'not readable: {e.strerror}'))
            if folder:      # what it holds is unknown: it stays
                tree.kept.update([folder, *ancestors(folder)])
            continue
        if entries:
            occupied.add(folder)
        for entry in entries:
            path = relative_join(folder, entry.name)
            kind, note = _local_entry(entry)
            if note:
                tree.notes.append((path, note))
            if kind == 'folder':
                tree.folders[path] = entry.path
                pending.append((path, entry.path))
            elif kind == 'file' and not ignore(entry.path) and \
                    selection(path):
                info = entry.stat(follow_symlinks=False)
                tree.files[path] = LocalFile(path, entry.path, info.st_size,
                                             info.st_mtime)
            else:
                left_out.append(path)
    return tree.finish(selection, occupied, left_out)


def _local_entry(entry: Any) -> tuple[str | None, str | None]:
    """``(kind, note)`` of a directory entry: ``folder``, ``file`` or
    ``None`` (left out, with the reason)."""
    if not _is_text(entry.name):
        return None, 'skipped: the name is not valid text'
    if entry.is_symlink():
        return None, 'skipped: symbolic link'
    try:
        info = entry.stat(follow_symlinks=False)
    except OSError as e:
        return None, f'skipped: {e.strerror}'
    if stat.S_ISDIR(info.st_mode):
        return 'folder', None
    if not stat.S_ISREG(info.st_mode):
        return None, 'skipped: not a regular file'
    return 'file', None


def remote_mtime(file: File) -> float | None:
    """A platform file's ``modified_on`` in epoch seconds (``None`` when
    the platform did not say)."""
    modified = file.modified_on
    if not isinstance(modified, datetime):
        return None
    if modified.tzinfo is None:
        modified = modified.replace(tzinfo=timezone.utc)
    return modified.timestamp()
