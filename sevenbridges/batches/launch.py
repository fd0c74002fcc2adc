"""Launching a batch: validate every row, then adopt what the platform
has, run drafts, and create the rest with one request each (created and
run together), within ``max_running`` and ``budget``."""
from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sevenbridges.batches.batch import Batch
from sevenbridges.batches.files import FileResolver, resolve_rows
from sevenbridges.batches.manifest import InputSpec, Row, RowProblem
from sevenbridges.batches.record import (
    BatchRecord,
    Marker,
    RowTasks,
    description,
    room_in,
    task_name,
)
from sevenbridges.errors import SbgError, TaskValidationError
from sevenbridges.models.enums import TaskStatus

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.models.app import App
    from sevenbridges.models.task import Task

__all__ = ['Action', 'LaunchRow', 'Launch', 'BatchValidationError',
           'plan_rows', 'launch_rows']

logger = logging.getLogger(__name__)


class Action:
    """What a launch does with a row."""
    CREATE = 'create'        # a new task, created and run in one request
    HOLD = 'hold'            # a new task left as a draft (no room, budget)
    START = 'start'          # a draft of an earlier launch, run now
    ADOPT = 'adopt'          # a task that is queued, running or ended
    RELAUNCH = 'relaunch'    # a failed or aborted row, a new attempt
    WAIT = 'wait'            # a draft of an earlier launch that still waits


class BatchValidationError(SbgError):
    """Rows of a manifest that can not launch; nothing was launched.

    :param problems: each bad row (:class:`RowProblem`: key, reason).
    """

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = list(problems)
        listed = '; '.join(str(problem) for problem in self.problems[:10])
        more = f' (and {len(self.problems) - 10} more)' \
            if len(self.problems) > 10 else ''
        super().__init__(f'{len(self.problems)} rows can not launch, '
                         f'nothing was launched: {listed}{more}')


@dataclass(frozen=True)
class LaunchRow:
    """A row of a launch: its ``key``, the :class:`Action` and the
    ``task`` (id; ``None`` in a dry run for a task not created)."""
    key: str
    action: str
    task: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {'key': self.key, 'action': self.action, 'task': self.task}


