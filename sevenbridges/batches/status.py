"""What a batch looks like now: a row per key (its task, status, duration
and price), counts by status, and its cost; as text, as JSON-ready dicts
and as an HTML table in a notebook."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sevenbridges.batches.record import ENDED, BatchRecord, RowTasks
from sevenbridges.models.enums import TaskStatus

__all__ = ['RowStatus', 'BatchStatus', 'Cost']


def _seconds(start: Any, end: Any) -> float | None:
    """Seconds from ``start`` to ``end`` (now, when it has not ended);
    times as the platform writes them (ISO 8601)."""
    if not start:
        return None
    try:
        begun = datetime.fromisoformat(str(start).replace('Z', '+00:00'))
        ended = datetime.fromisoformat(str(end).replace('Z', '+00:00')) \
            if end else datetime.now(timezone.utc)
    except ValueError:
        return None
    if begun.tzinfo is None:
        begun = begun.replace(tzinfo=timezone.utc)
    if ended.tzinfo is None:
        ended = ended.replace(tzinfo=timezone.utc)
    return round(max((ended - begun).total_seconds(), 0.0), 3)


@dataclass(frozen=True)
class RowStatus:
    """One row of a batch: ``key``, its current ``task`` (id), ``status``,
    ``duration`` (seconds, ``None`` before it starts), ``price`` (of every
    attempt) and ``attempt``."""
    key: str
    task: str
    status: str
    duration: float | None
    price: float
    attempt: int

    @classmethod
    def of(cls, row: RowTasks) -> RowStatus:
        task = row.task
        return cls(row.key, task.id, row.status,
                   _seconds(task.field('start_time'),
                            task.field('end_time')),
                   round(row.price, 6), row.attempt)

    def as_dict(self) -> dict[str, Any]:
        return {'key': self.key, 'task': self.task, 'status': self.status,
                'price': self.price, 'duration': self.duration}


@dataclass(frozen=True)
class Cost:
    """What a batch cost: ``total``, ``mean`` per row that has a price,
    and the ``most_expensive`` rows (``(key, price)``, dearest first)."""
    total: float
    mean: float
    most_expensive: list[tuple[str, float]]
    currency: str = 'USD'

    def __str__(self) -> str:
        dearest = ', '.join(f'{key} {price:.2f}'
                            for key, price in self.most_expensive)
        return (f'total {self.total:.2f} {self.currency}, mean '
                f'{self.mean:.2f} per row; most expensive: {dearest or "-"}')


class BatchStatus:
    """The rows of a batch as they are now (:class:`RowStatus`, sorted by
    key) and their :attr:`counts` by status.

    ``print(status)`` shows a table; in a notebook it is an HTML table.
    """

    def __init__(self, record: BatchRecord) -> None:
        self.name = record.name
        self.project = record.project
        self.rows = sorted((RowStatus.of(row) for row in
                            record.rows.values()), key=lambda r: r.key)
        self.counts = dict(sorted(Counter(r.status for r in self.rows
                                          ).items()))
        self.parents = [parent.id for parent in record.parents]

    @property
    def ended(self) -> bool:
        """Whether every row's task has ended."""
        return all(row.status in ENDED for row in self.rows)

    @property
    def succeeded(self) -> bool:
        """Whether every row's task completed."""
        return bool(self.rows) and all(
            row.status == TaskStatus.COMPLETED for row in self.rows)

    def cost(self, top: int = 5) -> Cost:
        """The batch's cost (:class:`Cost`); ``top`` dearest rows."""
        priced = [row for row in self.rows if row.price]
        total = round(sum(row.price for row in self.rows), 6)
        dearest = sorted(priced, key=lambda r: (-r.price, r.key))[:top]
        return Cost(total, round(total / len(priced), 6) if priced else 0.0,
                    [(row.key, row.price) for row in dearest])

    def as_dict(self) -> dict[str, Any]:
        """``{"name", "counts", "rows": [{"key", "task", "status", "price",
        "duration"}]}`` (what ``sbg --json batch status`` prints)."""
        return {'name': self.name, 'counts': dict(self.counts),
                'rows': [row.as_dict() for row in self.rows]}

    def summary(self) -> str:
        counts = ', '.join(f'{status} {number}'
                           for status, number in self.counts.items())
        return f'batch {self.name}: {len(self.rows)} rows ({counts or "none"})'

    def __str__(self) -> str:
        header = ('KEY', 'TASK', 'STATUS', 'DURATION', 'PRICE')
        lines = [(row.key, row.task, row.status,
                  '' if row.duration is None else f'{row.duration:.0f}s',
                  f'{row.price:.2f}') for row in self.rows]
        widths = [max(len(str(cell)) for cell in column)
                  for column in zip(header, *lines)]
        text = ['  '.join(str(cell).ljust(width) for cell, width in
                          zip(line, widths)).rstrip()
                for line in [header, *lines]]
        return '\n'.join([self.summary(), *text])

    def __repr__(self) -> str:
        return f'<BatchStatus: {self.summary()}>'

    def _repr_html_(self) -> str:
        """The rows as an HTML table, the counts below it."""
        from sevenbridges.meta.html import MAX_ROWS, _table
        rows = [[row.key, row.task, row.status, row.duration, row.price]
                for row in self.rows[:MAX_ROWS]]
        shown = f'{len(rows)} of {len(self.rows)} rows; ' if \
            len(rows) < len(self.rows) else ''
        counts = ', '.join(f'{status}: {number}'
                           for status, number in self.counts.items())
        return _table(f'Batch {self.name}', ('key', 'task', 'status',
                                             'duration (s)', 'price'),
                      rows, shown + (counts or 'no rows'))
