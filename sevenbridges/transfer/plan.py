"""What a folder transfer or a sync will do: a :class:`TransferPlan` of
:class:`PlanEntry` items, computed from the two trees before anything
moves, so that it can be shown (a dry run) and then carried out.

How a file present on both sides is compared (``compare`` of a sync, see
:class:`Compare`): by name only, by size, or by size and modification
time. The platform's public API tells a file's size and its
``modified_on`` (whole seconds) but no checksum of its bytes (the storage's
``ETag`` of a multipart object is not a digest of the file), so there is no
checksum level: a sync that needs one compares sizes and times, and a
download sets the local file's modification time to the platform's
``modified_on``, so that the next comparison is exact.
"""
from __future__ import annotations

import os
import posixpath
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Container

from sevenbridges.meta.html import MAX_ROWS, _table
from sevenbridges.transfer.choices import Compare, Direction, IfExists
from sevenbridges.transfer.options import TransferOptions
from sevenbridges.transfer.report import TransferReport, size_text
from sevenbridges.transfer.tree import (
    LocalFile,
    RemoteRoot,
    Selection,
    Tree,
    ancestors,
    is_partial_download,
    relative_join,
    remote_mtime,
    scan_local,
    scan_remote,
)

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.transfer.utils import Progress

__all__ = ['Direction', 'IfExists', 'Compare', 'Action', 'PlanEntry',
           'TransferPlan', 'make_plan', 'plan_entries', 'free_name',
           'remote_mtime']

class Action:
    """What a plan does with one path."""
    UPLOAD = 'upload'
    DOWNLOAD = 'download'
    CREATE_FOLDER = 'create folder'
    DELETE = 'delete'
    SKIP = 'skip'
    CONFLICT = 'conflict'    # a file on one side, a folder on the other


@dataclass(frozen=True)
class PlanEntry:
    """One path of a plan.

    :param action: an :class:`Action`.
    :param path: the path on the source side, relative to its root.
    :param target: the path on the target side (``path``, or the new name
        of a renamed copy).
    :param reason: why (``new``, ``changed: size``, ``same``, ...).
    :param size: the file's size in bytes: the source's, or the target's
        for what only the target has (0 for a folder). What moves is
        :attr:`moves`.
    :param local: the local file, when there is one.
    :param remote: the platform's ``File``, when there is one.
    :param folder: whether the path is a folder.
    """
    action: str
    path: str
    target: str
    reason: str
    size: int = 0
    local: LocalFile | None = None
    remote: Any = None
    folder: bool = False

    @property
    def moves(self) -> bool:
        """Whether bytes move for this entry."""
        return self.action in (Action.UPLOAD, Action.DOWNLOAD)


def free_name(name: str, taken: Container[str]) -> str:
    """``name`` numbered as the platform numbers copies (``1_name``,
    ``2_name``, ...): the first not in ``taken``."""
    number = 1
    while f'{number}_{name}' in taken:
        number += 1
    return f'{number}_{name}'


def _changed(compare: str, source: tuple[int, float | None],
             target: tuple[int, float | None]) -> str | None:
    """Why the source replaces the target (``None``: it does not)."""
    if compare == Compare.EXISTS:
        return None
    if source[0] != target[0]:
        return 'changed: size'
    if compare == Compare.MTIME and source[1] is not None and \
            target[1] is not None and int(source[1]) > int(target[1]):
        return 'changed: newer'
    return None


class _Sides:
    """The source and target of a plan, read the same way whatever the
    direction: ``(size, mtime)`` of each file, and the folders."""

    def __init__(self, direction: str, local: Tree, remote: Tree) -> None:
        local_info = {path: (file.size, file.mtime)
                      for path, file in local.files.items()}
        remote_info = {path: (file.size or 0, remote_mtime(file))
                       for path, file in remote.files.items()}
        self.local, self.remote = local, remote
        if direction == Direction.UPLOAD:
            source, target = local, remote
            self.source, self.target = local_info, remote_info
            self.move, self.elsewhere = Action.UPLOAD, 'only on the platform'
        else:
            source, target = remote, local
            self.source, self.target = remote_info, local_info
            self.move, self.elsewhere = Action.DOWNLOAD, 'only here'
        self.source_folders = source.reproduce
        self.target_folders = set(target.folders)
        self.target_kept = target.kept
        self._names: dict[str, set[str]] | None = None

    def entry(self, action, path, reason, target=None):
        """The entry of a path of the source."""
        return PlanEntry(action=action, path=path, target=target or path,
                         reason=reason, size=self.source[path][0] or 0,
                         local=self.local.files.get(path),
                         remote=self.remote.files.get(path))

    def names_of(self, folder: str) -> set[str]:
        """The names the target has in ``folder`` (a set to add to)."""
        if self._names is None:
            self._names = {}
            for path in list(self.target) + list(self.target_folders):
                self._names.setdefault(posixpath.dirname(path), set()).add(
                    posixpath.basename(path))
        return self._names.setdefault(folder, set())


