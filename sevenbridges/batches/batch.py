"""A batch that is on the platform: its status, watched until it ends,
its failures, retries, abort, outputs and cost."""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Iterable

from sevenbridges.batches.manifest import check_text
from sevenbridges.batches.record import (
    ACTIVE,
    LISTING_FIELDS,
    PAGE,
    BatchRecord,
    Marker,
    RowTasks,
    build_record,
    description,
    read_record,
    room_in,
    task_name,
)
from sevenbridges.batches.status import BatchStatus, Cost
from sevenbridges.errors import SbgError, TaskValidationError, ValidationError
from sevenbridges.meta.arguments import check_count, check_seconds
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.enums import TaskStatus
from sevenbridges.models.task_wait import TaskWaitTimeout

if TYPE_CHECKING:
    from sevenbridges._types import Api, ProjectRef
    from sevenbridges.batches.outputs import OutputRow
    from sevenbridges.models.file import File
    from sevenbridges.models.task import Task
    from sevenbridges.transfer.report import TransferReport

__all__ = ['Batch', 'Failure', 'RETRYABLE']

logger = logging.getLogger(__name__)

#: The states :meth:`Batch.retry` takes.
RETRYABLE = (TaskStatus.FAILED, TaskStatus.ABORTED)
#: Lines of stderr a failure shows.
TAIL_LINES = 20


@dataclass(frozen=True)
class Failure:
    """A failed row: its ``key``, ``task`` (id), the platform's
    ``message``, the failing ``job`` (name, or ``None``) and the last
    lines of its stderr (``stderr``)."""
    key: str
    task: str
    message: str | None
    job: str | None
    stderr: str

    def as_dict(self) -> dict[str, Any]:
        return {'key': self.key, 'task': self.task, 'message': self.message,
                'job': self.job, 'stderr': self.stderr}


def plain_inputs(value: Any) -> Any:
    """A task's inputs as the platform answered them, to send again:
    files and folders as ``{"class", "path"}``."""
    if isinstance(value, list):
        return [plain_inputs(item) for item in value]
    if isinstance(value, dict):
        if value.get('class') in ('File', 'Directory') and 'path' in value:
            return {'class': value['class'], 'path': value['path']}
        return {key: plain_inputs(item) for key, item in value.items()}
    return value


def bulk_tasks(api: Api, ids: list[str]) -> list[Task]:
    """The tasks ``ids``, read 100 per request (those the platform does
    not answer are left out)."""
    found = []
    for start in range(0, len(ids), PAGE):
        for record in api.tasks.bulk_get(ids[start:start + PAGE], api=api):
            if record.valid:
                found.append(record.resource)
    return found


