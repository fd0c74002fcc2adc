"""Carry out a :class:`~sevenbridges.transfer.plan.TransferPlan`: many
files on one worker budget.

A fixed set of file workers (``workers``, by default the client's upload or
download workers) each runs one file's
:class:`~sevenbridges.transfer.upload.Upload` or
:class:`~sevenbridges.transfer.download.Download` to its end, in the
worker's own thread; the parts of every file go to the client's
``upload_pool`` or ``download_pool``, which no file worker ever runs on, so
a file worker waiting for its parts cannot starve them. A small file so
costs one worker for the time of its requests, not a thread pool; a large
one still moves its parts in parallel. All the files share one storage
session (one pool of kept-alive connections); journals let an interrupted
run continue (see :meth:`Batch.run`).
"""
from __future__ import annotations

import functools
import logging
import os
import posixpath
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from typing import TYPE_CHECKING, Any, Callable

from sevenbridges.errors import Conflict, SbgError
from sevenbridges.http.client import lean_requests, reading_environment_once
from sevenbridges.models.enums import TransferState
from sevenbridges.transfer.options import TransferOptions
from sevenbridges.transfer.parts import DEFAULT_PART_SIZE, tree_part_size
from sevenbridges.transfer.report import (
    FileOutcome,
    TransferReport,
    TreeProgress,
)
from sevenbridges.transfer.sessions import (
    sharing_storage_session,
    storage_session,
)
from sevenbridges.transfer.tree import ancestors, remote_mtime
from sevenbridges.transfer.upload import Upload

if TYPE_CHECKING:
    from sevenbridges.transfer.plan import PlanEntry, TransferPlan
    from sevenbridges.transfer.utils import Progress

logger = logging.getLogger(__name__)

__all__ = ['Batch']


class _Tracker:
    """The progress of the whole tree: bytes from every file's parts, and
    files as they end; the callback gets one
    :class:`~sevenbridges.transfer.report.TreeProgress` at a time."""

    def __init__(self, callback: Callable[[Progress], Any] | None,
                 files_total: int, bytes_total: int) -> None:
        self._callback = callback
        self._lock = threading.Lock()
        self.files_total, self.bytes_total = files_total, bytes_total
        self.files_done = self.files_failed = self.bytes_done = 0
        self.started = time.time()

    def _add(self, moved: int, files: int = 0, failed: int = 0) -> None:
        with self._lock:
            self.bytes_done += moved
            self.files_done += files
            self.files_failed += failed
            if self._callback:
                self._callback(TreeProgress(
                    self.files_total, self.files_done, self.bytes_done,
                    self.bytes_total, time.time() - self.started,
                    self.files_failed))

    def file(self, size: int) -> _FileProgress:
        """The progress of one file of ``size`` bytes."""
        return _FileProgress(self, size)


class _FileProgress:
    """One file's share of a :class:`_Tracker`."""

    def __init__(self, tracker: _Tracker, size: int) -> None:
        self._tracker = tracker
        self._size = size
        self._seen = 0

    def __call__(self, progress: Progress) -> None:
        """A transfer's progress callback."""
        moved = min(progress.bytes_done, self._size) - self._seen
        self._seen += moved
        self._tracker._add(moved)

    def done(self, failed: bool = False) -> None:
        """The file ended: its bytes not reported by parts (parts of an
        earlier run, an empty file) count now."""
        moved = 0 if failed else self._size - self._seen
        self._seen += moved
        self._tracker._add(moved, files=1, failed=int(failed))