def plan_entries(direction: str, local: Tree, remote: Tree,
                 when_present: str, delete: bool = False,
                 sync: bool = False) -> list[PlanEntry]:
    """The entries of a plan, sorted by path.

    :param direction: a :class:`Direction`.
    :param when_present: for a file on both sides: a :class:`Compare`
        level (a sync) or an :class:`IfExists` policy (a copy).
    :param delete: delete what is only on the target (a sync).
    :param sync: list what is only on the target (skipped, or deleted).
    """
    sides = _Sides(direction, local, remote)
    entries = _folder_entries(sides)
    for path, source in sorted(sides.source.items()):
        if path in sides.target_folders:
            entries.append(sides.entry(Action.CONFLICT, path,
                                       'a folder of this name is in the way'))
        elif path not in sides.target:
            entries.append(sides.entry(sides.move, path, 'new'))
        elif when_present == IfExists.SKIP:
            entries.append(sides.entry(Action.SKIP, path, 'exists'))
        elif when_present == IfExists.OVERWRITE:
            entries.append(sides.entry(sides.move, path, 'replaces'))
        elif when_present == IfExists.RENAME:
            folder = posixpath.dirname(path)
            taken = sides.names_of(folder)
            name = free_name(posixpath.basename(path), taken)
            taken.add(name)
            entries.append(sides.entry(sides.move, path, 'exists: renamed',
                                       target=relative_join(folder, name)))
        else:
            reason = _changed(when_present, source, sides.target[path])
            entries.append(sides.entry(sides.move, path, reason)
                           if reason else
                           sides.entry(Action.SKIP, path, 'same'))
    if sync:
        entries += _target_only(sides, delete)
    return sorted(entries, key=lambda entry: (entry.path, entry.folder))


def _folder_entries(sides: _Sides) -> list[PlanEntry]:
    entries = []
    for path in sorted(sides.source_folders - sides.target_folders):
        if path in sides.target:
            entries.append(PlanEntry(Action.CONFLICT, path, path,
                                     'a file of this name is in the way',
                                     folder=True))
        else:
            entries.append(PlanEntry(Action.CREATE_FOLDER, path, path, 'new',
                                     folder=True))
    return entries


def _target_only(sides: _Sides, delete: bool) -> list[PlanEntry]:
    """What only the target has: deleted when asked (a folder only when
    everything in it goes too), listed otherwise."""
    action = Action.DELETE if delete else Action.SKIP
    entries = [
        PlanEntry(action, path, path, sides.elsewhere,
                  size=sides.target[path][0] or 0,
                  local=sides.local.files.get(path),
                  remote=sides.remote.files.get(path))
        for path in sorted(set(sides.target) - set(sides.source)
                           - sides.source_folders)]
    if not delete:
        return entries
    staying = sides.source_folders | sides.target_kept | set(sides.source)
    for path in set(staying):
        staying.update(ancestors(path))
    for path in sorted(sides.target_folders - staying):
        entries.append(PlanEntry(
            Action.DELETE, path, path, sides.elsewhere, folder=True,
            remote=sides.remote.folders.get(path)))
    return entries