class Batch:
    """The batch ``name`` of a project, as the platform records it (see
    :mod:`sevenbridges.batches`). Get one with :meth:`Batches.get
    <sevenbridges.batches.Batches.get>` or from a launch.

    :param api: the client.
    :param name: the batch's name.
    :param project: the project (id or ``Project``).
    """

    def __init__(self, api: Api, name: str, project: ProjectRef,
                 record: BatchRecord | None = None) -> None:
        self._api = api
        self.name = check_text('name', name)
        if not project:
            raise ValidationError('project is required.')
        self.project = Transform.to_project(project)
        self._record = record

    def __repr__(self) -> str:
        return f'<Batch: name={self.name!r}, project={self.project}>'

    # -- reading it -----------------------------------------------------------

    def refresh(self) -> BatchRecord:
        """Read the batch again: one listing of the project's tasks."""
        self._record = read_record(self._api, self.name, self.project)
        return self._record

    @property
    def record(self) -> BatchRecord:
        """The batch as last read (read now when it never was)."""
        return self._record if self._record is not None else self.refresh()

    def status(self) -> BatchStatus:
        """The rows as they are now (one listing of the project's tasks)."""
        return BatchStatus(self.refresh())

    def _update(self, record: BatchRecord) -> None:
        """Read again the tasks that have not ended: 100 per request
        (children of a native batch's running parent: listed)."""
        current = [row.task for row in record.rows.values()
                   if row.status in ACTIVE]
        fresh = {task.id: task for task in bulk_tasks(
            self._api, [task.id for task in current])}
        for row in record.rows.values():
            row.attempts = [(number, fresh.get(task.id, task))
                            for number, task in row.attempts]
        running = [parent for parent in record.parents
                   if parent.status in ACTIVE]
        for parent in running:
            parent.reload()
        if running and not any(task.field('parent')
                                for task in record.tasks()):
            self._record = self._with_children(record)

    def _with_children(self, record: BatchRecord) -> BatchRecord:
        """The record with the children of its native parents (listed:
        100 per request)."""
        children = [child for parent in record.parents
                    for child in self._api.tasks.query_fields(
                        LISTING_FIELDS, parent=parent.id, limit=PAGE,
                        api=self._api).all()]
        own = [task for task in record.tasks() if not task.field('parent')]
        return build_record(self.name, self.project,
                            [*record.parents, *children, *own])

    # -- launching more -------------------------------------------------------

    @staticmethod
    def _room(record: BatchRecord) -> float:
        return room_in(record, record.max_running, record.budget)

    def _start_held(self, record: BatchRecord) -> list[Task]:
        """Run the drafts of the batch, as many as its limits let run."""
        drafts = sorted((row for row in record.rows.values()
                         if row.status == TaskStatus.DRAFT
                         and not row.task.field('errors')),
                        key=lambda row: row.key)
        room, started = self._room(record), []
        for row in drafts:
            if room <= 0:
                break
            try:
                row.task.run()
            except SbgError as error:
                logger.warning('Row %s of batch %s did not start: %s',
                               row.key, self.name, error)
                continue
            started.append(row.task)
            room -= 1
        return started

    def held(self) -> list[str]:
        """The keys of the rows that wait as drafts (for room under
        ``max_running``, or held by the ``budget``)."""
        return sorted(row.key for row in self.record.rows.values()
                      if row.status == TaskStatus.DRAFT)

    def watch(self, period: float = 10.0, timeout: float | None = None,
              on_round: Callable[[BatchStatus], Any] | None = None
              ) -> BatchStatus:
        """Follow the batch until every task has ended: each round reads
        the tasks that have not ended (100 per request) and runs waiting
        drafts as ``max_running`` and ``budget`` allow.

        :param period: seconds between rounds.
        :param timeout: give up after this many seconds
            (:class:`~sevenbridges.models.task_wait.TaskWaitTimeout`; the
            tasks keep running).
        :param on_round: called with the :class:`BatchStatus` of each
            round.
        :return: the last :class:`BatchStatus`.
        """
        check_seconds('period', period)
        check_seconds('timeout', timeout, optional=True)
        deadline = None if timeout is None else time.monotonic() + timeout
        record = self.record
        while True:
            self._start_held(record)
            record = self.record
            status = BatchStatus(record)
            if on_round is not None:
                on_round(status)
            active = any(row.status in ACTIVE for row in record.rows.values()
                         ) or any(parent.status in ACTIVE
                                  for parent in record.parents)
            startable = self._room(record) > 0 and any(
                row.status == TaskStatus.DRAFT
                and not row.task.field('errors')
                for row in record.rows.values())
            if not active and not startable:
                return status
            if deadline is not None and time.monotonic() >= deadline:
                raise TaskWaitTimeout(
                    f'Batch {self.name} did not end within {timeout} s.',
                    timeout=timeout)
            time.sleep(period)
            self._update(record)
            record = self.record

    # -- failures, retries, abort ---------------------------------------------

    def _rows_in(self, statuses: Iterable[str]) -> list[RowTasks]:
        wanted = set(statuses)
        return sorted((row for row in self.record.rows.values()
                       if row.status in wanted), key=lambda row: row.key)

    def failures(self, lines: int = TAIL_LINES) -> list[Failure]:
        """Each failed row with its failing job and the last ``lines``
        lines of that job's stderr (the job logs the SDK reads)."""
        check_count('lines', lines)
        found = []
        for row in self._rows_in([TaskStatus.FAILED]):
            task = row.task
            details = task.get_execution_details()
            jobs = details.jobs or []
            failing = next((job for job in reversed(jobs)
                            if job.status == TaskStatus.FAILED),
                           jobs[-1] if jobs else None)
            stderr = ''
            if failing is not None:
                try:
                    stderr = failing.read_log('stderr')
                except SbgError as error:
                    stderr = f'(no stderr: {error})'
            tail = '\n'.join(stderr.splitlines()[-lines:])
            found.append(Failure(row.key, task.id, details.message,
                                 failing.name if failing else None, tail))
        return found

    def _new_attempt(self, key: str, attempt: int, app: str,
                     inputs: dict[str, Any], run: bool,
                     execution_settings: dict[str, Any] | None = None
                     ) -> Task:
        """A row's next task: created, and run when ``run`` (one
        request)."""
        record = self.record
        marker = Marker(self.name, key, attempt, record.max_running,
                        record.budget)
        try:
            return self._api.tasks.create(
                name=task_name(self.name, key), project=self.project,
                app=app, inputs=inputs, description=description(marker),
                run=run, execution_settings=execution_settings,
                api=self._api)
        except TaskValidationError as error:
            return error.task

    def retry(self, status: str | Iterable[str] = TaskStatus.FAILED,
              max_attempts: int = 3, memoize: bool = True) -> list[Task]:
        """Run again the rows whose task is in ``status``, each at most
        ``max_attempts`` times in all: a new task (attempt 2, 3...) with
        the inputs of the last one; the earlier attempts stay on the
        platform, the record of the attempts. New tasks run as
        ``max_running`` and ``budget`` allow (else they wait as drafts).

        :param status: ``FAILED`` and/or ``ABORTED``.
        :param max_attempts: attempts per row in all.
        :param memoize: ask the platform to reuse the results of jobs
            that completed before (``use_memoization``).
        :return: the new tasks.
        """
        statuses = [status] if isinstance(status, str) else list(status)
        for each in statuses:
            if each not in RETRYABLE:
                raise SbgError(f'status must be FAILED or ABORTED, not '
                               f'{each!r}.')
        check_count('max_attempts', max_attempts)
        rows = [row for row in self._rows_in(statuses)
                if row.attempt < max_attempts]
        full = {task.id: task for task in bulk_tasks(
            self._api, [row.task.id for row in rows])}
        record, created = self.record, []
        room = self._room(record)
        settings = {'use_memoization': True} if memoize else None
        for row in rows:
            task = full.get(row.task.id)
            if task is None:
                continue
            new = self._new_attempt(row.key, row.attempt + 1, task.app,
                                    plain_inputs(task.field('inputs') or {}),
                                    room > 0,
                                    settings)
            room -= 1
            row.attempts.append((row.attempt + 1, new))
            created.append(new)
        return created

    def abort(self) -> list[Task]:
        """Abort every task of the batch that has not ended; drafts waiting
        for room are deleted (nothing more starts).

        :return: the tasks aborted.
        """
        record, aborted = self.record, []
        for parent in record.parents:
            if parent.status in ACTIVE:
                aborted.append(parent.abort())
        for row in sorted(record.rows.values(), key=lambda r: r.key):
            task = row.task
            if task.field('parent'):
                continue
            if task.status in ACTIVE:
                aborted.append(task.abort())
            elif task.status == TaskStatus.DRAFT:
                task.delete()
        self._record = None
        return aborted

    # -- outputs and cost -----------------------------------------------------

    def outputs(self) -> list[OutputRow]:
        """A row per output file of each completed row (its current task):
        key, task, output id, file id and path (``{key}/{name}``)."""
        from sevenbridges.batches.outputs import output_rows
        return output_rows(self._api, self._rows_in([TaskStatus.COMPLETED]))

    def copy_outputs(self, folder: str) -> list[File]:
        """Copy each completed row's outputs into ``folder/{key}/`` of the
        project, on the platform (folders created as needed; a file whose
        name is there already is left as it is).

        :param folder: a folder path in the project (``results`` or
            ``results/run1``).
        :return: the copies made.
        """
        from sevenbridges.batches.outputs import copy_outputs
        return copy_outputs(self._api, self.project, self.outputs(), folder)

    def download_outputs(self, path: str, **options: Any) -> TransferReport:
        """Download each completed row's outputs into ``path/{key}/``
        through the folder engine (many files at once, each whole or not
        at all; a file there already is skipped).

        :param options: ``workers``, ``part_size``, ``retry``, ``timeout``,
            ``progress`` of :meth:`TransferPlan.execute
            <sevenbridges.transfer.plan.TransferPlan.execute>`.
        """
        from sevenbridges.batches.outputs import download_outputs
        return download_outputs(self._api, self.project, self.outputs(),
                                path, options)

    def cost(self, top: int = 5) -> Cost:
        """The batch's total, mean per row and ``top`` dearest rows, by the
        platform's ``price`` of every task (every attempt)."""
        return BatchStatus(self.record).cost(top)
