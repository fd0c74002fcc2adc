"""What uploads and downloads share: state machine, callbacks, progress,
retries with back-off, the storage session, resume journals.

The functions here are assigned as methods of
:class:`~sevenbridges.transfer.upload.Upload` and
:class:`~sevenbridges.transfer.download.Download` (which must stay direct
subclasses of ``threading.Thread``).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
import time
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures import wait as wait_for
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any, Callable

from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from sevenbridges.errors import SbgError
from sevenbridges.http.client import RequestSession
from sevenbridges.models.enums import PartSize, TransferState
from sevenbridges.transfer._fileio import IO_CHUNK
from sevenbridges.transfer._window import PartWindow
from sevenbridges.transfer.utils import Progress

logger = logging.getLogger(__name__)

# -- the storage session -----------------------------------------------------

class StorageAdapter(HTTPAdapter):
    """An HTTP adapter that moves bodies in large blocks."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs.setdefault('blocksize', IO_CHUNK)
        super().init_poolmanager(*args, **kwargs)


def storage_session(api, retry_count):
    """A pooled session for storage URLs: the client's pool settings and
    proxies, quick connection retries (parts have their own retries with
    back-off), and no API credentials at all.

    :param api: the API client.
    :param retry_count: attempts per part (bounds the connection retries).
    """
    session = RequestSession()
    adapter = StorageAdapter(
        pool_connections=api.pool_connections or 10,
        pool_maxsize=api.pool_maxsize or 100,
        pool_block=api.pool_block,
        max_retries=Retry(total=min(retry_count, 2), backoff_factor=0.1))
    session.mount('http://', adapter)
    session.mount('https://', adapter)
    session.proxies = dict(api.session.proxies or {})
    session.verify = api.session.verify
    session.trust_env = api.session.trust_env
    return session


#: The storage session that the transfers made in a
#: :func:`sharing_storage_session` block share.
_shared_session: ContextVar[Any] = ContextVar('sbg_shared_storage_session',
                                              default=None)


@contextmanager
def sharing_storage_session(session):
    """Within the block (in this thread), new transfers use ``session`` for
    storage instead of a session of their own (see
    :func:`transfer_session`): many small files then reuse one pool of
    connections."""
    token = _shared_session.set(session)
    try:
        yield session
    finally:
        _shared_session.reset(token)


def transfer_session(api, retry_count):
    """The storage session of a new transfer: the one shared by the
    enclosing :func:`sharing_storage_session`, else a new
    :func:`storage_session`."""
    shared = _shared_session.get()
    if shared is not None:
        return shared
    return storage_session(api, retry_count)


# -- arguments and part sizes ------------------------------------------------------

def check_file_size(file_size):
    """:raises SbgError: when a file is too large for the platform."""
    if file_size > PartSize.MAXIMUM_OBJECT_SIZE:
        raise SbgError(f'File size = {file_size}b. Maximum file size is '
                       f'{PartSize.MAXIMUM_OBJECT_SIZE}b')


