"""Scheduling of the parts of one transfer on a pool of workers.

A :class:`PartScheduler` starts the parts that an earlier run did not
store, as many at a time as its
:class:`~sevenbridges.transfer._window.PartWindow` says (at most the pool's
workers), new ones only while the transfer is not paused or stopped, and
yields each part's result as it completes. The parts of uploads
(:class:`~sevenbridges.transfer.upload.UPartedFile`) and of downloads
(:class:`~sevenbridges.transfer.download.DPartedFile`) are scheduled by
one each. A transfer of one part runs it in its own thread
(:data:`IN_THIS_THREAD`): handing it to a pool and waiting for it costs
two thread switches and the pool's bookkeeping, and gains nothing.
"""
from __future__ import annotations

from concurrent.futures import FIRST_COMPLETED, Future
from concurrent.futures import wait as wait_for
from typing import TYPE_CHECKING, Any, Callable, Collection, Iterator

from sevenbridges.transfer._window import PartWindow

if TYPE_CHECKING:
    from sevenbridges.transfer.controller import TransferController

__all__ = ['PartScheduler', 'part_window', 'submit_part', 'all_started',
           'completed_parts', 'IN_THIS_THREAD']


class _InThisThread:
    """An executor that runs what is submitted at once, in the thread that
    submits it, and returns its finished future."""

    _max_workers = 1

    def submit(self, function: Callable[..., Any], *args: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(function(*args))
        except Exception as e:  # the future holds it, as a pool's would
            future.set_exception(e)
        return future


#: Where the part of a transfer of one part runs.
IN_THIS_THREAD = _InThisThread()


def part_window(pool: Any, parts: int, settle: bool = False) -> PartWindow:
    """A new :class:`~sevenbridges.transfer._window.PartWindow` for
    ``parts`` parts, bounded by the workers of ``pool`` (``settle``: see
    the window)."""
    return PartWindow(getattr(pool, '_max_workers', 4), settle=settle,
                      parts=parts)


class PartScheduler:
    """The parts of one transfer in flight on ``pool``.

    :param parts: the layout, ``[(number, offset, size), ...]``.
    :param pool: the executor the parts run on (a single part runs in
        the transfer's thread, :data:`IN_THIS_THREAD`).
    :param run_part: moves one part; its result is yielded (``None`` is
        not: a part that ended because the transfer stopped).
    :param settle: let the window's first sample settle (uploads).
    """

    def __init__(self, parts: list[tuple[int, int, int]], pool: Any,
                 run_part: Callable[[tuple[int, int, int]], Any],
                 settle: bool = False) -> None:
        self.parts = parts
        self.pool = pool if len(parts) > 1 else IN_THIS_THREAD
        self.window = part_window(self.pool, len(parts), settle=settle)
        self.submitted: set[Future] = set()
        self.total_submitted = 0
        self._run_part = run_part
        self._waiting: list[tuple[int, int, int]] | None = None

    def waiting(self, stored: Collection[int]) -> list[tuple[int, int, int]]:
        """The parts whose numbers are not in ``stored`` (computed once,
        when the first part starts)."""
        if self._waiting is None:
            self._waiting = [part for part in self.parts
                             if part[0] not in stored]
        return self._waiting

    def submit(self, stored: Collection[int]) -> bool:
        """Start the next part; whether there was one."""
        if self.started_all(stored):
            return False
        part = self.waiting(stored)[self.total_submitted]
        self.submitted.add(self.pool.submit(self._run_part, part))
        self.total_submitted += 1
        return True

    def started_all(self, stored: Collection[int]) -> bool:
        """Whether every part not in ``stored`` has been started."""
        return self.total_submitted >= len(self.waiting(stored))

    def run(self, control: TransferController,
            stored: Collection[int]) -> Iterator[Any]:
        """Run the parts not in ``stored`` while ``control`` lets them;
        yield the result of each as it completes. An error stops the
        transfer after the parts in flight end."""
        window = self.window
        try:
            while True:
                while (len(self.submitted) < window.adjust()
                       and not self.started_all(stored)
                       and control.checkpoint()):
                    self.submit(stored)
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
                control.halt()
                wait_for(self.submitted)


# -- the methods of parted files (UPartedFile, DPartedFile) -------------------
# A parted file has the transfer it belongs to (``transfer``) and its
# scheduler (``scheduler``); these are its ``submit``, ``done`` and
# ``__iter__``.

def submit_part(self: Any) -> bool:
    """Start the next part; whether there was one."""
    return self.scheduler.submit(self.transfer._stored_parts)


def all_started(self: Any) -> bool:
    """Whether every part (not stored before) has been started."""
    return self.scheduler.started_all(self.transfer._stored_parts)


def completed_parts(self: Any) -> Iterator[Any]:
    """Run the parts; yield the result of each as it completes."""
    return self.scheduler.run(self.transfer._control,
                              self.transfer._stored_parts)