@dataclass
class Launch:
    """What a launch did (or, ``dry_run``, would do): a :class:`LaunchRow`
    per good row, and the ``problems`` of the bad rows left out
    (``allow_partial``) or refused by the platform."""
    batch: Batch
    rows: list[LaunchRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def counts(self) -> dict[str, int]:
        """Rows by action."""
        return dict(sorted(Counter(row.action for row in self.rows).items()))

    def __str__(self) -> str:
        counts = ', '.join(f'{action} {n}'
                           for action, n in self.counts.items())
        what = 'would launch' if self.dry_run else 'launched'
        bad = f'; {len(self.problems)} bad rows' if self.problems else ''
        return f'batch {self.batch.name} {what}: {counts or "nothing"}{bad}'

    def as_dict(self) -> dict[str, Any]:
        return {'name': self.batch.name, 'project': self.batch.project,
                'dry_run': self.dry_run, 'counts': self.counts,
                'rows': [row.as_dict() for row in self.rows],
                'problems': [{'key': p.key, 'reason': p.reason}
                             for p in self.problems]}


def check_rows(api: Api, project: str, rows: list[Row],
               inputs: dict[str, InputSpec]) -> list[RowProblem]:
    """Resolve the rows' files; the problems of every bad row."""
    resolve_rows(FileResolver(api, project), rows,
                 [spec.id for spec in inputs.values()
                  if spec.kind == 'Directory'])
    return [RowProblem(row.key, '; '.join(row.problems))
            for row in rows if row.problems]


def plan_rows(record: BatchRecord, rows: list[Row], relaunch: bool,
              max_attempts: int) -> list[tuple[Row, str]]:
    """The action of each row, in key order, before the limits apply: a
    row that starts a task is ``create``, ``start`` or ``relaunch``."""
    planned = []
    for row in sorted(rows, key=lambda row: row.key):
        existing = record.rows.get(row.key)
        if existing is None:
            action = Action.CREATE
        elif existing.status == TaskStatus.DRAFT:
            # a draft the platform refused is replaced by the row as it is
            action = Action.CREATE if existing.task.field('errors') \
                else Action.START
        elif existing.status in (TaskStatus.FAILED, TaskStatus.ABORTED) \
                and relaunch and existing.attempt < max_attempts:
            action = Action.RELAUNCH
        else:
            action = Action.ADOPT
        planned.append((row, action))
    return planned


def launch_rows(api: Api, batch: Batch, app: App, rows: list[Row],
                max_running: int | None, budget: float | None,
                relaunch: bool, max_attempts: int, dry_run: bool,
                allow_partial: bool) -> Launch:
    """Launch good ``rows`` of ``batch`` (its record read once)."""
    record = batch.refresh()
    launch = Launch(batch, dry_run=dry_run)
    room = room_in(record, max_running, budget)
    app_id = f'{app.id}/{app.revision}'
    steps, runs = [], set()
    for row, action in plan_rows(record, rows, relaunch, max_attempts):
        if action in (Action.CREATE, Action.START, Action.RELAUNCH):
            if room > 0:
                runs.add(row.key)
            elif action != Action.RELAUNCH:
                action = Action.HOLD if action == Action.CREATE \
                    else Action.WAIT
            room -= 1
        steps.append((row, action))
    if dry_run:
        for row, action in steps:
            existing = record.rows.get(row.key)
            launch.rows.append(LaunchRow(
                row.key, action, existing.task.id if existing else None))
        return launch
    new = [(row, action) for row, action in steps
           if action in (Action.CREATE, Action.HOLD)]
    if new:
        _probe(api, batch, app_id, new[0], max_running, budget, launch,
               allow_partial)
    for row, action in steps:
        if new and row is new[0][0]:
            continue
        existing = record.rows.get(row.key)
        if action in (Action.ADOPT, Action.WAIT):
            assert existing is not None
            launch.rows.append(LaunchRow(row.key, action, existing.task.id))
        elif action == Action.START:
            assert existing is not None
            try:
                existing.task.run()
            except SbgError as error:
                launch.problems.append(RowProblem(row.key, str(error)))
                continue
            launch.rows.append(LaunchRow(row.key, action, existing.task.id))
        else:
            attempt = _next_attempt(existing)
            task = _create(api, batch, app_id, row, attempt, max_running,
                           budget, run=row.key in runs)
            errors = task.field('errors')
            if errors:
                launch.problems.append(RowProblem(
                    row.key, f'the platform refused it: {errors}'))
            launch.rows.append(LaunchRow(row.key, action, task.id))
    batch._record = None
    return launch


def _next_attempt(existing: RowTasks | None) -> int:
    """The attempt of a row's new task; a refused draft in the way is
    deleted (it never ran: its attempt is taken again)."""
    if existing is None:
        return 1
    if existing.status == TaskStatus.DRAFT:
        existing.task.delete()
        return existing.attempt
    return existing.attempt + 1


def _create(api: Api, batch: Batch, app_id: str, row: Row, attempt: int,
            max_running: int | None, budget: float | None,
            run: bool) -> Task:
    marker = Marker(batch.name, row.key, attempt, max_running, budget)
    try:
        return api.tasks.create(
            name=task_name(batch.name, row.key), project=batch.project,
            app=app_id, inputs=row.inputs, description=description(marker),
            run=run, api=api)
    except TaskValidationError as error:
        return error.task


def _probe(api: Api, batch: Batch, app_id: str, first: tuple[Row, str],
           max_running: int | None, budget: float | None, launch: Launch,
           allow_partial: bool) -> None:
    """The first new row's task, created as a draft: the platform's own
    check of the inputs (its ``errors``) before any task runs. A draft
    with errors is deleted and the launch stops (unless
    ``allow_partial``); else it runs when the limits let it."""
    row, action = first
    attempt = _next_attempt(batch.record.rows.get(row.key))
    task = _create(api, batch, app_id, row, attempt, max_running, budget,
                   run=False)
    errors = task.field('errors')
    if errors:
        task.delete()
        problem = RowProblem(row.key, f'the platform refused it: {errors}')
        if not allow_partial:
            raise BatchValidationError([problem])
        launch.problems.append(problem)
        return
    if action == Action.CREATE:
        task.run()
    launch.rows.append(LaunchRow(row.key, action, task.id))