def upload_part_size(file_size, requested=None):
    """The part size an upload asks for: ``requested`` as given (the
    platform corrects it, and its answer is used), else the recommended
    size, grown (in whole MiB) so that the file fits in the maximum number
    of parts.

    :raises SbgError: for a file over the platform's maximum size.
    """
    check_file_size(file_size)
    if requested is not None:
        return requested
    needed = -(-file_size // PartSize.MAXIMUM_TOTAL_PARTS)
    needed = -(-needed // PartSize.MB) * PartSize.MB
    return max(PartSize.UPLOAD_RECOMMENDED_SIZE, needed)


def count_parts(file_size, part_size):
    """How many parts :func:`part_layout` makes (at least one)."""
    return max(1, -(-file_size // part_size))


def part_layout(file_size, part_size):
    """``[(number, offset, size), ...]`` of a file: 1-based numbers, every
    part full but the last, which is never empty (an empty file has one
    empty part)."""
    if file_size == 0:
        return [(1, 0, 0)]
    return [(index + 1, offset, min(part_size, file_size - offset))
            for index, offset in enumerate(range(0, file_size, part_size))]


# -- journals (resume across processes) -------------------------------------------

def cache_dir():
    """Where upload journals live: ``$XDG_CACHE_HOME/sevenbridges`` or
    ``~/.cache/sevenbridges``."""
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(
        os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'sevenbridges')


def journal_key(*parts):
    """A short stable name for a journal of the given identity."""
    text = '\0'.join(str(part) for part in parts)
    return hashlib.sha1(text.encode('utf-8')).hexdigest()


def keeps_journal(parts):
    """Whether a transfer of ``parts`` parts keeps a journal: only of
    several parts (a re-run of one part would save at most that part, and
    a folder of small files would pay a journal's writes for each)."""
    return parts > 1


def read_journal(path):
    """The journal at ``path`` (a dict), or ``None``."""
    try:
        with open(path, encoding='utf-8') as fp:
            return json.load(fp)
    except (OSError, ValueError):
        return None


def write_journal(path, data):
    """Write a journal atomically (a crash leaves the old or the new)."""
    directory = os.path.dirname(path)
    if directory:               # a bare name lives in the working folder
        os.makedirs(directory, exist_ok=True)
    temporary = f'{path}.{os.getpid()}.{threading.get_ident()}.tmp'
    with open(temporary, 'w', encoding='utf-8') as fp:
        json.dump(data, fp)
    os.replace(temporary, path)


def remove_quietly(path):
    """Remove ``path`` if it exists (``None``: nothing); an error is
    logged, never raised."""
    if path is None:
        return
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        logger.warning('Could not remove %s: %s', path, e)


# -- state machine, shared by Upload and Download ------------------------------------

def init_control(transfer):
    """The control state of a new transfer (``PREPARING``)."""
    transfer._status = TransferState.PREPARING
    transfer._running = threading.Event()
    transfer._running.set()
    transfer._stop_signal = False
    transfer._callback = None
    transfer._errorback = None
    transfer._progress_callback = None
    transfer._bytes_done = 0
    transfer._parts_done = 0
    transfer._time_started = 0
    transfer._time_finished = None
    transfer._error = None
    transfer._progress_lock = threading.Lock()


def start(self):
    """Start the transfer in its thread.

    :raises SbgError: unless the transfer is ``PREPARING``.
    """
    if self._status != TransferState.PREPARING:
        raise SbgError(f'Unable to start. {self._kind} not in PREPARING '
                       f'state.')
    self._status = TransferState.RUNNING
    self._time_started = time.time()
    threading.Thread.start(self)


def pause(self):
    """Pause: parts in flight finish, no new part starts.

    :raises SbgError: unless the transfer is ``RUNNING``.
    """
    if self._status != TransferState.RUNNING:
        raise SbgError(f'Can not pause. {self._kind} not in RUNNING state.')
    self._running.clear()
    self._status = TransferState.PAUSED


def resume(self):
    """Resume a paused transfer.

    :raises SbgError: unless the transfer is ``PAUSED``.
    """
    if self._status != TransferState.PAUSED:
        raise SbgError(f'Can not resume. {self._kind} not in PAUSED state.')
    self._status = TransferState.RUNNING
    self._running.set()


def stop(self):
    """Stop the transfer for good (also when paused) and clean up: an
    upload is aborted on the server, a download leaves no file.

    :raises SbgError: unless the transfer is ``RUNNING`` or ``PAUSED``.
    :return: what the callback returns, if one is set.
    """
    if self._status not in (TransferState.PAUSED, TransferState.RUNNING):
        raise SbgError(f'Can not stop. {self._kind} not in PAUSED or RUNNING '
                       f'state.')
    self._stop_signal = True
    self._running.set()  # wake a paused worker so that it can finish
    if self.is_alive() and threading.current_thread() is not self:
        self.join()
    self._clean_up_stopped()
    self._status = TransferState.STOPPED
    self._time_finished = time.time()
    if self._callback:
        return self._callback(TransferState.STOPPED)
    return None


def wait(self):
    """Wait until the transfer ends.

    :raises SbgError: the error that made the transfer fail.
    """
    if self.is_alive():
        self.join()
    if self._status == TransferState.FAILED and self._error is not None:
        raise self._error


def add_callback(self, callback=None, errorback=None):
    """Call ``callback(status)`` when the transfer completes or stops, and
    ``errorback`` when it fails (replacing both)."""
    self._callback = callback
    self._errorback = errorback


def add_progress_callback(self, callback=None):
    """Call ``callback(progress)`` with a
    :class:`~sevenbridges.transfer.utils.Progress` after each part."""
    self._progress_callback = callback


def status(self):
    """The :class:`~sevenbridges.models.enums.TransferState`."""
    return self._status


def progress(self):
    """Percent done (0 to 100)."""
    if not self._file_size:
        return 100.0 if self._status == TransferState.COMPLETED else 0.0
    return min(self._bytes_done / self._file_size * 100, 100.0)


def start_time(self):
    """When the transfer started (epoch seconds; 0 before)."""
    return self._time_started


def duration(self):
    """Seconds the transfer has run (0 before it starts)."""
    if not self._time_started:
        return 0
    end = self._time_finished or time.time()
    return end - self._time_started


def checkpoint(self):
    """Wait while paused; whether the transfer may go on (not stopped)."""
    self._running.wait()
    return not self._stop_signal


def part_done(self, size):
    """Count a completed part and tell the progress callback (one call at a
    time, in order, so callbacks see ``bytes_done`` only grow)."""
    with self._progress_lock:
        self._bytes_done += size
        self._parts_done += 1
        if self._progress_callback:
            self._progress_callback(Progress(
                self._total_parts, self._parts_done, self._bytes_done,
                self._file_size, duration(self)))


def begin(self):
    """Enter ``RUNNING`` when the worker starts (also when ``run()`` is
    called directly)."""
    if self._status == TransferState.PREPARING:
        self._status = TransferState.RUNNING
        self._time_started = time.time()


def check_all_parts_stored(self, what):
    """:raises SbgError: unless every part of the transfer is stored."""
    missing = self._total_parts - len(self._stored_parts)
    if missing:
        raise SbgError(f'{missing} parts of {what} were not transferred; '
                       f'the {self._kind.lower()} is not complete.')


def finish(self):
    """Enter ``COMPLETED`` and tell the callback."""
    self._status = TransferState.COMPLETED
    self._time_finished = time.time()
    if self._callback:
        self._callback(TransferState.COMPLETED)


def fail(self, error):
    """Mark the transfer failed with ``error`` (an :class:`SbgError`)."""
    self._error = error
    self._status = TransferState.FAILED
    self._time_finished = time.time()
    logger.error('%s failed: %s', self._kind, error)


def transfer_repr(self):
    return f'<{self._kind}: status={self._status}>'


if TYPE_CHECKING:
    class TransferInterface(threading.Thread):
        """What :func:`transfer_class` gives a transfer, declared for type
        checkers (transfers derive from ``threading.Thread`` at run time)."""

        _error: BaseException | None

        def pause(self) -> None: ...

        def resume(self) -> None: ...

        def stop(self) -> Any: ...

        def wait(self) -> None: ...

        def add_callback(
                self, callback: Callable[[str], Any] | None = None,
                errorback: Callable[[Any], Any] | None = None) -> None: ...

        def add_progress_callback(
                self, callback: Callable[[Progress], Any] | None = None
                ) -> None: ...

        @property
        def status(self) -> str: ...

        @property
        def progress(self) -> float: ...

        @property
        def start_time(self) -> float: ...

        @property
        def duration(self) -> float: ...


def transfer_class(cls):
    """Give a transfer class (a direct ``threading.Thread`` subclass) the
    shared state machine, callbacks and properties."""
    cls.__repr__ = transfer_repr
    cls.start = start
    cls.pause = pause
    cls.resume = resume
    cls.stop = stop
    cls.wait = wait
    cls.add_callback = add_callback
    cls.add_progress_callback = add_progress_callback
    cls.status = property(status)
    cls.progress = property(progress)
    cls.start_time = property(start_time)
    cls.duration = property(duration)
    cls._checkpoint = checkpoint
    return cls


# -- scheduling of parts, shared by UPartedFile and DPartedFile -----------------

def parts_to_transfer(parted):
    """The parts not stored by an earlier run (computed once)."""
    if parted._waiting is None:
        stored = parted.transfer._stored_parts
        parted._waiting = [part for part in parted.parts
                           if part[0] not in stored]
    return parted._waiting


def submit_part(self):
    """Start the next part; whether there was one."""
    if parts_started(self):
        return False
    part = parts_to_transfer(self)[self.total_submitted]
    self.submitted.add(self.pool.submit(self._transfer, part))
    self.total_submitted += 1
    return True


def parts_started(self):
    """Whether every part (not stored before) has been started."""
    return self.total_submitted >= len(parts_to_transfer(self))


def iterate_parts(self):
    """Run the parts on the pool, as many at a time as the transfer's
    :class:`~sevenbridges.transfer._window.PartWindow` says (at most the
    pool's workers), new ones only while the transfer is not paused or
    stopped; yield the result of each part as it completes. An error stops
    the transfer after the parts in flight end."""
    window = self.window
    transfer = self.transfer
    try:
        while True:
            while (len(self.submitted) < window.adjust()
                   and not parts_started(self) and transfer._checkpoint()):
                submit_part(self)
            if not self.submitted:
                return
            finished, self.submitted = wait_for(
                self.submitted, timeout=window.wait_seconds(),
                return_when=FIRST_COMPLETED)
            for future in finished:
                result = future.result()
                if result is not None:
                    yield result
    finally:
        if self.submitted:
            transfer._stop_signal = True
            wait_for(self.submitted)


def part_window(pool, parts, settle=False):
    """A new :class:`~sevenbridges.transfer._window.PartWindow` for
    ``parts`` parts, bounded by the workers of ``pool`` (``settle``: see
    the window)."""
    return PartWindow(getattr(pool, '_max_workers', 4), settle=settle,
                      parts=parts)
