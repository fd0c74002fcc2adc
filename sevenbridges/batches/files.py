"""The files a manifest names, found on the platform with as few requests
as the names allow: ids in bulk (100 per request), project paths through
their folders (each folder listed once, whatever the number of rows), bare
names in the project's root, else anywhere in the project (one walk)."""
from __future__ import annotations

import posixpath
from typing import TYPE_CHECKING, Any, Iterable

from sevenbridges.batches.manifest import FileRef, Row
from sevenbridges.constants import RequestParameters
from sevenbridges.transfer.tree import PAGE_SIZE, walk_files

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.models.file import File

__all__ = ['FileResolver', 'resolve_rows']

#: Items per bulk request of the platform.
BULK_SIZE = RequestParameters.DEFAULT_BULK_LIMIT


class FileResolver:
    """Finds files of one project by :class:`FileRef`.

    :param api: the client.
    :param project: the project's id.
    """

    def __init__(self, api: Api, project: str) -> None:
        self.api = api
        self.project = project
        self._by_id: dict[str, File | None] = {}
        self._folders: dict[str, dict[str, File]] = {}
        self._by_name: dict[str, list[str]] | None = None

    def _listing(self, folder: str) -> dict[str, File] | None:
        """The items of a folder of the project by name (``''``: the root),
        listed once; ``None`` when the folder does not exist."""
        if folder in self._folders:
            return self._folders[folder]
        if folder:
            parent = self._listing(posixpath.dirname(folder))
            item = (parent or {}).get(posixpath.basename(folder))
            if item is None or not item.is_folder():
                return None
            where: dict[str, Any] = {'parent': item.id}
        else:
            where = {'project': self.project}
        items = self.api.files.query(limit=PAGE_SIZE, cont_token='init',
                                     api=self.api, **where).all()
        self._folders[folder] = {item.name: item for item in items}
        return self._folders[folder]

    def prefetch(self, refs: Iterable[FileRef]) -> None:
        """Fetch the files named by id, 100 per request."""
        ids = sorted({ref.value for ref in refs if ref.how == 'id'}
                     - set(self._by_id))
        for start in range(0, len(ids), BULK_SIZE):
            chunk = ids[start:start + BULK_SIZE]
            records = self.api.files.bulk_get(chunk, api=self.api)
            for file_id, record in zip(chunk, records):
                self._by_id[file_id] = record.resource if record.valid \
                    else None

    def _named(self, name: str) -> list[str]:
        """The paths of the files called ``name`` anywhere in the project
        (one walk, the first time)."""
        if self._by_name is None:
            self._by_name = {}
            for path, item in walk_files(self.api, project=self.project):
                self._by_name.setdefault(item.name, []).append(path)
        return self._by_name.get(name, [])

    def find(self, ref: FileRef, folder: bool = False) -> File:
        """The file (``folder``: the folder) ``ref`` names.

        :raises LookupError: with the reason, when there is none (or more
            than one of a bare name).
        """
        if ref.how == 'id':
            if ref.value not in self._by_id:
                self.prefetch([ref])
            found = self._by_id.get(ref.value)
            if found is None:
                raise LookupError(f'no file has the id {ref.value}')
        else:
            path = ref.value
            if ref.how == 'name' and ref.value not in (
                    self._listing('') or {}):
                paths = self._named(ref.value)
                if len(paths) > 1:
                    raise LookupError(f'{len(paths)} files are called '
                                      f'{ref.value} ({", ".join(paths)})')
                path = paths[0] if paths else path
            items = self._listing(posixpath.dirname(path)) or {}
            found = items.get(posixpath.basename(path))
            if found is None:
                raise LookupError(f'{ref.value} is not in {self.project}')
        if found.is_folder() != folder:
            kind = 'a folder' if found.is_folder() else 'a file'
            raise LookupError(f'{ref.value} is {kind}')
        return found


def _resolve_value(resolver: FileResolver, value: Any, folder: bool,
                   problems: list[str], column: str) -> Any:
    if isinstance(value, list):
        return [_resolve_value(resolver, item, folder, problems, column)
                for item in value]
    if not isinstance(value, FileRef):
        return value
    try:
        return resolver.find(value, folder)
    except LookupError as error:
        problems.append(f'{column}: {error}')
        return None


def resolve_rows(resolver: FileResolver, rows: list[Row],
                 folders: Iterable[str] = ()) -> None:
    """Put the files in place of the references of every row (a file that
    is not found is a problem of its row).

    :param folders: the inputs that take folders (``Directory``).
    """
    folder_inputs = set(folders)
    refs = [ref for row in rows for value in row.inputs.values()
            for ref in (value if isinstance(value, list) else [value])
            if isinstance(ref, FileRef)]
    resolver.prefetch(refs)
    for row in rows:
        for column, value in list(row.inputs.items()):
            row.inputs[column] = _resolve_value(
                resolver, value, column in folder_inputs, row.problems,
                column)
