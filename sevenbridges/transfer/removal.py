"""Removing a folder with everything in it (``api.folders.remove``): the
files below it in bulk requests, then its folders, the deepest first, then
the folder itself.

The platform deletes a folder only when it is empty, and files one by one
or :data:`BULK_SIZE` at a time; a removal is planned by one walk of the
tree (one listing request per folder page), can be looked at before it
runs, and then takes one request per :data:`BULK_SIZE` files and one per
folder::

    removal = api.folders.plan_removal(folder)
    print(removal)           # <FolderRemoval of run1/: 1204 files, 12 folders>
    removed = removal.execute()
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sevenbridges.constants import RequestParameters
from sevenbridges.errors import SbgError, ValidationError
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.file import File
from sevenbridges.transfer.tree import relative_join, walk_files

if TYPE_CHECKING:
    from sevenbridges._types import Api, FileRef

__all__ = ['BULK_SIZE', 'FolderRemoval', 'FolderRemovalError',
           'plan_removal', 'remove_paths']

#: Files per bulk delete request (the platform's most).
BULK_SIZE = RequestParameters.DEFAULT_BULK_LIMIT

#: The status of a bulk item whose file is gone already.
_GONE = 404


class FolderRemovalError(SbgError):
    """The platform refused to remove a path of a folder tree; what was
    removed before it stays removed (``removed``), and running the removal
    again (a new plan) continues.

    :param message: the path and the platform's message.
    :param removed: the paths removed before the failure.
    :param path: the path the platform refused.
    """

    def __init__(self, message: str, removed: list[str],
                 path: str | None = None) -> None:
        super().__init__(message=message)
        self.removed = removed
        self.path = path


@dataclass
class FolderRemoval:
    """What removing a folder takes, found by a walk (nothing is removed
    until :meth:`execute`).

    Paths are relative to the folder's parent, with ``/`` between names,
    a folder's ending with ``/``: ``run1/reads/a.fq``, ``run1/reads/``,
    ``run1/``.

    :param api: the client.
    :param folder: the folder.
    :param files: ``(path, id)`` of every file below it.
    :param folders: ``(path, id)`` of every folder below it.
    """
    api: Api
    folder: File
    files: list[tuple[str, str]] = field(default_factory=list)
    folders: list[tuple[str, str]] = field(default_factory=list)

    def __repr__(self) -> str:
        return (f'<FolderRemoval of {self.folder.name}/: {len(self.files)} '
                f'files, {len(self.folders)} folders>')

    @property
    def paths(self) -> list[str]:
        """Every path that goes, in the order it goes: the files, the
        folders below (the deepest first), the folder."""
        return [path for path, _ in self.files] + [
            path for path, _ in self._folders_deepest_first()] + [
            f'{self.folder.name}/']

    def _folders_deepest_first(self) -> list[tuple[str, str]]:
        return sorted(self.folders, key=lambda entry: -entry[0].count('/'))

    def execute(self) -> list[str]:
        """Remove the files, then the folders, then the folder.

        :return: the paths removed (:attr:`paths`).
        :raises FolderRemovalError: when the platform refuses one (a file
            or folder that appeared since the walk leaves its folder not
            empty): the error names it and holds what was removed.
        """
        return remove_paths(self.api, self.files, self.folders + [
            (f'{self.folder.name}/', self.folder.id)])


def remove_paths(api: Api, files: list[tuple[str, str]],
                 folders: list[tuple[str, str]]) -> list[str]:
    """Remove files in bulk requests of :data:`BULK_SIZE` (a file gone
    already counts as removed), then folders, the deepest first (by the
    ``/`` in their paths), each in one request: what removing a tree takes,
    since the platform deletes only empty folders.

    :param api: the client.
    :param files: ``(path, id)`` of the files.
    :param folders: ``(path, id)`` of the folders, emptied by the files.
    :return: the paths removed, in the order they went.
    :raises FolderRemovalError: when the platform refuses one path: it is
        named, with what was removed before it.
    """
    removed: list[str] = []
    for start in range(0, len(files), BULK_SIZE):
        chunk = files[start:start + BULK_SIZE]
        records = File.bulk_delete([file_id for _, file_id in chunk],
                                   api=api)
        for (path, _), record in zip(chunk, records):
            error = record.error
            if error is not None and error.status != _GONE:
                raise FolderRemovalError(f'{path}: {error.message}',
                                         removed, path)
            removed.append(path)
    for path, folder_id in sorted(
            folders, key=lambda entry: -entry[0].rstrip('/').count('/')):
        try:
            File(id=folder_id, api=api).delete()
        except SbgError as error:
            raise FolderRemovalError(f'{path}: {error.message}',
                                     removed, path) from error
        removed.append(path)
    return removed


def plan_removal(api: Api, folder: FileRef) -> FolderRemoval:
    """Walk a folder's tree: what removing it takes.

    :param api: the client.
    :param folder: the folder (id or ``File``).
    :raises ValidationError: when it is a file, or the root folder of a
        project (remove what is in it instead).
    """
    item = folder if isinstance(folder, File) else \
        File.get(Transform.to_file(folder), api=api)
    if not item.is_folder():
        raise ValidationError(f'{item.name} is a file, not a folder.')
    if not item.parent:
        raise ValidationError(f'{item.name} is the root folder of project '
                              f'{item.project}: it is removed with the '
                              'project.')
    removal = FolderRemoval(api, item)
    for path, found in walk_files(api, parent=item, include_folders=True):
        shown = relative_join(item.name, path)
        if found.is_folder():
            removal.folders.append((shown + '/', found.id))
        else:
            removal.files.append((shown, found.id))
    return removal
