"""What a folder transfer tells while it runs (:class:`TreeProgress`) and
when it ends (:class:`TransferReport`, and :class:`FolderTransferError`
when any file failed)."""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from sevenbridges.errors import SbgError
from sevenbridges.meta.html import MAX_ROWS, _table
from sevenbridges.transfer.utils import Progress

__all__ = ['TreeProgress', 'FileOutcome', 'TransferReport',
           'FolderTransferError', 'size_text']

#: Failures a :class:`FolderTransferError` message lists (all are in its
#: report).
LISTED_FAILURES = 20


class TreeProgress(Progress):
    """A snapshot of a folder transfer's progress, given to its progress
    callback after each part and each file. It reads as a
    :class:`~sevenbridges.transfer.utils.Progress` whose parts are the
    files (so ``simple_progress_bar`` shows it), with the counts of both.

    :param files_total: files to move.
    :param files_done: files moved or failed so far.
    :param bytes_done: bytes moved so far.
    :param bytes_total: bytes of the files to move.
    :param duration: seconds since the transfer started.
    :param files_failed: files that failed so far.
    """

    def __init__(self, files_total: int, files_done: int, bytes_done: int,
                 bytes_total: int, duration: float,
                 files_failed: int = 0) -> None:
        super().__init__(files_total, files_done, bytes_done, bytes_total,
                         duration)
        self._files_failed = files_failed

    @property
    def files_total(self) -> int:
        return self.num_of_parts

    @property
    def files_done(self) -> int:
        return self.parts_done

    @property
    def files_failed(self) -> int:
        return self._files_failed

    @property
    def bytes_total(self) -> int:
        return self.file_size

    def __repr__(self) -> str:
        return (f'<TreeProgress: {self.progress:.2f}% of {self.file_size} B, '
                f'files {self.files_done}/{self.files_total}>')


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one path.

    :param path: relative to the source's root (``a/b.txt``; a folder ends
        with ``/``).
    :param status: ``moved``, ``skipped``, ``failed``, ``deleted`` or
        ``created`` (a folder).
    :param size: the file's size in bytes, moved or not (0 for a folder
        and for a deletion); :attr:`TransferReport.bytes_moved` counts the
        files moved.
    :param detail: the reason of a skip, the error of a failure, the new
        name of a renamed copy.
    :param error: the exception of a failure.
    """
    path: str
    status: str
    size: int = 0
    detail: str = ''
    error: BaseException | None = None


def size_text(size: float) -> str:
    """``size`` bytes for people: ``512 B``, ``3.4 MiB``."""
    for unit in ('B', 'KiB', 'MiB', 'GiB', 'TiB'):
        if size < 1024 or unit == 'TiB':
            break
        size /= 1024
    return f'{size:.0f} {unit}' if unit == 'B' else f'{size:.1f} {unit}'


class TransferReport:
    """What a folder transfer or a sync did: files and bytes moved,
    skipped, failed (with each error), deleted, folders created, and the
    time it took. ``print(report)`` lists the failures; in a notebook it
    shows as a table.

    :param direction: ``upload`` or ``download``.
    """

    def __init__(self, direction: str) -> None:
        self.direction = direction
        self.outcomes: list[FileOutcome] = []
        self.notes: list[tuple[str, str]] = []
        self.started = time.time()
        self.elapsed = 0.0

    def add(self, outcome: FileOutcome) -> None:
        """Record what happened to one path."""
        self.outcomes.append(outcome)

    def finish(self) -> TransferReport:
        """Stop the clock; sort the outcomes by path."""
        self.elapsed = time.time() - self.started
        self.outcomes.sort(key=lambda outcome: outcome.path)
        return self

    def _of(self, status: str) -> list[FileOutcome]:
        return [outcome for outcome in self.outcomes
                if outcome.status == status]

    @property
    def moved(self) -> list[FileOutcome]:
        """The files moved."""
        return self._of('moved')

    @property
    def skipped(self) -> list[FileOutcome]:
        """What was left as it was, with the reason."""
        return self._of('skipped')

    @property
    def failed(self) -> list[FileOutcome]:
        """What failed, with the error."""
        return self._of('failed')

    @property
    def deleted(self) -> list[FileOutcome]:
        """What a sync deleted on the target."""
        return self._of('deleted')

    @property
    def folders_created(self) -> list[FileOutcome]:
        """The folders created on the target."""
        return self._of('created')

    @property
    def bytes_moved(self) -> int:
        return sum(outcome.size for outcome in self.moved)

    @property
    def ok(self) -> bool:
        """Whether nothing failed."""
        return not self.failed

    def raise_for_failures(self) -> None:
        """:raises FolderTransferError: when any path failed."""
        if self.failed:
            raise FolderTransferError(self)

    def summary(self) -> str:
        """One line: counts, bytes and time."""
        rate = self.bytes_moved / self.elapsed if self.elapsed else 0.0
        return (f'{self.direction}: {len(self.moved)} files moved '
                f'({size_text(self.bytes_moved)}), '
                f'{len(self.skipped)} skipped, {len(self.failed)} failed, '
                f'{len(self.deleted)} deleted, '
                f'{len(self.folders_created)} folders created in '
                f'{self.elapsed:.1f} s ({size_text(rate)}/s)')

    def __repr__(self) -> str:
        return f'<TransferReport: {self.summary()}>'

    def __str__(self) -> str:
        lines = [self.summary()]
        lines += [f'  failed: {outcome.path}: {outcome.detail}'
                  for outcome in self.failed]
        lines += [f'  note: {path}: {reason}' for path, reason in self.notes]
        return '\n'.join(lines)

    def _repr_html_(self) -> str:
        order = ('failed', 'moved', 'created', 'deleted', 'skipped')
        ordered = sorted(self.outcomes,
                         key=lambda outcome: order.index(outcome.status))
        rows: list[list[Any]] = [
            [outcome.status, outcome.path,
             size_text(outcome.size) if outcome.status == 'moved' else '',
             outcome.detail] for outcome in ordered[:MAX_ROWS]]
        return _table(f'TransferReport: {self.summary()}',
                      ('status', 'path', 'size', 'detail'), rows,
                      f'{len(rows)} of {len(ordered)} paths shown')


class FolderTransferError(SbgError):
    """Some files of a folder transfer failed (the others are done): the
    message lists the failures, :attr:`report` holds the whole
    :class:`TransferReport`."""

    def __init__(self, report: TransferReport) -> None:
        failed = report.failed
        lines = [f'{outcome.path}: {outcome.detail}'
                 for outcome in failed[:LISTED_FAILURES]]
        if len(failed) > LISTED_FAILURES:
            lines.append(f'... and {len(failed) - LISTED_FAILURES} more')
        super().__init__(
            f'{len(failed)} of {len(failed) + len(report.moved)} files '
            f'failed to {report.direction}:\n  ' + '\n  '.join(lines))
        self.report = report
