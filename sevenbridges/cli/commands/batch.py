"""``sbg batch launch|status|watch|retry|abort|outputs|failures``: many
tasks at once, over :mod:`sevenbridges.batches`."""
from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from sevenbridges.cli import exits
from sevenbridges.cli.state import State, json_option, pass_state
from sevenbridges.errors import NotFound

if TYPE_CHECKING:
    from sevenbridges.batches import Batch, BatchStatus

STATUS_COLUMNS = ['key', 'task', 'status', 'duration', 'price']


def _batch(state: State, name: str, project: str) -> Batch:
    """The batch, read once (one listing of the project's tasks).

    :raises NotFound: when the project has no task of the batch.
    """
    batch = state.api.batches.get(name, project)
    record = batch.refresh()
    if not record.rows and not record.parents:
        raise NotFound(message=f'No batch {name} in {project}.')
    return batch


def _cells(status: BatchStatus) -> list[dict[str, str]]:
    """The rows of a status as a table shows them (``7s``, ``0.50``)."""
    return [{'key': row.key, 'task': row.task, 'status': row.status,
             'duration': '' if row.duration is None
             else f'{row.duration:.0f}s', 'price': f'{row.price:.2f}'}
            for row in status.rows]


def _show_status(state: State, status: BatchStatus) -> None:
    if state.output.as_json:
        state.output.json(status.as_dict())
        return
    state.output.table(_cells(status), STATUS_COLUMNS,
                       title=status.summary())


project_option = click.option('--project', required=True,
                              metavar='OWNER/PROJECT',
                              help='The project of the batch.')


@click.group()
def batch() -> None:
    """Batches: one app over many samples (a task per row of a sheet)."""


@batch.command('launch')
@click.argument('sheet', type=click.Path(exists=True, dir_okay=False,
                                         path_type=Path))
@click.option('--app', 'app_id', required=True,
              metavar='OWNER/PROJECT/APP[/REVISION]', help='The app to run.')
@project_option
@click.option('--name', required=True, help='The batch\'s name.')
@click.option('--key', metavar='COLUMN',
              help='The row key column (default: the first).')
@click.option('--max-running', type=click.IntRange(min=1), metavar='N',
              help='Tasks running at once at most (the rest wait as '
                   'drafts; watch starts them).')
@click.option('--budget', type=click.FloatRange(min=0, min_open=True),
              metavar='AMOUNT', help='Start no new task once the batch '
                                     'cost this much.')
@click.option('--allow-partial', is_flag=True,
              help='Launch the good rows when some are bad.')
@click.option('--dry-run', is_flag=True,
              help='Check every row and say what would happen.')
@click.option('--native', is_flag=True,
              help='One platform batch task (needs --batch-by).')
@click.option('--batch-by', metavar='FIELD',
              help='With --native: the metadata field to group files by.')
@json_option
@pass_state
@click.pass_context
def batch_launch(ctx: click.Context, state: State, sheet: Path, app_id: str,
                 project: str, name: str, key: str | None,
                 max_running: int | None, budget: float | None,
                 allow_partial: bool, dry_run: bool, native: bool,
                 batch_by: str | None) -> None:
    """Launch APP on every row of SHEET (CSV or TSV with a header row:
    the app's input ids and the row key). A file is a path in the project
    (fastq/s01.fastq), a file id, or a name. Launching again creates
    nothing that exists: it adopts the rows' tasks and launches the rest.
    """
    from sevenbridges.batches import BatchValidationError
    if native != bool(batch_by):
        raise click.UsageError('--native and --batch-by go together.')
    try:
        launch = state.api.batches.launch(
            str(sheet), app=app_id, project=project, name=name, key=key,
            max_running=max_running, budget=budget,
            allow_partial=allow_partial, dry_run=dry_run,
            batch_by=batch_by)
    except BatchValidationError as error:
        for problem in error.problems:
            state.output.error(f'row {problem}')
        state.output.error(f'{len(error.problems)} bad rows; nothing was '
                           f'launched.')
        ctx.exit(exits.ERROR)
    for problem in launch.problems:
        state.output.error(f'row {problem}')
    if state.output.as_json:
        state.output.json(launch.as_dict())
    else:
        state.output.table([row.as_dict() for row in launch.rows],
                           ['key', 'action', 'task'], title=str(launch))
    ctx.exit(exits.ERROR if launch.problems and not allow_partial
             else exits.OK)


@batch.command('status')
@click.argument('name')
@project_option
@click.option('--tsv', is_flag=True,
              help='Tab-separated values: a header row, then a row per '
                   'task (duration in seconds, price as a number).')
@json_option
@pass_state
def batch_status(state: State, name: str, project: str, tsv: bool) -> None:
    """The rows of batch NAME: key, task, status, duration, price."""
    from sevenbridges.batches import BatchStatus
    status = BatchStatus(_batch(state, name, project).record)
    if tsv and not state.output.as_json:
        state.output.text(_tsv(status))
        return
    _show_status(state, status)


