"""Tasks (``api.tasks``): executions of apps."""
from __future__ import annotations

import logging
import time  # noqa: F401  (scripts patch sevenbridges.models.task.time.sleep)
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from sevenbridges.decorators import inplace_reload
from sevenbridges.errors import (
    SbgError,
    TaskValidationError,
    ValidationError,
)
from sevenbridges.meta.arguments import (
    SORT_ORDERS,
    as_list,
    check_choice,
    check_mapping,
    check_name,
    check_seconds,
)
from sevenbridges.meta.fields import (
    BooleanField,
    CompoundField,
    DateTimeField,
    DictField,
    HrefField,
    StringField,
    UuidField,
)
from sevenbridges.meta.resource import Resource, equal_by
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.bulk import BulkRecord
from sevenbridges.models.compound.jobs.job import Job
from sevenbridges.models.compound.jobs.job_logs import (
    DEFAULT_LOG,
    FOLLOW_PERIOD,
    check_follow_arguments,
    check_job,
    follow_logs,
    job_filter,
    pick_job,
)
from sevenbridges.models.compound.price import Price
from sevenbridges.models.compound.tasks.batch_by import BatchBy
from sevenbridges.models.compound.tasks.batch_group import BatchGroup
from sevenbridges.models.compound.tasks.execution_status import (
    ExecutionStatus,
)
from sevenbridges.models.compound.tasks.input import Input
from sevenbridges.models.compound.tasks.output import Output
from sevenbridges.models.enums import FileApiFormats, TaskStatus
from sevenbridges.models.execution_details import ExecutionDetails
from sevenbridges.models.task_wait import (
    DEFAULT_PERIOD,
    TERMINAL_STATES,
    Pauses,
    check_callable,
    wait_for_children,
    wait_for_end,
)
from sevenbridges.models.task_wait import TaskWaitTimeout as TaskWaitTimeout
from sevenbridges.transfer.log_reader import check_encoding

if TYPE_CHECKING:
    from sevenbridges._types import Api, AppRef, DateLike, ProjectRef, TaskRef
    from sevenbridges.meta.collection import Collection

logger = logging.getLogger(__name__)


def serialize_inputs(value):
    """Task inputs as the API takes them: ``File`` objects become
    ``{"class": "File" | "Directory", "path": <id>}``, lists and dicts are
    serialized element by element, other values are kept."""
    from sevenbridges.models.file import File
    if isinstance(value, list):
        return [serialize_inputs(element) for element in value]
    if isinstance(value, dict):
        return {key: serialize_inputs(item) for key, item in value.items()}
    if isinstance(value, File):
        kind = FileApiFormats.FOLDER if value.is_folder() \
            else FileApiFormats.FILE
        return {'class': kind, 'path': value.id}
    return value


def _field_list(fields):
    """``fields`` of a listing as the platform takes them: names joined
    by commas."""
    names = [fields] if isinstance(fields, str) else fields
    if not isinstance(names, (list, tuple)) or not names or not all(
            isinstance(name, str) and name.strip() and ',' not in name
            for name in names):
        raise ValidationError(f'fields must be field names (a string or a '
                              f'list of strings), not {fields!r}.')
    return ','.join(names)


