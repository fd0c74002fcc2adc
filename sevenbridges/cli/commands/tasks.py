"""``sbg tasks ls|run|watch|logs|abort``."""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import click

from sevenbridges.cli import exits
from sevenbridges.cli.state import State, json_option, pass_state
from sevenbridges.errors import SbgError
from sevenbridges.models.compound.jobs.job_logs import check_job, pick_job
from sevenbridges.models.enums import TaskStatus
from sevenbridges.models.file import File
from sevenbridges.models.task import Task

TERMINAL = TaskStatus.terminal_states


def output_value(value: Any) -> Any:
    """A task output for printing: files as ``{class, id, name}``."""
    if isinstance(value, File):
        return {'class': 'File', 'id': value.id, 'name': value.name}
    if isinstance(value, list):
        return [output_value(item) for item in value]
    return value


def task_row(task: Task) -> dict[str, Any]:
    return {'id': task.id, 'name': task.name, 'status': task.status,
            'app': task.app, 'project': task.project,
            'created': task.created_time, 'ended': task.end_time}


def task_record(task: Task) -> dict[str, Any]:
    record = task_row(task)
    record['message'] = task.execution_status.message \
        if task.execution_status is not None else None
    record['outputs'] = {name: output_value(value) for name, value in
                         (task.outputs or {}).items()}
    return record


@click.group()
def tasks() -> None:
    """Tasks: runs of apps."""


@tasks.command('ls')
@click.option('--project', metavar='OWNER/PROJECT',
              help='Only the tasks of this project.')
@click.option('--status', type=click.Choice(
    [TaskStatus.DRAFT, TaskStatus.QUEUED, TaskStatus.RUNNING,
     TaskStatus.COMPLETED, TaskStatus.FAILED, TaskStatus.ABORTED],
    case_sensitive=False), help='Only tasks in this state.')
@json_option
@pass_state
def tasks_ls(state: State, project: str | None, status: str | None) -> None:
    """List tasks, newest first."""
    found = state.api.tasks.query(
        project=project, status=status.upper() if status else None,
        order_by='created_time', order='desc').all()
    state.output.table([task_row(task) for task in found],
                       ['id', 'status', 'name', 'app'])


def read_inputs(path: Path | None) -> dict[str, Any]:
    """The inputs of a task from a JSON file: input id to value; files as
    ``{"class": "File", "path": "<file id>"}``."""
    if path is None:
        return {}
    try:
        inputs = json.loads(path.read_text(encoding='utf-8'))
    except ValueError as error:
        raise click.BadParameter(f'{path} is not JSON: {error}',
                                 param_hint='--inputs')
    if not isinstance(inputs, dict):
        raise click.BadParameter(f'{path} must hold a JSON object of input '
                                 'ids to values', param_hint='--inputs')
    return inputs


def end_of(state: State, task: Task) -> int:
    """Print a finished task; its exit status (1 unless COMPLETED)."""
    record = task_record(task)
    state.output.record(record)
    if task.status != TaskStatus.COMPLETED:
        state.output.error(f'task {task.status}: '
                           f'{record["message"] or ""}'.strip())
        return exits.ERROR
    return exits.OK


@tasks.command('run')
@click.option('--app', 'app_id', required=True,
              metavar='OWNER/PROJECT/APP[/REVISION]', help='The app to run.')
@click.option('--inputs', 'inputs_file', type=click.Path(
    exists=True, dir_okay=False, path_type=Path),
    help='A JSON file of input ids to values.')
@click.option('--project', metavar='OWNER/PROJECT',
              help='Where the task runs (default: the app\'s project).')
@click.option('--name', help='The task\'s name (default: the app\'s).')
@click.option('--wait', 'wait', is_flag=True,
              help='Wait until it ends, then print its outputs.')
