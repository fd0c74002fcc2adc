"""A batch's outputs: a table of each row's output files, copied on the
platform into ``folder/{key}/`` or downloaded into ``dir/{key}/``."""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from sevenbridges.batches.batch import bulk_tasks
from sevenbridges.batches.files import BULK_SIZE
from sevenbridges.batches.record import RowTasks
from sevenbridges.meta.arguments import local_path
from sevenbridges.models.file import File
from sevenbridges.transfer.choices import Direction
from sevenbridges.transfer.plan import IfExists, TransferPlan, plan_entries
from sevenbridges.transfer.tree import (
    RemoteRoot,
    Selection,
    Tree,
    is_partial_download,
    scan_local,
)

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.transfer.report import TransferReport

__all__ = ['OutputRow', 'output_rows', 'bulk_files', 'copy_outputs',
           'download_outputs']


@dataclass(frozen=True)
class OutputRow:
    """One output file of a row: ``key``, ``task`` (id), ``output`` (the
    app's output id), ``file`` (id) and ``path`` (``{key}/{name}``, where
    a copy or a download puts it)."""
    key: str
    task: str
    output: str
    file: str
    path: str

    def as_dict(self) -> dict[str, Any]:
        return {'key': self.key, 'task': self.task, 'output': self.output,
                'file': self.file, 'path': self.path}


def _files(value: Any) -> list[File]:
    if isinstance(value, File):
        return [value]
    if isinstance(value, list):
        return [file for item in value for file in _files(item)]
    return []


def output_rows(api: Api, rows: Iterable[RowTasks]) -> list[OutputRow]:
    """The output files of the rows' current tasks (read 100 per
    request)."""
    rows = list(rows)
    tasks = {task.id: task for task in bulk_tasks(
        api, [row.task.id for row in rows])}
    table = []
    for row in rows:
        task = tasks.get(row.task.id)
        if task is None:
            continue
        for output, value in sorted((task.outputs or {}).items()):
            for file in _files(value):
                table.append(OutputRow(row.key, task.id, output, file.id,
                                       f'{row.key}/{file.name}'))
    return table


def bulk_files(api: Api, ids: list[str]) -> dict[str, File]:
    """The files ``ids`` by id, read 100 per request."""
    files = {}
    for start in range(0, len(ids), BULK_SIZE):
        for record in api.files.bulk_get(ids[start:start + BULK_SIZE],
                                         api=api):
            if record.valid:
                files[record.resource.id] = record.resource
    return files


def _folder(api: Api, project: str, path: str,
            known: dict[str, File | None]) -> File:
    """The folder ``path`` of the project, created (with its parents)
    when missing."""
    if path in known and known[path] is not None:
        return known[path]   # type: ignore[return-value]
    parent = posixpath.dirname(path)
    where: dict[str, Any] = {'parent': _folder(api, project, parent, known).id} \
        if parent else {'project': project}
    name = posixpath.basename(path)
    found = api.files._folder_named(name, api, **where)
    known[path] = found or api.files.create_folder(name=name, api=api,
                                                   **where)
    return known[path]   # type: ignore[return-value]


def copy_outputs(api: Api, project: str, table: list[OutputRow],
                 folder: str) -> list[File]:
    """Copy each output into ``folder/{key}/`` (server-side copies); a
    name that is there already is left as it is (a copy never touches an
    existing file, and a second run copies nothing)."""
    folder = folder.strip('/')
    if not folder:
        raise ValueError('copy_to: a folder path in the project is needed.')
    known: dict[str, File | None] = {}
    files = bulk_files(api, [row.file for row in table])
    copies = []
    by_key: dict[str, list[OutputRow]] = {}
    for row in table:
        by_key.setdefault(row.key, []).append(row)
    for key, rows in sorted(by_key.items()):
        target = _folder(api, project, f'{folder}/{key}', known)
        present = {item.name for item in target.list_files(
            limit=1000, api=api).all()}
        for row in rows:
            source = files.get(row.file)
            if source is None or source.name in present:
                continue
            copies.append(source.copy_to_folder(parent=target.id, api=api))
            present.add(source.name)
    return copies


def download_outputs(api: Api, project: str, table: list[OutputRow],
                     path: str, options: dict[str, Any]) -> TransferReport:
    """Download each output into ``path/{key}/`` through the folder
    engine (a file there already is skipped)."""
    root = local_path('download', path)
    files = bulk_files(api, [row.file for row in table])
    remote = Tree(root=RemoteRoot(project=project))
    for row in table:
        if row.file in files:
            remote.files[row.path] = files[row.file]
    remote.finish(Selection(), set(), [])
    local = scan_local(root, Selection(), ignore=is_partial_download) \
        if os.path.isdir(root) else Tree(root=root)
    entries = plan_entries(Direction.DOWNLOAD, local, remote, IfExists.SKIP)
    plan = TransferPlan(api, Direction.DOWNLOAD, root, remote.root, entries,
                        {})
    return plan.execute(**options)