class Task(Resource):
    """A task: an execution of an app on inputs, in a project.

    Example::

        task = api.tasks.create(name='align', project='rfranklin/demo',
                                app='rfranklin/demo/bwa-mem',
                                inputs={'reads': [fastq1, fastq2]}, run=True)
        task.wait(period=1)
        print(task.status, task.outputs['aligned'])
    """
    _URL = {
        'query': '/tasks',
        'get': '/tasks/{id}',
        'delete': '/tasks/{id}',
        'run': '/tasks/{id}/actions/run',
        'clone': '/tasks/{id}/actions/clone',
        'abort': '/tasks/{id}/actions/abort',
        'execution_details': '/tasks/{id}/execution_details',
        'bulk_get': '/bulk/tasks/get',
    }

    href = HrefField(read_only=True)
    id = UuidField(read_only=True)
    name = StringField(read_only=False)
    status = StringField(read_only=True)
    description = StringField(read_only=False)
    project = StringField(read_only=False)
    app = StringField(read_only=False)
    type = StringField(read_only=True)
    created_by = StringField(read_only=True)
    executed_by = StringField(read_only=True)
    start_time = DateTimeField(read_only=True)
    created_time = DateTimeField(read_only=True)
    end_time = DateTimeField(read_only=True)
    batch = BooleanField(read_only=False)
    batch_by = CompoundField(BatchBy, read_only=False)
    batch_group = CompoundField(BatchGroup, read_only=True)
    batch_input = StringField(read_only=False)
    parent = StringField(read_only=True)
    execution_status = CompoundField(ExecutionStatus, read_only=True)
    errors = DictField(read_only=True)
    warnings = DictField(read_only=True)
    price = CompoundField(Price, read_only=True)
    inputs = CompoundField(Input, read_only=False)
    outputs = CompoundField(Output, read_only=True)
    execution_settings = DictField(read_only=True)
    output_location = DictField(read_only=True)
    use_interruptible_instances = BooleanField(read_only=False)
    origin = StringField(read_only=True, name='origin_id')

    def __str__(self):
        return f'<Task: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    @classmethod
    def query(
            cls, project: ProjectRef | None = None, status: str | None = None,
            batch: bool | None = None, parent: TaskRef | None = None,
            created_from: DateLike | None = None,
            created_to: DateLike | None = None,
            started_from: DateLike | None = None,
            started_to: DateLike | None = None,
            ended_from: DateLike | None = None,
            ended_to: DateLike | None = None, offset: int | None = None,
            limit: int | None = None, order_by: str | None = None,
            order: str | None = None, origin: str | None = None,
            api: Api | None = None) -> Collection:
        """Tasks matching the filters.

        :param project: the project (id or ``Project``).
        :param status: a :class:`~sevenbridges.models.enums.TaskStatus`.
        :param batch: only batch (``True``) or non-batch tasks.
        :param parent: children of this batch task (id or ``Task``).
        :param created_from: created since (``datetime`` or string); the
            other ``*_from`` / ``*_to`` dates work alike.
        :param offset: pagination offset.
        :param limit: page size.
        :param order_by: field to sort on, e.g. ``created_time``.
        :param order: ``asc`` or ``desc``.
        :param origin: the automation run (id or ``AutomationRun``) the
            tasks come from.
        :param api: the client (default: the one the class is bound to).
        :raises ValidationError: for an unknown ``status`` or ``order``,
            or a bad ``offset``/``limit`` (nothing is sent).
        """
        return cls.query_fields(
            '_all', project=project, status=status, batch=batch,
            parent=parent, created_from=created_from, created_to=created_to,
            started_from=started_from, started_to=started_to,
            ended_from=ended_from, ended_to=ended_to, offset=offset,
            limit=limit, order_by=order_by, order=order, origin=origin,
            api=api)

    @classmethod
    def query_fields(
            cls, fields: str | list[str], *,
            project: ProjectRef | None = None, status: str | None = None,
            batch: bool | None = None, parent: TaskRef | None = None,
            created_from: DateLike | None = None,
            created_to: DateLike | None = None,
            started_from: DateLike | None = None,
            started_to: DateLike | None = None,
            ended_from: DateLike | None = None,
            ended_to: DateLike | None = None, offset: int | None = None,
            limit: int | None = None, order_by: str | None = None,
            order: str | None = None, origin: str | None = None,
            api: Api | None = None) -> Collection:
        """Tasks matching the filters of :meth:`query` (the same keywords),
        each with only the fields named: a listing of many tasks that reads
        less (a task read without a field fetches itself when the field is
        read).

        :param fields: ``'_all'``, or names such as ``['id', 'status']``.
        :raises ValidationError: as :meth:`query`, and for ``fields`` that
            are not names (nothing is sent).
        """
        dates = {'created_from': created_from, 'created_to': created_to,
                 'started_from': started_from, 'started_to': started_to,
                 'ended_from': ended_from, 'ended_to': ended_to}
        check_choice('status', status, TaskStatus)
        check_choice('order', order, SORT_ORDERS)
        params = {key: Transform.to_datestring(value)
                  for key, value in dates.items() if value}
        if project:
            params['project'] = Transform.to_project(project)
        if parent:
            params['parent'] = Transform.to_task(parent)
        if origin:
            params['origin_id'] = Transform.to_automation_run(origin)
        return super()._query(url=cls._URL['query'], status=status,
                              batch=batch, offset=offset, limit=limit,
                              order_by=order_by, order=order,
                              fields=_field_list(fields),
                              api=api or cls._API, **params)

    @classmethod
    def create(
            cls, name: str, project: ProjectRef, app: AppRef,
            revision: int | None = None, batch_input: str | None = None,
            batch_by: dict[str, Any] | None = None,
            inputs: dict[str, Any] | None = None,
            description: str | None = None, run: bool = False,
            disable_batch: bool = False, interruptible: bool | None = None,
            execution_settings: dict[str, Any] | None = None,
            output_location: dict[str, Any] | None = None,
            api: Api | None = None) -> Task:
        """Create a task (a draft, or running with ``run=True``).

        :param name: the task's name.
        :param project: the project (id or ``Project``).
        :param app: the app (id or ``App``).
        :param revision: the app revision (default: the app's latest, or
            the revision of an ``App`` object).
        :param batch_input: the input to batch on.
        :param batch_by: the batching criteria, e.g. ``{'type': 'ITEM'}``.
        :param inputs: the inputs; ``File`` objects, lists and nested dicts
            are serialized.
        :param description: a description.
        :param run: run the task right away.
        :param disable_batch: with batching arguments, create a plain task.
        :param interruptible: use spot (interruptible) instances.
        :param execution_settings: e.g. ``{'instance_type': 'c4.2xlarge'}``.
        :param output_location: where outputs go, e.g.
            ``{'main_location': '/Analysis/'}``.
        :param api: the client (default: the one the class is bound to).
        :raises TaskValidationError: when ``run`` and the answer to the
            create request lists errors; the task is in ``error.task``.
        :raises ValidationError: when ``inputs``, ``batch_by``,
            ``execution_settings`` or ``output_location`` is not a dict
            (nothing is sent).
        """
        from sevenbridges.models.app import App
        for parameter, value in (
                ('inputs', inputs), ('batch_by', batch_by),
                ('execution_settings', execution_settings),
                ('output_location', output_location)):
            check_mapping(parameter, value)
        api = api or cls._API
        project = Transform.to_project(project)
        app_id = Transform.to_app(app)
        if revision:
            app_id = f'{app_id}/{revision}'
        elif isinstance(app, App):
            app_id = f'{app_id}/{app.revision}'

        data: dict[str, Any] = {}
        params: dict[str, Any] = {}
        if batch_input and batch_by:
            data['batch_input'] = batch_input
            data['batch_by'] = batch_by
            if disable_batch:
                params['batch'] = False
        data.update(name=name, project=project, app=app_id,
                    description=description,
                    inputs=serialize_inputs(inputs) if inputs else {})
        if interruptible is not None:
            data['use_interruptible_instances'] = interruptible
        if execution_settings:
            data['execution_settings'] = execution_settings
        if output_location:
            data['output_location'] = output_location
        if run:
            params['action'] = 'run'

        response = api.post(url=cls._URL['query'], params=params, data=data)
        task = cls(api=api, **response.json())
        # The answer alone decides: no "errors" key means no errors (reading
        # task.errors would fetch the task when the key is absent).
        if run and task.field('errors'):
            raise TaskValidationError(
                'Unable to run task! Task contains errors.', task=task)
        return task

    def _action(self, key, params=None):
        response = self._api.post(url=self._URL[key].format(id=self.id),
                                  params=params)
        return Task(api=self._api, **response.json())

    @inplace_reload
    def abort(self, inplace: bool = True) -> Task:
        """Abort the task.

        :param inplace: update this object (``False``: return a new one).
        """
        return self._action('abort')

    @inplace_reload
    def run(
            self, batch: bool = True, interruptible: bool | None = None,
            inplace: bool = True) -> Task:
        """Run a draft task.

        :param batch: ``False`` runs a batch task as a plain one.
        :param interruptible: use spot (interruptible) instances.
        :param inplace: update this object (``False``: return a new one).
        """
        params = {}
        if not batch:
            params['batch'] = False
        if interruptible is not None:
            params['use_interruptible_instances'] = interruptible
        return self._action('run', params)

    def clone(self, run: bool = True) -> Task:
        """A copy of the task (run right away unless ``run=False``).

        :return: the new task.
        """
        return self._action('clone', {'action': 'run'} if run else None)

    @inplace_reload
    def save(self, inplace: bool = True) -> Task:
        """Save changes of a draft task (name, description, app, inputs,
        batching, interruptible instances). Without changes nothing is
        sent.

        :param inplace: update this object (``False``: return a new one).
        """
        modified = self._modified_data()
        if not modified:
            return self
        if modified.get('inputs'):
            modified['inputs'] = serialize_inputs(modified['inputs'])
        response = self._api.patch(url=self._URL['get'].format(id=self.id),
                                   data=modified)
        return Task(api=self._api, **response.json())

    def get_execution_details(self) -> ExecutionDetails:
        """The jobs of the task, with their instances and logs.

        :return: :class:`~sevenbridges.models.execution_details.ExecutionDetails`.
        """
        return ExecutionDetails._fetch(
            url=self._URL['execution_details'].format(id=self.id),
            api=self._api)

    def read_log(
            self, name: str = DEFAULT_LOG, job: str | Job | None = None,
            encoding: str = 'utf-8') -> str:
        """The text of a log of one of the task's jobs, as it is now.

        :param name: the log: ``stdout``, ``stderr``, ``job.err.log``...
        :param job: the job (its name, or a ``Job`` of
            :meth:`get_execution_details`); by default the task's only
            job. Of a job run more than once, the last run.
        :param encoding: the text's encoding (bytes not valid in it read
            as U+FFFD).
        :raises SbgError: when the task has no such job (or several jobs
            and none is named), or the job no such log.
        :raises ValidationError: for a bad argument (nothing is sent).
        """
        check_name('name', name)
        check_encoding(encoding)
        check_job('job', job)
        if not isinstance(job, Job):
            job = pick_job(self, self.get_execution_details().jobs, job)
        return job.read_log(name, encoding)

    def follow_logs(
            self, name: str = DEFAULT_LOG, job: str | Job | None = None,
            period: float = FOLLOW_PERIOD, timeout: float | None = None,
            encoding: str = 'utf-8') -> Iterator[tuple[Job, str]]:
        """The text of a log of the task's jobs, piece by piece as it is
        written: ``(job, text)`` pairs, until the task has ended and every
        log is read to its end (for a task that has ended, its logs at
        once). Jobs that start later are followed from their start.

        Every ``period`` seconds the task's execution details are fetched
        and each log is read from where its last read stopped.

        :param name: the log: ``stdout``, ``stderr``, ``job.err.log``...
        :param job: follow only this job (its name or a ``Job``); by
            default every job.
        :param period: seconds between the checks.
        :param timeout: give up after this many seconds, raising
            :class:`~sevenbridges.models.task_wait.TaskWaitTimeout` (the
            task keeps running). Default: as long as the task runs.
        :param encoding: the text's encoding.
        :raises SbgError: when a job has logs but none of that name.
        :raises ValidationError: for a bad argument (nothing is sent).
        """
        check_follow_arguments(name, period, timeout, encoding)
        check_job('job', job)
        chosen, only = job_filter(job, name)
        return follow_logs(self, name, chosen, period, timeout, encoding,
                           only)

    def get_batch_children(
            self, status: str | None = None,
            created_from: DateLike | None = None,
            created_to: DateLike | None = None,
            started_from: DateLike | None = None,
            started_to: DateLike | None = None,
            ended_from: DateLike | None = None,
            ended_to: DateLike | None = None, order_by: str | None = None,
            order: str | None = None, offset: int | None = None,
            limit: int | None = None, api: Api | None = None) -> Collection:
        """The children of a batch task (filters as :meth:`query`).

        :raises SbgError: when this is not a batch task.
        """
        if not self.batch:
            raise SbgError('This task is not a batch task.')
        return self.query(
            parent=self.id, status=status, created_from=created_from,
            created_to=created_to, started_from=started_from,
            started_to=started_to, ended_from=ended_from, ended_to=ended_to,
            order_by=order_by, order=order, offset=offset, limit=limit,
            api=api or self._api)

    @classmethod
    def bulk_get(
            cls, tasks: Iterable[TaskRef], api: Api | None = None
            ) -> list[TaskBulkRecord]:
        """Fetch many tasks in one request.

        :param tasks: tasks (ids or ``Task`` objects).
        :return: a :class:`TaskBulkRecord` per task, in order.
        """
        data = {'task_ids': [Transform.to_task(task)
                             for task in as_list('tasks', tasks)]}
        return TaskBulkRecord._submit(cls._URL['bulk_get'], data,
                                      api or cls._API)

    def wait(
            self=None,  # type: ignore[assignment]  # the reference's default
            period: float = DEFAULT_PERIOD,
            callback: Callable[..., Any] | None = None, *args: Any,
            timeout: float | None = None,
            on_status_change: Callable[[Task], Any] | None = None,
            **kwargs: Any) -> Any:
        """Wait until the task is completed, failed or aborted, reloading
        it between pauses. Nothing is requested when it has ended already.

        Without a ``period`` the pauses grow from 1 second to 10 (a short
        task is seen ending at once, a long one is checked every 10
        seconds), and a batch task is waited for until its children have
        ended too. With a ``period`` the wait is the reference SDK's: the
        task alone, every ``period`` seconds.

        :param period: seconds between checks (default: growing pauses).
        :param callback: called with ``*args`` and ``**kwargs`` at the end;
            its result is returned.
        :param timeout: give up after this many seconds, raising
            :class:`~sevenbridges.models.task_wait.TaskWaitTimeout` (the
            task keeps running). Default: wait as long as it takes.
        :param on_status_change: called with the task each time a check
            shows a new status.
        :raises TaskWaitTimeout: when ``timeout`` passes first.
        :raises ValidationError: for a bad ``period``, ``timeout``,
            ``callback`` or ``on_status_change`` (nothing is sent).
        """
        growing = period is DEFAULT_PERIOD
        check_seconds('period', period)
        check_seconds('timeout', timeout, optional=True)
        check_callable('callback', callback)
        check_callable('on_status_change', on_status_change)
        pauses = Pauses(None if growing else period, timeout)
        ended_before = self.status in TERMINAL_STATES
        wait_for_end(self, pauses, timeout, on_status_change)
        if growing and not ended_before and self.field('batch'):
            wait_for_children(self, pauses, timeout)
        if callback:
            return callback(*args, **kwargs)
        return None


class TaskBulkRecord(BulkRecord):
    """The result of one task of a bulk call (``resource`` is a
    :class:`Task`)."""
    resource = CompoundField(cls=Task, read_only=False)
