"""A job of a task."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterator, Optional

from sevenbridges.errors import SbgError
from sevenbridges.meta.fields import (
    BooleanField,
    CompoundField,
    DateTimeField,
    StringField,
)
from sevenbridges.meta.resource import Resource
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.compound.jobs import job_logs
from sevenbridges.models.compound.jobs.job_docker import JobDocker
from sevenbridges.models.compound.jobs.job_instance import Instance
from sevenbridges.models.compound.jobs.job_log import Logs

if TYPE_CHECKING:
    from sevenbridges._types import TaskRef


class Job(Resource):
    """One step of a task's execution: its command line, timing, status,
    instance, docker image and logs.

    Its logs (``stdout``, ``stderr``, the platform's ``job.err.log``) read
    as text with :meth:`read_log`, and :meth:`follow_log` gives their text
    as it grows while the job runs.
    """
    name = StringField(read_only=True)
    start_time = DateTimeField(read_only=True)
    end_time = DateTimeField(read_only=True)
    status = StringField(read_only=True)
    command_line = StringField(read_only=True)
    retried = BooleanField(read_only=True)
    instance = CompoundField(Instance, read_only=True)
    docker = CompoundField(JobDocker, read_only=True)
    logs = CompoundField(Logs, read_only=True)

    def __str__(self):
        return f'<Job: name={self.name}, status={self.status}>'

    def read_log(self, name: str = job_logs.DEFAULT_LOG,
                 encoding: str = 'utf-8') -> str:
        """The text of one of the job's logs, as it is now (a running job's
        log is read as far as it is written).

        :param name: the log: ``stdout``, ``stderr``, ``job.err.log``...
        :param encoding: the text's encoding (bytes not valid in it read
            as U+FFFD).
        :raises SbgError: when the job has no log of that name.
        :raises ValidationError: for a bad ``name`` or ``encoding``
            (nothing is sent).
        """
        return job_logs.read_log(self, name, encoding)

    def follow_log(
            self, name: str = job_logs.DEFAULT_LOG,
            period: float = job_logs.FOLLOW_PERIOD,
            timeout: Optional[float] = None, encoding: str = 'utf-8',
            task: Optional[TaskRef] = None) -> Iterator[str]:
        """The text of one of the job's logs, piece by piece as it is
        written, until the job has ended and the log is read to its end.
        For a job that has ended, that is its whole log at once.

        Every ``period`` seconds the task's execution details are fetched
        (to see whether the job has ended) and the log is read from where
        the last read stopped.

        :param name: the log: ``stdout``, ``stderr``, ``job.err.log``...
        :param period: seconds between the checks.
        :param timeout: give up after this many seconds, raising
            :class:`~sevenbridges.models.task_wait.TaskWaitTimeout` (the
            job keeps running). Default: as long as the job runs.
        :param encoding: the text's encoding.
        :param task: the job's task (id or ``Task``); by default the task
            the log file comes from.
        :raises SbgError: when the job has no log of that name.
        :raises ValidationError: for a bad argument (nothing is sent).
        """
        job_logs.check_follow_arguments(name, period, timeout, encoding)
        task_id = None if task is None else Transform.to_task(task)
        return self._follow_log(name, period, timeout, encoding, task_id)

    def _follow_log(self, name, period, timeout, encoding, task_id):
        from sevenbridges.models.task import Task
        file_id = job_logs.log_file_id(self, name)
        if file_id is not None and job_logs.has_ended(self):
            yield from job_logs.iter_log(self._api, file_id, encoding)
            return
        if task_id is None:
            task_id = self._task_of_log(file_id)
        followed = Task(api=self._api, id=task_id)
        chosen, only = job_logs.job_filter(self, name)
        for _, text in job_logs.follow_logs(followed, name, chosen, period,
                                            timeout, encoding, only):
            yield text

    def _task_of_log(self, file_id):
        """The id of the task a log file of this job comes from."""
        from sevenbridges.models.file import File
        origin = None
        if file_id is not None:
            origin = File(api=self._api, id=file_id).origin
        if origin is None or not origin.task:
            raise SbgError(f'The task of job {self.name} is not known: pass '
                           f'it as task=.')
        return origin.task
