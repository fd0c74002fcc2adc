"""The platform's own batch tasks: a manifest whose rows differ only in
one file input becomes one parent task that batches that input by a
metadata field (``batch_by`` criteria); the platform makes a child per
group, and status, retry and outputs work over the children."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sevenbridges.batches.launch import (
    Action,
    BatchValidationError,
    Launch,
    LaunchRow,
)
from sevenbridges.batches.manifest import InputSpec, Row, RowProblem
from sevenbridges.batches.record import Marker, description
from sevenbridges.errors import TaskValidationError
from sevenbridges.models.enums import TaskStatus

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.batches.batch import Batch
    from sevenbridges.models.app import App

__all__ = ['batch_input_of', 'launch_native']


def batch_input_of(rows: list[Row], inputs: dict[str, InputSpec]) -> str:
    """The one file input whose value differs between rows (of a single
    row: its one file input), the input to batch on.

    :raises BatchValidationError: when there is none, when other inputs
        differ between rows too, or when it takes one file, not a list
        (the platform's criteria group the files of a list input).
    """
    if len(rows) == 1:
        varying = [column for column in rows[0].inputs
                   if inputs[column].is_file]
    else:
        varying = [column for column in inputs if len(
            {repr(row.inputs.get(column)) for row in rows}) > 1]
    if len(varying) != 1 or not inputs[varying[0]].is_file:
        raise BatchValidationError([RowProblem(
            rows[0].key, f'a native batch takes rows that differ in one file '
            f'input only; these differ in {", ".join(varying) or "nothing"}')])
    if not inputs[varying[0]].array:
        # The platform groups the files of one input by their metadata, so
        # the input must take a list.
        raise BatchValidationError([RowProblem(
            rows[0].key, f'a native batch groups the files of an input that '
            f'takes a list; {varying[0]} takes one file (launch without '
            f'batch_by for one task per row)')])
    return varying[0]


def launch_native(api: Api, batch: Batch, app: App, rows: list[Row],
                  inputs: dict[str, InputSpec], batch_by: str,
                  dry_run: bool) -> Launch:
    """One parent task over every row's file of the batch input, grouped
    by the metadata field ``batch_by``; adopted when it exists (run when
    it is a draft)."""
    column = batch_input_of(rows, inputs)
    record = batch.refresh()
    launch = Launch(batch, dry_run=dry_run)
    parent = record.parents[-1] if record.parents else None
    if parent is not None:
        action = Action.START if parent.status == TaskStatus.DRAFT \
            else Action.ADOPT
        if action == Action.START and not dry_run:
            parent.run()
        launch.rows.append(LaunchRow(batch.name, action, parent.id))
        batch._record = None
        return launch
    if dry_run:
        launch.rows.append(LaunchRow(batch.name, Action.CREATE))
        return launch
    values = dict(rows[0].inputs)
    items = []
    for row in rows:
        value = row.inputs[column]
        items.extend(value if isinstance(value, list) else [value])
    values[column] = items
    marker = Marker(batch.name, None, native=True)
    try:
        task = api.tasks.create(
            name=batch.name, project=batch.project,
            app=f'{app.id}/{app.revision}', inputs=values,
            batch_input=column,
            batch_by={'type': 'CRITERIA',
                      'criteria': [f'metadata.{batch_by}']},
            description=description(marker), run=True, api=api)
    except TaskValidationError as error:
        error.task.delete()
        raise BatchValidationError([RowProblem(
            batch.name, f'the platform refused it: {error.task.errors}')]
        ) from None
    launch.rows.append(LaunchRow(batch.name, Action.CREATE, task.id))
    batch._record = None
    return launch