class TransferPlan:
    """What a folder transfer or a sync will do, computed before anything
    moves (a dry run): :meth:`execute` carries it out.

    ``entries`` lists every path (:class:`PlanEntry`), sorted; ``notes``
    the local entries left out (symbolic links, special files) with the
    reason. ``print(plan)`` lists it; in a notebook it shows as a table.
    """

    def __init__(self, api: Api, direction: str, local_root: str,
                 remote_root: RemoteRoot, entries: list[PlanEntry],
                 remote_folders: dict[str, Any],
                 notes: list[tuple[str, str]] | None = None) -> None:
        self.api = api
        self.direction = direction
        self.local_root = local_root
        self.remote_root = remote_root
        self.entries = entries
        self.remote_folders = remote_folders
        self.notes = list(notes or [])

    @property
    def uploading(self) -> bool:
        """Whether files move to the platform (else from it)."""
        return self.direction == Direction.UPLOAD

    def _with(self, *actions: str) -> list[PlanEntry]:
        return [entry for entry in self.entries if entry.action in actions]

    @property
    def transfers(self) -> list[PlanEntry]:
        """The files that move."""
        return self._with(Action.UPLOAD, Action.DOWNLOAD)

    @property
    def folders_to_create(self) -> list[PlanEntry]:
        """The folders the target gets."""
        return self._with(Action.CREATE_FOLDER)

    @property
    def deletions(self) -> list[PlanEntry]:
        """The files and folders deleted on the target."""
        return self._with(Action.DELETE)

    @property
    def skipped(self) -> list[PlanEntry]:
        """What is left as it is (same, exists, only on one side)."""
        return self._with(Action.SKIP)

    @property
    def conflicts(self) -> list[PlanEntry]:
        """Paths that are a file on one side and a folder on the other
        (they fail)."""
        return self._with(Action.CONFLICT)

    @property
    def bytes_to_move(self) -> int:
        """Bytes of the files that move."""
        return sum(entry.size for entry in self.transfers)

    def execute(
            self, progress: Callable[[Progress], Any] | None = None,
            workers: int | None = None, part_size: int | None = None,
            retry: int = 6, timeout: float = 300) -> TransferReport:
        """Carry the plan out: folders first, then the files, many at a
        time on one worker budget, then the deletions. A plan describes
        both trees as they were when it was made: plan again for a later
        run.

        :param progress: called with a
            :class:`~sevenbridges.transfer.report.TreeProgress` after each
            part and each file.
        :param workers: files in flight at once (default: the client's
            ``upload_max_workers`` or ``download_max_workers``); their
            parts share the client's transfer pool.
        :param part_size: bytes per part (uploads: asked of the platform;
            downloads: per ranged request, at least 5 MiB).
        :param retry: attempts per part.
        :param timeout: seconds per storage request.
        :return: the :class:`~sevenbridges.transfer.report.TransferReport`.
        :raises FolderTransferError: when any file failed (the others are
            done; the error lists the failures and holds the report).
        """
        return self.api.folders._execute(self, TransferOptions.of_folders(
            progress, workers, part_size, retry, timeout))

    # -- showing it -----------------------------------------------------------

    def _where(self) -> str:
        if self.direction == Direction.UPLOAD:
            return f'from {self.local_root} to {self.remote_root}'
        return f'from {self.remote_root} to {self.local_root}'

    def summary(self) -> str:
        """One line: what moves, what is created, deleted and skipped."""
        return (f'{self.direction} of {len(self.transfers)} files '
                f'({size_text(self.bytes_to_move)}), '
                f'{len(self.folders_to_create)} folders to create, '
                f'{len(self.deletions)} to delete, '
                f'{len(self.skipped)} skipped, '
                f'{len(self.conflicts)} conflicts; {self._where()}')

    def _rows(self) -> list[list[Any]]:
        ordered = [entry for entry in self.entries
                   if entry.action != Action.SKIP] + self.skipped
        return [[entry.action, entry.path + ('/' if entry.folder else ''),
                 entry.target if entry.target != entry.path else '',
                 entry.reason, size_text(entry.size) if entry.moves else '']
                for entry in ordered]

    def __repr__(self) -> str:
        return f'<TransferPlan: {self.summary()}>'

    def __str__(self) -> str:
        rows = self._rows()
        lines = [self.summary()]
        lines += [f'  {action:<13} {path}' + (f' -> {target}' if target
                                              else '')
                  + f'  ({reason}{", " + size if size else ""})'
                  for action, path, target, reason, size in rows[:MAX_ROWS]]
        if len(rows) > MAX_ROWS:
            lines.append(f'  ... and {len(rows) - MAX_ROWS} more')
        lines += [f'  note: {path}: {reason}' for path, reason in self.notes]
        return '\n'.join(lines)

    def _repr_html_(self) -> str:
        rows = self._rows()
        footer = f'{min(len(rows), MAX_ROWS)} of {len(rows)} entries shown'
        if self.notes:
            footer += '; left out: ' + ', '.join(
                f'{path} ({reason})' for path, reason in self.notes[:10])
        return _table(f'TransferPlan: {self.summary()}',
                      ('action', 'path', 'as', 'reason', 'size'),
                      rows[:MAX_ROWS], footer)


def make_plan(api: Api, direction: str, local_root: str,
              remote_root: RemoteRoot, selection: Selection,
              when_present: str, delete: bool = False,
              sync: bool = False) -> TransferPlan:
    """Scan both sides and plan (see :func:`plan_entries`).

    :param local_root: the local folder (an upload's must exist; a
        download's is created when it runs).
    :raises SbgError: when the local folder is not a folder.
    """
    if direction == Direction.UPLOAD or os.path.exists(local_root):
        local = scan_local(local_root, selection, ignore=is_partial_download)
    else:
        local = Tree(root=local_root)
    remote = scan_remote(api, remote_root, selection)
    entries = plan_entries(direction, local, remote, when_present, delete,
                           sync)
    return TransferPlan(api, direction, local_root, remote_root, entries,
                        remote.folders, local.notes)
