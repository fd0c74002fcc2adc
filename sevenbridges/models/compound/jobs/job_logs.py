"""Reading and following the logs of a task's jobs.

A job's ``logs`` map names (``stdout``, ``stderr``, ``job.err.log``, ...)
to the ``download_info`` URLs of platform files, present from the moment
the job starts. Reading one is a
:class:`~sevenbridges.transfer.log_reader.LogReader` over that file.
Following the logs of a running task polls its execution details (one
request per round: the task's status, its jobs, their statuses and logs)
and reads what each log gained since the last round; a job's log is read to
its end once the job (or the task) has ended, and the following stops when
the task has ended and every log is read.
"""
from __future__ import annotations

import logging
from typing import (
    TYPE_CHECKING,
    Callable,
    Iterator,
    List,
    Optional,
    Tuple,
    Union,
)

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import check_name, check_seconds
from sevenbridges.models.task_wait import TERMINAL_STATES, Pauses, timed_out
from sevenbridges.transfer.log_reader import LogReader, check_encoding

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.models.compound.jobs.job import Job
    from sevenbridges.models.task import Task

__all__ = ['DEFAULT_LOG', 'FOLLOW_PERIOD', 'has_ended', 'log_file_id',
           'iter_log', 'read_log', 'check_follow_arguments', 'check_job',
           'pick_job', 'job_filter', 'follow_logs']

logger = logging.getLogger(__name__)

#: The log read when none is named.
DEFAULT_LOG = 'stdout'
#: Seconds between the rounds of a following.
FOLLOW_PERIOD = 2.0

JobFilter = Callable[['Job', str], bool]


def has_ended(job: Job) -> bool:
    """Whether the job's status is a final one."""
    return job.status in TERMINAL_STATES


def log_file_id(job: Job, name: str) -> Optional[str]:
    """The id of the file of the job's log ``name``; ``None`` when the
    job has no logs yet (it has not started).

    :raises SbgError: when the job has logs but none of that name, or the
        log's URL names no file.
    """
    logs = job.field('logs')
    if not logs:
        return None
    if name not in logs:
        raise SbgError(f'Job {job.name} has no log {name!r}; its logs are '
                       f'{", ".join(sorted(logs))}.')
    file = job.logs[name]
    if file is None:
        raise SbgError(f'The {name} log of job {job.name} is not a file: '
                       f'{logs[name]!r}.')
    return file.id


def iter_log(api: Api, file_id: str, encoding: str) -> Iterator[str]:
    """The whole text of a log file as it is now, piece by piece."""
    with LogReader(api, file_id, encoding) as reader:
        yield from reader.iter_new()
        rest = reader.finish()
    if rest:
        yield rest


def read_log(job: Job, name: str, encoding: str) -> str:
    """The whole text of the job's log ``name`` as it is now.

    :raises SbgError: when the job has no such log (or no logs at all).
    :raises ValidationError: for a bad ``name`` or ``encoding``.
    """
    check_name('name', name)
    check_encoding(encoding)
    file_id = log_file_id(job, name)
    if file_id is None:
        raise SbgError(f'Job {job.name} has no logs yet.')
    return ''.join(iter_log(job._api, file_id, encoding))


def check_follow_arguments(name: str, period: float,
                           timeout: Optional[float], encoding: str) -> None:
    """Check the arguments of a following before any request.

    :raises ValidationError: naming the parameter that is wrong.
    """
    check_name('name', name)
    check_seconds('period', period, positive=True)
    check_seconds('timeout', timeout, optional=True)
    check_encoding(encoding)


def check_job(parameter: str, value: object) -> None:
    """Check that ``value`` names a job: ``None``, a job's name or a
    ``Job``.

    :raises ValidationError: naming ``parameter`` otherwise.
    """
    from sevenbridges.models.compound.jobs.job import Job
    if value is None or isinstance(value, Job):
        return
    check_name(parameter, value)


def pick_job(task: Task, jobs: List[Job], name: Optional[str]) -> Job:
    """The job of ``jobs`` (the task's) named ``name`` (the last one of a
    job run more than once); with no name, the task's only job.

    :raises SbgError: when there is no such job, or several and no name.
    """
    if not jobs:
        raise SbgError(f'Task {task.id} has no jobs yet.')
    names = list(dict.fromkeys(job.name for job in jobs))
    if name is None:
        if len(names) > 1:
            raise SbgError(f'Task {task.id} has {len(names)} jobs '
                           f'({", ".join(names)}): name one with job=.')
        name = names[0]
    matching = [job for job in jobs if job.name == name]
    if not matching:
        raise SbgError(f'Task {task.id} has no job {name!r}; its jobs are '
                       f'{", ".join(names)}.')
    return matching[-1]


def job_filter(job: Union[str, Job, None],
               name: str) -> Tuple[JobFilter, Optional[str]]:
    """Which jobs a following of log ``name`` reads: every one (``job``
    ``None``), those of a name, or one ``Job``; and the id of the log file
    that ends the following once it is read (that ``Job``'s, if known).
    """
    if job is None:
        return (lambda candidate, file_id: True), None
    if isinstance(job, str):
        return (lambda candidate, file_id: candidate.name == job), None
    wanted = log_file_id(job, name)
    if wanted is None:
        return (lambda candidate, file_id: candidate.name == job.name), None
    return (lambda candidate, file_id: file_id == wanted), wanted


def follow_logs(task: Task, name: str, chosen: JobFilter, period: float,
                timeout: Optional[float], encoding: str,
                only: Optional[str] = None) -> Iterator[Tuple[Job, str]]:
    """``(job, text)`` for each piece of text the log ``name`` of the
    task's jobs gains, jobs picked by ``chosen(job, log_file_id)``, until
    the task has ended and their logs are read to the end.

    :param only: the id of the one log file followed: the following ends
        as soon as it is read to its end (its job has ended).
    :raises TaskWaitTimeout: when ``timeout`` seconds pass first.
    """
    pauses = Pauses(period, timeout)
    readers: dict[str, LogReader] = {}
    done: set[str] = set()
    try:
        while True:
            details = task.get_execution_details()
            task_ended = details.status in TERMINAL_STATES
            for job in details.jobs:
                file_id = log_file_id(job, name)
                if file_id is None or file_id in done or \
                        not chosen(job, file_id):
                    continue
                ended = task_ended or has_ended(job)
                reader = readers.get(file_id)
                if reader is None:
                    logger.debug('Following the %s log of job %s of task %s',
                                 name, job.name, task.id)
                    reader = readers[file_id] = LogReader(
                        task._api, file_id, encoding)
                for text in reader.iter_new():
                    yield job, text
                if ended:
                    # One more read: bytes written while the last one ran.
                    rest = reader.read() + reader.finish()
                    if rest:
                        yield job, rest
                    logger.debug('Job %s of task %s has ended: its %s log '
                                 'is read (%d bytes)', job.name, task.id,
                                 name, reader.offset)
                    done.add(file_id)
                    readers.pop(file_id).close()
            if task_ended or (only is not None and only in done):
                return
            if pauses.expired:
                raise timed_out(task, timeout or 0,
                                f'is still {details.status}')
            pauses.sleep()
    finally:
        for reader in readers.values():
            reader.close()
