"""The state machine of a transfer: :class:`TransferController`.

:class:`~sevenbridges.transfer.upload.Upload` and
:class:`~sevenbridges.transfer.download.Download` are direct subclasses of
``threading.Thread`` (as in the reference); each holds a controller
(``_control``) and hands it its public state machine, callbacks and
progress (:func:`controlled`): start, pause, resume, stop, wait, status,
progress, start time and duration.
"""
from __future__ import annotations

import functools
import logging
import threading
import time
from typing import TYPE_CHECKING, Any, Callable, Collection, Iterable

from sevenbridges.errors import SbgError
from sevenbridges.models.enums import TransferState
from sevenbridges.transfer.utils import Progress

logger = logging.getLogger(__name__)

__all__ = ['TransferController', 'controlled']


class TransferController:
    """The state of one transfer and its changes (``PREPARING``,
    ``RUNNING``, ``PAUSED``, then ``COMPLETED``, ``FAILED`` or
    ``STOPPED``), its callbacks and its progress.

    :param thread: the transfer (a ``threading.Thread``) it controls.
    :param kind: ``'Upload'`` or ``'Download'``, for messages.
    :param clean_up_stopped: called by :meth:`stop` once the thread has
        ended (an upload aborts on the server, a download removes its
        temporary files).
    """

    def __init__(self, thread: threading.Thread, kind: str,
                 clean_up_stopped: Callable[[], None]) -> None:
        self.thread = thread
        self.kind = kind
        self.status = TransferState.PREPARING
        self.stopping = False
        self.callback: Callable[[str], Any] | None = None
        self.errorback: Callable[[Any], Any] | None = None
        self.progress_callback: Callable[[Progress], Any] | None = None
        self.file_size = 0
        self.total_parts = 0
        self.bytes_done = 0
        self.parts_done = 0
        self.time_started: float = 0
        self.time_finished: float | None = None
        self.error: BaseException | None = None
        self._clean_up_stopped = clean_up_stopped
        self._running = threading.Event()
        self._running.set()
        self._progress_lock = threading.Lock()

    # -- the public state machine (the transfer's methods) -----------------

    def start(self) -> None:
        """Start the transfer in its thread.

        :raises SbgError: unless the transfer is ``PREPARING``.
        """
        if self.status != TransferState.PREPARING:
            raise SbgError(f'Unable to start. {self.kind} not in PREPARING '
                           f'state.')
        self.status = TransferState.RUNNING
        self.time_started = time.time()
        threading.Thread.start(self.thread)

    def pause(self) -> None:
        """Pause: parts in flight finish, no new part starts.

        :raises SbgError: unless the transfer is ``RUNNING``.
        """
        if self.status != TransferState.RUNNING:
            raise SbgError(f'Can not pause. {self.kind} not in RUNNING '
                           f'state.')
        self._running.clear()
        self.status = TransferState.PAUSED

    def resume(self) -> None:
        """Resume a paused transfer.

        :raises SbgError: unless the transfer is ``PAUSED``.
        """
        if self.status != TransferState.PAUSED:
            raise SbgError(f'Can not resume. {self.kind} not in PAUSED '
                           f'state.')
        self.status = TransferState.RUNNING
        self._running.set()

    def stop(self) -> Any:
        """Stop the transfer for good (also when paused) and clean up: an
        upload is aborted on the server, a download leaves no file.

        :raises SbgError: unless the transfer is ``RUNNING`` or ``PAUSED``.
        :return: what the callback returns, if one is set.
        """
        if self.status not in (TransferState.PAUSED, TransferState.RUNNING):
            raise SbgError(f'Can not stop. {self.kind} not in PAUSED or '
                           f'RUNNING state.')
        self.halt()
        thread = self.thread
        if thread.is_alive() and threading.current_thread() is not thread:
            thread.join()
        self._clean_up_stopped()
        self.status = TransferState.STOPPED
        self.time_finished = time.time()
        if self.callback:
            return self.callback(TransferState.STOPPED)
        return None

    def wait(self) -> None:
        """Wait until the transfer ends.

        :raises SbgError: the error that made the transfer fail.
        """
        if self.thread.is_alive():
            self.thread.join()
        self.raise_error()

    def add_callback(self, callback: Callable[[str], Any] | None = None,
                     errorback: Callable[[Any], Any] | None = None) -> None:
        """Call ``callback(status)`` when the transfer completes or stops,
        and ``errorback`` when it fails (replacing both)."""
        self.callback = callback
        self.errorback = errorback

    def add_progress_callback(
            self, callback: Callable[[Progress], Any] | None = None) -> None:
        """Call ``callback(progress)`` with a
        :class:`~sevenbridges.transfer.utils.Progress` after each part."""
        self.progress_callback = callback

    def progress(self) -> float:
        """Percent done (0 to 100)."""
        if not self.file_size:
            return 100.0 if self.status == TransferState.COMPLETED else 0.0
        return min(self.bytes_done / self.file_size * 100, 100.0)

    def start_time(self) -> float:
        """When the transfer started (epoch seconds; 0 before)."""
        return self.time_started

    def duration(self) -> float:
        """Seconds the transfer has run (0 before it starts)."""
        if not self.time_started:
            return 0
        end = self.time_finished or time.time()
        return end - self.time_started

    def __repr__(self) -> str:
        return f'<{self.kind}: status={self.status}>'

    # -- what the transfer's thread does -------------------------------------

    def run(self, work: Callable[[], bool],
            describe: Callable[[Exception], str],
            clean_up_failed: Callable[[SbgError], None],
            errorback_value: Callable[[SbgError], Any]) -> None:
        """What a transfer's ``run()`` does: enter ``RUNNING``, do
        ``work()`` (whether the transfer ran to its end: ``False`` when it
        was stopped), then enter ``COMPLETED``.

        Any exception fails the transfer (unless it was stopped): an
        exception that is not an :class:`SbgError` becomes one with the
        text ``describe(exception)``; ``clean_up_failed(error)`` runs,
        the errorback gets ``errorback_value(error)``, and the error is
        raised when ``run()`` was called directly (not in the transfer's
        thread).
        """
        self.begin()
        try:
            if not work():
                return
        except Exception as e:  # every failure ends the transfer the same way
            error = e if isinstance(e, SbgError) else SbgError(describe(e))
            if self.stopping and self.status == TransferState.STOPPED:
                return
            self.fail(error)
            clean_up_failed(error)
            if self.errorback:
                self.errorback(errorback_value(error))
            if threading.current_thread() is not self.thread:
                raise error
            return
        self.finish()

    def move_parts(self, sizes: Iterable[int], stored: Collection[int],
                   what: str) -> bool:
        """Count each part of ``sizes`` (bytes per part, as they complete)
        as done; whether the transfer goes on (not stopped).

        :raises SbgError: when the parts end and one is not in ``stored``.
        """
        for size in sizes:
            self.part_done(size)
        if self.stopping:
            return False
        self.check_all_parts_stored(stored, what)
        return True

    def begin(self) -> None:
        """Enter ``RUNNING`` when the worker starts (also when ``run()`` is
        called directly)."""
        if self.status == TransferState.PREPARING:
            self.status = TransferState.RUNNING
            self.time_started = time.time()

    def checkpoint(self) -> bool:
        """Wait while paused; whether the transfer may go on (not
        stopped)."""
        self._running.wait()
        return not self.stopping

    def halt(self) -> None:
        """Start no new part (a paused transfer wakes up to end); parts in
        flight finish. No clean-up: journals stay."""
        self.stopping = True
        self._running.set()

    def count_stored(self, layout: list[tuple[int, int, int]],
                     stored: Collection[int]) -> None:
        """Count the parts of ``layout`` that an earlier run stored as
        done (no progress callback)."""
        with self._progress_lock:
            for number, _offset, size in layout:
                if number in stored:
                    self.bytes_done += size
                    self.parts_done += 1

    def part_done(self, size: int) -> None:
        """Count a completed part and tell the progress callback (one call
        at a time, in order, so callbacks see ``bytes_done`` only grow)."""
        with self._progress_lock:
            self.bytes_done += size
            self.parts_done += 1
            if self.progress_callback:
                self.progress_callback(Progress(
                    self.total_parts, self.parts_done, self.bytes_done,
                    self.file_size, self.duration()))

    def check_all_parts_stored(self, stored: Collection[int],
                               what: str) -> None:
        """:raises SbgError: unless every part is in ``stored``."""
        missing = self.total_parts - len(stored)
        if missing:
            raise SbgError(f'{missing} parts of {what} were not '
                           f'transferred; the {self.kind.lower()} is not '
                           f'complete.')

    def finish(self) -> None:
        """Enter ``COMPLETED`` and tell the callback."""
        self.status = TransferState.COMPLETED
        self.time_finished = time.time()
        if self.callback:
            self.callback(TransferState.COMPLETED)

    def fail(self, error: BaseException) -> None:
        """Mark the transfer failed with ``error`` (an :class:`SbgError`)."""
        self.error = error
        self.status = TransferState.FAILED
        self.time_finished = time.time()
        logger.error('%s failed: %s', self.kind, error)

    def raise_error(self) -> None:
        """:raises SbgError: the error that made the transfer fail."""
        if self.status == TransferState.FAILED and self.error is not None:
            raise self.error


