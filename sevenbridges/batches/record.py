"""The platform is the record of a batch: each task of a row is named from
the batch and the row's key and carries in its description a marker line
(``sbg-batch: {...}``, JSON) with the batch, the key, the attempt and the
batch's limits. Listing the project's tasks once finds every task of a
batch again, from any machine.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from sevenbridges.models.enums import TaskStatus

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.models.task import Task

__all__ = ['MARKER', 'Marker', 'task_name', 'description', 'marker_of',
           'RowTasks', 'BatchRecord', 'build_record', 'read_record',
           'price_of', 'room_in', 'ACTIVE', 'ENDED',
           'LISTING_FIELDS', 'PAGE']

MARKER = 'sbg-batch: '
#: The states of a task that is launched and has not ended.
ACTIVE = (TaskStatus.QUEUED, TaskStatus.RUNNING, TaskStatus.CREATING,
          TaskStatus.ABORTING)
ENDED = tuple(TaskStatus.terminal_states)
#: What a launch, a status and a watch need of each task of the project.
LISTING_FIELDS = ['id', 'name', 'description', 'status', 'parent', 'batch',
                  'batch_group', 'price', 'start_time', 'end_time',
                  'created_time', 'errors']
#: Tasks per listing page (the platform's largest).
PAGE = 100


@dataclass(frozen=True)
class Marker:
    """What a task's description says of its batch.

    :param batch: the batch's name.
    :param key: the row's key (``None`` for the parent of a native batch).
    :param attempt: 1 for the first task of the row, then 2, 3...
    :param max_running: the batch's limit of tasks running at once.
    :param budget: the amount above which no new task is launched.
    :param native: a native (platform) batch task.
    """
    batch: str
    key: str | None
    attempt: int = 1
    max_running: int | None = None
    budget: float | None = None
    native: bool = False

    def line(self) -> str:
        data = {'batch': self.batch, 'key': self.key,
                'attempt': self.attempt}
        for name in ('max_running', 'budget'):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        if self.native:
            data['native'] = True
        return MARKER + json.dumps(data, sort_keys=True, ensure_ascii=False)


def task_name(batch: str, key: str | None) -> str:
    """The name of a row's task: ``<batch> - <key>``."""
    return batch if key is None else f'{batch} - {key}'


def description(marker: Marker) -> str:
    """A task's description: a line for people, then the marker."""
    what = f'Batch {marker.batch}' if marker.key is None else \
        f'Row {marker.key} of batch {marker.batch}'
    return f'{what} (attempt {marker.attempt}).\n{marker.line()}'


def marker_of(text: str | None) -> Marker | None:
    """The marker of a description, or ``None``."""
    for line in (text or '').splitlines():
        if not line.startswith(MARKER):
            continue
        try:
            data = json.loads(line[len(MARKER):])
            return Marker(str(data['batch']),
                          None if data.get('key') is None
                          else str(data['key']),
                          int(data.get('attempt', 1)),
                          data.get('max_running'), data.get('budget'),
                          bool(data.get('native', False)))
        except (ValueError, KeyError, TypeError):
            return None
    return None


def price_of(task: Task) -> float:
    """The task's price so far (0 when the platform says none)."""
    price = task.field('price')
    amount = price.get('amount') if isinstance(price, dict) else None
    try:
        return float(amount or 0.0)
    except (TypeError, ValueError):
        return 0.0


@dataclass
class RowTasks:
    """The tasks of one row: every attempt, the last one current."""
    key: str
    attempts: list[tuple[int, Task]] = field(default_factory=list)

    @property
    def task(self) -> Task:
        """The current task (the last attempt)."""
        return max(self.attempts, key=lambda pair: pair[0])[1]

    @property
    def attempt(self) -> int:
        return max(number for number, _ in self.attempts)

    @property
    def status(self) -> str:
        return self.task.status

    @property
    def price(self) -> float:
        """What every attempt of the row cost."""
        return sum(price_of(task) for _, task in self.attempts)


@dataclass
class BatchRecord:
    """A batch as the platform holds it: its rows' tasks by key, and the
    parent task of a native batch."""
    name: str
    project: str
    rows: dict[str, RowTasks] = field(default_factory=dict)
    parents: list[Task] = field(default_factory=list)
    settings: Marker | None = None

    def add(self, marker: Marker, task: Task, key: str | None = None
            ) -> None:
        key = marker.key if key is None else key
        assert key is not None
        self.rows.setdefault(key, RowTasks(key)).attempts.append(
            (marker.attempt, task))

    def tasks(self) -> Iterator[Task]:
        """Every task of the batch (every attempt)."""
        for row in self.rows.values():
            for _, task in row.attempts:
                yield task

    @property
    def spent(self) -> float:
        """What the rows' tasks cost (a native parent's price is its
        children's, counted in its rows)."""
        return sum(row.price for row in self.rows.values())

    @property
    def max_running(self) -> int | None:
        return self.settings.max_running if self.settings else None

    @property
    def budget(self) -> float | None:
        return self.settings.budget if self.settings else None


def room_in(record: BatchRecord, max_running: int | None,
            budget: float | None) -> float:
    """How many more of the batch's tasks may start now: none once its
    tasks cost ``budget``, else up to ``max_running`` at once."""
    if budget is not None and record.spent >= budget:
        return 0
    if max_running is None:
        return float('inf')
    active = sum(row.status in ACTIVE for row in record.rows.values())
    return max(max_running - active, 0)


def _group_key(task: Task) -> str:
    """A native batch's child's key: the value of its group."""
    group = task.field('batch_group')
    value = group.get('value') if isinstance(group, dict) else None
    return str(value) if value is not None else str(task.field('name'))


def build_record(name: str, project: str, tasks: Iterable[Task]
                 ) -> BatchRecord:
    """The batch ``name`` among ``tasks`` (a listing of the project)."""
    record = BatchRecord(name, project)
    newest: tuple[Any, Marker] | None = None
    children: list[Task] = []
    for task in tasks:
        if task.field('parent'):
            children.append(task)
            continue
        marker = marker_of(task.field('description'))
        if marker is None or marker.batch != name:
            continue
        created = task.field('created_time')
        if newest is None or (created is not None and newest[0] is not None
                              and created >= newest[0]):
            newest = (created, marker)
        if marker.native:
            record.parents.append(task)
        elif marker.key is not None:
            record.add(marker, task)
    parents = {parent.id for parent in record.parents}
    for child in children:
        if child.field('parent') in parents:
            record.add(Marker(name, None), child, key=_group_key(child))
    record.settings = newest[1] if newest else None
    return record


def read_record(api: Api, name: str, project: str) -> BatchRecord:
    """List the project's tasks once (every page, :data:`LISTING_FIELDS`
    only) and find the batch ``name`` among them."""
    tasks = api.tasks.query_fields(LISTING_FIELDS, project=project,
                                   limit=PAGE, api=api).all()
    return build_record(name, project, tasks)