@json_option
@pass_state
@click.pass_context
def tasks_run(ctx: click.Context, state: State, app_id: str,
              inputs_file: Path | None, project: str | None,
              name: str | None, wait: bool) -> None:
    """Create a task and run it."""
    inputs = read_inputs(inputs_file)
    parts = app_id.split('/')
    if len(parts) < 3:
        raise click.BadParameter('an app id is OWNER/PROJECT/APP',
                                 param_hint='--app')
    project = project or '/'.join(parts[:2])
    task = state.api.tasks.create(
        name=name or parts[2], project=project, app=app_id, inputs=inputs,
        run=True)
    if task.errors:
        raise SbgError(f'the task has errors: {task.errors}')
    if not wait:
        state.output.record(task_row(task))
        return
    state.output.note(f'task {task.id} {task.status}; waiting...')
    task.wait(on_status_change=lambda t: state.output.note(
        f'task {t.id} {t.status}'))
    ctx.exit(end_of(state, task))


def jobs_rows(task: Task) -> list[dict[str, Any]]:
    details = task.get_execution_details()
    return [{'job': job.name, 'status': job.status,
             'started': job.start_time, 'ended': job.end_time}
            for job in details.jobs or []]


@tasks.command('watch')
@click.argument('task_id')
@click.option('--period', type=click.FloatRange(min=0.1), default=2.0,
              show_default=True, help='Seconds between checks.')
@json_option
@pass_state
@click.pass_context
def tasks_watch(ctx: click.Context, state: State, task_id: str,
                period: float) -> None:
    """Follow a task and its jobs until it ends, then print its outputs."""
    task = state.api.tasks.get(task_id)
    seen: dict[str, Any] = {}
    while True:
        rows = jobs_rows(task) if task.status != TaskStatus.QUEUED else []
        now = {'task': task.status,
               **{row['job']: row['status'] for row in rows}}
        for key, status in now.items():
            if seen.get(key) != status:
                label = f'task {task.id}' if key == 'task' else f'job {key}'
                state.output.note(f'{time.strftime("%H:%M:%S")} {label}: '
                                  f'{status}')
        seen = now
        if task.status in TERMINAL:
            break
        time.sleep(period)
        task.reload()
    ctx.exit(end_of(state, task))


def prefixed(job_name: str, text: str) -> str:
    """``text`` with ``[job] `` before each line."""
    return ''.join(f'[{job_name}] {line}'
                   for line in text.splitlines(keepends=True))


@tasks.command('logs')
@click.argument('task_id')
@click.argument('job', required=False)
@click.option('--name', 'log_name', default='stdout', show_default=True,
              help='The log: stdout, stderr, job.err.log, ...')
@click.option('-f', '--follow', is_flag=True,
              help='Keep printing as the log grows, until the task ends.')
@click.option('--period', type=click.FloatRange(min=0.1), default=2.0,
              show_default=True, help='Seconds between checks (--follow).')
@pass_state
def tasks_logs(state: State, task_id: str, job: str | None, log_name: str,
               follow: bool, period: float) -> None:
    """Print a log of a task's jobs (JOB: one job, by name); with
    --follow, as it is written. Lines are prefixed with [job] when several
    jobs are printed (a workflow's, without JOB)."""
    task = state.api.tasks.get(task_id)
    if follow:
        # A workflow's jobs start one after the other: its lines are
        # prefixed from the first; a tool's one job is not.
        several = job is None and (state.api.apps.get(task.app).raw or {}
                                   ).get('class') == 'Workflow'
        for each, text in task.follow_logs(log_name, job=job,
                                           period=period):
            state.output.text(prefixed(each.name, text) if several
                              else text)
        return
    jobs = task.get_execution_details().jobs or []
    if job is not None or len(jobs) <= 1:
        check_job('job', job)
        state.output.text(task.read_log(log_name,
                                        job=pick_job(task, jobs, job)))
        return
    for each in jobs:
        state.output.text(prefixed(each.name, each.read_log(log_name)))


@tasks.command('abort')
@click.argument('task_id')
@json_option
@pass_state
def tasks_abort(state: State, task_id: str) -> None:
    """Abort a queued or running task."""
    task = state.api.tasks.get(task_id).abort()
    state.output.record(task_row(task))


COMMANDS = [tasks]