#: The methods of a controlled transfer that are its controller's.
_METHODS = ('start', 'pause', 'resume', 'stop', 'wait', 'add_callback',
            'add_progress_callback', '__repr__')

#: Its properties that are its controller's (``status`` is an attribute).
_PROPERTIES = ('status', 'progress', 'start_time', 'duration')


def _method(name: str) -> Callable[..., Any]:
    method = getattr(TransferController, name)

    @functools.wraps(method)
    def of_the_controller(transfer: Any, *args: Any, **kwargs: Any) -> Any:
        return method(transfer._control, *args, **kwargs)

    return of_the_controller


def _property(name: str) -> property:
    attribute = getattr(TransferController, name, None)
    if callable(attribute):
        return property(lambda transfer: attribute(transfer._control),
                        doc=attribute.__doc__)
    return property(lambda transfer: getattr(transfer._control, name),
                    doc='The :class:`~sevenbridges.models.enums.'
                        'TransferState`.')


def _set_status(transfer: Any, status: str) -> None:
    transfer._control.status = status


#: The reference's private name of the state, which scripts and the
#: reference's own tests set (``upload._status = TransferState.RUNNING``).
_STATUS = property(lambda transfer: transfer._control.status, _set_status,
                   doc='The state (the controller\'s).')


def controlled(cls: type) -> type:
    """Give a transfer class (a direct ``threading.Thread`` subclass whose
    instances hold a :class:`TransferController` as ``_control``) the
    controller's public methods and properties, and ``_status``."""
    for name in _METHODS:
        method = _method(name)
        method.__qualname__ = f'{cls.__qualname__}.{name}'
        setattr(cls, name, method)
    for name in _PROPERTIES:
        setattr(cls, name, _property(name))
    cls._status = _STATUS  # type: ignore[attr-defined]
    return cls


if TYPE_CHECKING:
    class TransferInterface(threading.Thread):
        """What :func:`controlled` gives a transfer, declared for type
        checkers (transfers derive from ``threading.Thread`` at run time)."""

        _control: TransferController

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