class Batch:
    """One run of a plan (see :meth:`TransferPlan.execute
    <sevenbridges.transfer.plan.TransferPlan.execute>` for the
    parameters)."""

    def __init__(self, plan: TransferPlan, options: TransferOptions) -> None:
        self.plan = plan
        self.api = plan.api
        self.options = options
        pool = self.api.upload_pool if plan.uploading \
            else self.api.download_pool
        pool_workers = int(getattr(pool, '_max_workers', 16))
        self.workers: int = options.workers or pool_workers
        self.report = TransferReport(plan.direction)
        self.report.notes = list(plan.notes)
        transfers = plan.transfers
        self.tracker = _Tracker(options.progress, len(transfers),
                                sum(entry.size for entry in transfers))
        self._lock = threading.Lock()
        self._in_flight: dict[str, Any] = {}
        self._stopping = False
        self._folders: dict[str, dict[str, Any]] = {
            path: {'parent': folder.id}
            for path, folder in plan.remote_folders.items()}
        self._folders[''] = plan.remote_root.where()
        self._session: Any = None
        #: The part size of each downloaded file (see ``tree_part_size``).
        self._part_sizing: Callable[[int], int] | None = None
        if not plan.uploading:
            large = sum(entry.size for entry in transfers
                        if isinstance(entry.size, int)
                        and entry.size > DEFAULT_PART_SIZE)
            self._part_sizing = functools.partial(
                tree_part_size, large_bytes=large, workers=pool_workers)

    def _record(self, outcome: FileOutcome) -> None:
        with self._lock:
            self.report.add(outcome)

    # -- the run --------------------------------------------------------------

    def run(self) -> TransferReport:
        """Create the folders, move the files, delete what the plan
        deletes; return the report (failures are in it, never raised).

        On ``KeyboardInterrupt`` no new file starts, the files in flight
        stop after the parts in flight, and their journals stay: running
        the same transfer again continues them, and files already moved
        are not moved again.
        """
        for entry in self.plan.skipped:
            self._record(FileOutcome(entry.path, 'skipped', entry.size,
                                     detail=entry.reason))
        for entry in self.plan.conflicts:
            self._record(FileOutcome(
                entry.path + ('/' if entry.folder else ''), 'failed',
                entry.size, detail=f'conflict: {entry.reason}'))
        if not self.plan.uploading:
            os.makedirs(self.plan.local_root, exist_ok=True)
        self._session = storage_session(self.api,
                                                 self.options.attempts)
        pool = ThreadPoolExecutor(max_workers=self.workers,
                                  thread_name_prefix='sbg-folder')
        try:
            with reading_environment_once(self.api.session, self._session), \
                    lean_requests(self.api.session, self._session):
                self._create_folders(pool)
                self._move_files(pool)
                self._delete(pool)
        except BaseException:
            self._stop(pool)
            raise
        finally:
            pool.shutdown(wait=True)
            if self._session is not None:
                self._session.close()
        self.report.finish()
        logger.info('%s', self.report.summary())
        return self.report

    def _stop(self, pool: ThreadPoolExecutor) -> None:
        """Start no new file; stop those in flight after their parts in
        flight, keeping their journals (no abort, no clean-up)."""
        self._stopping = True
        with self._lock:
            transfers = list(self._in_flight.values())
        for transfer in transfers:
            transfer._control.halt()
        pool.shutdown(wait=True, cancel_futures=True)

    def _run_all(self, pool: ThreadPoolExecutor, work: Callable[[Any], Any],
                 items: list[Any]) -> None:
        """``work(item)`` for each item on the file workers, at most twice
        as many submitted as there are workers."""
        pending: set[Future] = set()
        for item in items:
            if self._stopping:
                break
            if len(pending) >= 2 * self.workers:
                _, pending = wait_for(pending, return_when=FIRST_COMPLETED)
            pending.add(pool.submit(work, item))
        wait_for(pending)

    # -- folders --------------------------------------------------------------

    def _create_folders(self, pool: ThreadPoolExecutor) -> None:
        """Parents before children: one depth at a time, the folders of a
        depth in parallel."""
        by_depth: dict[int, list[PlanEntry]] = {}
        for entry in self.plan.folders_to_create:
            by_depth.setdefault(entry.path.count('/'), []).append(entry)
        for depth in sorted(by_depth):
            self._run_all(pool, self._create_folder, by_depth[depth])

    def _create_folder(self, entry: PlanEntry) -> None:
        try:
            if self.plan.uploading:
                self._create_remote_folder(entry.path)
            else:
                os.makedirs(self._local_path(entry.path), exist_ok=True)
        except Exception as e:  # one folder's failure is reported
            self._record(FileOutcome(entry.path + '/', 'failed',
                                     detail=str(e), error=e))
        else:
            self._record(FileOutcome(entry.path + '/', 'created'))

    def _create_remote_folder(self, path: str) -> None:
        """Create the folder, or find it when it appeared since the plan."""
        parent = self._destination(posixpath.dirname(path))
        name = posixpath.basename(path)
        files = self.api.files
        try:
            folder = files.create_folder(name=name, api=self.api, **parent)
        except Conflict:
            found = files._folder_named(name, self.api, **parent)
            if found is None:
                raise
            folder = found
        with self._lock:
            self._folders[path] = {'parent': folder.id}

    def _destination(self, folder: str) -> dict[str, Any]:
        """Where items of the remote folder ``folder`` go (``project=`` or
        ``parent=``)."""
        with self._lock:
            where = self._folders.get(folder)
        if where is None:
            raise SbgError(f'The folder {folder} is not on the platform (it '
                           f'could not be created).')
        return where

    def _local_path(self, path: str) -> str:
        return os.path.join(self.plan.local_root, *path.split('/'))

    # -- files ----------------------------------------------------------------

    def _move_files(self, pool: ThreadPoolExecutor) -> None:
        transfers = sorted(self.plan.transfers, key=lambda e: e.path)
        self._run_all(pool, self._move, transfers)

    def _move(self, entry: PlanEntry) -> None:
        """Move one file; record what happened."""
        progress = self.tracker.file(entry.size)
        try:
            if self.plan.uploading:
                done = self._upload(entry, progress)
            else:
                done = self._download(entry, progress)
        except Exception as e:  # one file's failure never stops the others
            logger.warning('%s of %s failed: %s', self.plan.direction,
                           entry.path, e)
            progress.done(failed=True)
            self._record(FileOutcome(entry.path, 'failed', entry.size,
                                     detail=str(e), error=e))
            return
        finally:
            with self._lock:
                self._in_flight.pop(entry.path, None)
        if done:
            progress.done()
            renamed = f'as {entry.target}' if entry.target != entry.path \
                else ''
            self._record(FileOutcome(entry.path, 'moved', entry.size,
                                     detail=renamed))

    def _started(self, entry: PlanEntry, transfer: Any) -> bool:
        """Note a transfer in flight; whether it may run."""
        with self._lock:
            if self._stopping:
                return False
            self._in_flight[entry.path] = transfer
            return True

    def _upload(self, entry: PlanEntry, progress: _FileProgress) -> bool:
        where = self._destination(posixpath.dirname(entry.target))
        if entry.local is None:
            raise SbgError(f'{entry.path} has no local file to upload.')
        with sharing_storage_session(self._session):
            upload = Upload._with_options(
                self.options, entry.local.full_path,
                file_name=posixpath.basename(entry.target),
                overwrite=(entry.remote is not None
                           and entry.target == entry.path),
                api=self.api, **where)
        upload.add_progress_callback(progress)
        if not self._started(entry, upload):
            return False
        upload.run()
        return upload.status == TransferState.COMPLETED

    def _download(self, entry: PlanEntry, progress: _FileProgress) -> bool:
        target = self._local_path(entry.target)
        size = entry.remote.size  # the listing's: no probe for one part
        with sharing_storage_session(self._session):
            download = entry.remote._new_download(
                target, self.options.check_download(),
                known_size=size if isinstance(size, int) and size >= 0
                else None, part_sizing=self._part_sizing)
        download.add_progress_callback(progress)
        if not self._started(entry, download):
            return False
        download.run()
        if download.status != TransferState.COMPLETED:
            return False
        modified = remote_mtime(entry.remote)
        if modified is not None:  # the next sync compares exactly
            os.utime(target, (time.time(), modified))
        return True

    # -- deletions ------------------------------------------------------------

    def _delete(self, pool: ThreadPoolExecutor) -> None:
        """Files first, then folders, the deepest first."""
        deletions = self.plan.deletions
        self._run_all(pool, self._delete_one,
                      [entry for entry in deletions if not entry.folder])
        folders = sorted((entry for entry in deletions if entry.folder),
                         key=lambda entry: -entry.path.count('/'))
        held = self._holding_failures()
        for entry in folders:
            if self._stopping:
                break
            if entry.path in held:
                self._record(FileOutcome(entry.path + '/', 'skipped',
                                         detail='not empty'))
                continue
            if not self._delete_one(entry):
                held.update(ancestors(entry.path))

    def _holding_failures(self) -> set[str]:
        """The folders above a path that failed: they are not empty."""
        with self._lock:
            failed = [outcome.path.rstrip('/') for outcome in
                      self.report.outcomes if outcome.status == 'failed']
        return {folder for path in failed for folder in ancestors(path)}

    def _delete_one(self, entry: PlanEntry) -> bool:
        """Delete one file or folder; record what happened; whether it
        went."""
        shown = entry.path + ('/' if entry.folder else '')
        try:
            if self.plan.uploading:
                entry.remote.delete()
            elif entry.folder:
                os.rmdir(self._local_path(entry.path))
            else:
                os.remove(self._local_path(entry.path))
        except Exception as e:  # one deletion's failure is reported
            self._record(FileOutcome(shown, 'failed', detail=str(e),
                                     error=e))
            return False
        self._record(FileOutcome(shown, 'deleted'))
        return True