def _tsv(status: BatchStatus) -> str:
    """The rows of a status as tab-separated values, with a header."""
    lines = ['\t'.join(STATUS_COLUMNS)]
    for row in status.as_dict()['rows']:
        lines.append('\t'.join('' if row[column] is None else
                               str(row[column]) for column in STATUS_COLUMNS))
    return '\n'.join(lines) + '\n'


@batch.command('watch')
@click.argument('name')
@project_option
@click.option('--period', type=click.FloatRange(min=0.1), default=10.0,
              hidden=True, help='Seconds between checks.')
@json_option
@pass_state
@click.pass_context
def batch_watch(ctx: click.Context, state: State, name: str, project: str,
                period: float) -> None:
    """A live table of batch NAME until every task has ended (starting
    waiting rows as --max-running and --budget of the launch allow).
    Exit status 0 when every row completed, 1 otherwise."""
    from rich.live import Live
    from rich.table import Table

    def render(status: BatchStatus) -> Table:
        table = Table(title=status.summary(), box=None,
                      header_style='bold', pad_edge=False)
        for column in STATUS_COLUMNS:
            table.add_column(column.upper())
        for cells in _cells(status):
            table.add_row(*(cells[column] for column in STATUS_COLUMNS))
        return table

    batch = _batch(state, name, project)
    if state.output.as_json:
        final = batch.watch(period=period)
    else:
        with Live(console=state.output.err, auto_refresh=False,
                  transient=True) as live:
            final = batch.watch(period=period, on_round=lambda status:
                                live.update(render(status), refresh=True))
    _show_status(state, final)
    ctx.exit(exits.OK if final.succeeded else exits.ERROR)


@batch.command('retry')
@click.argument('name')
@project_option
@click.option('--status', 'statuses', multiple=True, default=['FAILED'],
              show_default=True, type=click.Choice(['FAILED', 'ABORTED'],
                                                   case_sensitive=False),
              help='Retry the rows in this state (repeatable).')
@click.option('--max-attempts', type=click.IntRange(min=1), default=3,
              show_default=True, metavar='K',
              help='Attempts per row in all.')
@json_option
@pass_state
def batch_retry(state: State, name: str, project: str,
                statuses: tuple[str, ...], max_attempts: int) -> None:
    """Run again the failed rows of batch NAME (a new attempt each, the
    earlier ones kept; memoization on)."""
    tasks = _batch(state, name, project).retry(
        [status.upper() for status in statuses], max_attempts=max_attempts)
    _task_table(state, tasks, f'{len(tasks)} rows retried')


@batch.command('abort')
@click.argument('name')
@project_option
@json_option
@pass_state
def batch_abort(state: State, name: str, project: str) -> None:
    """Abort every task of batch NAME that has not ended (waiting drafts
    are deleted)."""
    tasks = _batch(state, name, project).abort()
    _task_table(state, tasks, f'{len(tasks)} tasks aborted')


def _task_table(state: State, tasks: list[Any], title: str) -> None:
    """The tasks a retry or an abort touched: id, name, status."""
    state.output.table([{'task': task.id, 'name': task.name,
                         'status': task.status} for task in tasks],
                       ['task', 'name', 'status'], title=title)


@batch.command('outputs')
@click.argument('name')
@project_option
@click.option('--copy-to', metavar='FOLDER',
              help='Copy the outputs into FOLDER/KEY/ of the project.')
@click.option('--download', 'download_dir', type=click.Path(
    file_okay=False, path_type=Path), metavar='DIR',
    help='Download the outputs into DIR/KEY/.')
@json_option
@pass_state
def batch_outputs(state: State, name: str, project: str,
                  copy_to: str | None, download_dir: Path | None) -> None:
    """The output files of the completed rows of batch NAME: key, task,
    output, file, path."""
    batch = _batch(state, name, project)
    if copy_to:
        copies = batch.copy_outputs(copy_to)
        state.output.note(f'{len(copies)} files copied into {copy_to}/')
    if download_dir is not None:
        report = batch.download_outputs(str(download_dir))
        state.output.note(str(report))
    rows: list[dict[str, Any]] = [row.as_dict() for row in batch.outputs()]
    state.output.table(rows, ['key', 'task', 'output', 'file', 'path'])


@batch.command('failures')
@click.argument('name')
@project_option
@json_option
@pass_state
def batch_failures(state: State, name: str, project: str) -> None:
    """Each failed row of batch NAME: its failing job and the last lines
    of that job's stderr."""
    failures = _batch(state, name, project).failures()
    if state.output.as_json:
        state.output.json([failure.as_dict() for failure in failures])
        return
    for failure in failures:
        state.output.text(f'== {failure.key} (task {failure.task}, job '
                          f'{failure.job or "-"}): '
                          f'{failure.message or ""}\n')
        if failure.stderr:
            state.output.text(failure.stderr.rstrip('\n') + '\n')
    if not failures:
        state.output.note('No failed rows.')


COMMANDS = [batch]
