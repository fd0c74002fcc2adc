"""Waiting for tasks to end: the polling behind
:meth:`Task.wait <sevenbridges.models.task.Task.wait>` and the following of
job logs.

A wait polls the platform with pauses between the polls (:class:`Pauses`):
``period`` seconds each when a period is given, otherwise growing from
:data:`FIRST_PAUSE` by :data:`PAUSE_GROWTH` up to :data:`LONGEST_PAUSE` (the
reference SDK's period, so that a long wait never polls more often than the
reference does, and a short task is seen ending within about a second). A
``timeout`` ends the wait with :class:`TaskWaitTimeout` once it has passed;
the task is left running.
"""
from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any, Callable, Optional

from sevenbridges.errors import LOCAL, SbgError, ValidationError
from sevenbridges.models.enums import TaskStatus

if TYPE_CHECKING:
    from sevenbridges.models.task import Task

__all__ = ['TaskWaitTimeout', 'Pauses', 'DEFAULT_PERIOD', 'FIRST_PAUSE',
           'PAUSE_GROWTH', 'LONGEST_PAUSE']

logger = logging.getLogger(__name__)

#: The first pause (seconds) of a wait without a ``period``.
FIRST_PAUSE = 1.0
#: How much each pause of a wait without a ``period`` grows.
PAUSE_GROWTH = 2.0
#: The longest pause (seconds) of a wait without a ``period``.
LONGEST_PAUSE = 10.0

TERMINAL_STATES = frozenset(TaskStatus.terminal_states)

StatusCallback = Callable[['Task'], Any]


class TaskWaitTimeout(SbgError):
    """A task did not end within the ``timeout`` of a wait. The task keeps
    running on the platform.

    :param message: what did not end, and after how long.
    :param task: the task, as last seen (:attr:`task`).
    :param timeout: the seconds waited (:attr:`timeout`).
    """

    def __init__(self, message: str, task: Optional[Task] = None,
                 timeout: Optional[float] = None):
        super().__init__(message=message, code=LOCAL, status=LOCAL)
        self.task = task
        self.timeout = timeout


class _GrowingPeriod(int):
    """The default ``period`` of :meth:`Task.wait
    <sevenbridges.models.task.Task.wait>`: it reads as the reference's 10
    seconds, and, being this very object, tells the wait that no period was
    given (pauses grow up to :data:`LONGEST_PAUSE`)."""
    __slots__ = ()


#: The default ``period`` of ``Task.wait`` (see :class:`_GrowingPeriod`).
DEFAULT_PERIOD = _GrowingPeriod(10)


def check_callable(parameter: str, value: Any) -> Any:
    """``value`` when it is ``None`` or callable.

    :raises ValidationError: naming ``parameter`` otherwise.
    """
    if value is not None and not callable(value):
        raise ValidationError(f'{parameter} must be a function, not '
                              f'{type(value).__name__} ({value!r}).')
    return value


class Pauses:
    """The pauses between the polls of one wait, and its deadline.

    :param period: seconds per pause; ``None`` for pauses growing from
        :data:`FIRST_PAUSE` to :data:`LONGEST_PAUSE`.
    :param timeout: seconds the wait may last (``None``: no limit).
    """

    def __init__(self, period: Optional[float] = None,
                 timeout: Optional[float] = None):
        self._growing = period is None
        self._next = FIRST_PAUSE if period is None else period
        self._deadline = None if timeout is None \
            else time.monotonic() + timeout

    @property
    def expired(self) -> bool:
        """Whether the deadline has passed."""
        return self._deadline is not None and \
            time.monotonic() >= self._deadline

    def sleep(self) -> None:
        """Sleep for the next pause (never past the deadline)."""
        pause = self._next
        if self._deadline is not None:
            pause = min(pause, max(0.0, self._deadline - time.monotonic()))
        time.sleep(pause)
        if self._growing:
            self._next = min(self._next * PAUSE_GROWTH, LONGEST_PAUSE)


def timed_out(task: Task, timeout: float,
              state: Optional[str] = None) -> TaskWaitTimeout:
    """The error of a wait for ``task`` that lasted ``timeout`` seconds.

    :param state: what the task was found doing (default: ``is still
        <its status>``).
    """
    if state is None:
        state = f'is still {task.field("status") or "not ended"}'
    return TaskWaitTimeout(
        f'Task {task.id} {state} after {timeout:g} s of waiting (the '
        f'platform goes on).', task=task, timeout=timeout)


def wait_for_end(task: Task, pauses: Pauses, timeout: Optional[float],
                 on_status_change: Optional[StatusCallback]) -> None:
    """Reload ``task`` until its status is terminal, pausing between the
    reloads (nothing is requested when it is terminal already).

    :param on_status_change: called with the task after a reload that
        shows another status than the one before.
    :raises TaskWaitTimeout: when ``pauses`` expire first.
    """
    seen = task.status
    while seen not in TERMINAL_STATES:
        task.reload()
        logger.debug('%s is %s', task, task.status)
        if task.status != seen:
            seen = task.status
            if on_status_change is not None:
                on_status_change(task)
        if seen in TERMINAL_STATES:
            return
        if pauses.expired:
            raise timed_out(task, timeout or 0)
        pauses.sleep()


def wait_for_children(task: Task, pauses: Pauses,
                      timeout: Optional[float]) -> None:
    """List the children of the batch task ``task`` until every one has
    ended (pausing between the listings).

    :raises TaskWaitTimeout: when ``pauses`` expire first.
    """
    while True:
        running = [child.id for child in task.get_batch_children().all()
                   if child.status not in TERMINAL_STATES]
        if not running:
            return
        logger.debug('%s has ended; %d of its children still run', task,
                     len(running))
        if pauses.expired:
            raise timed_out(task, timeout or 0,
                            f'has ended, but {len(running)} of its '
                            f'children still run')
        pauses.sleep()
