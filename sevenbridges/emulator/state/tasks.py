"""Tasks: drafts, runs, batches, queries. The ``tasks`` collection is this
module's; the state machine that moves tasks along is
:mod:`.task_runs`, batches split as :mod:`.batching` says, prices are
:mod:`.prices`."""
import copy
import time
import uuid

from sevenbridges.emulator.engines.cwl_document import takes_array
from sevenbridges.emulator.engines.outcome import file_values
from sevenbridges.emulator.engines.outputs import check_output_location
from sevenbridges.emulator.state import batching, prices
from sevenbridges.emulator.state.apps import required_inputs
from sevenbridges.emulator.state.checks import check, field, flag
from sevenbridges.emulator.state.common import in_window, now, ordered
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.task_logs import render_jobs
from sevenbridges.emulator.state.task_runs import (
    ACTIVE,
    SUMMARY_KEYS,
    TERMINAL,
    TaskRuns,
)

# The keys of a task's body and their types.
TASK_FIELDS = {'name': str, 'description': str, 'batch_input': str,
               'inputs': dict, 'batch_by': dict, 'execution_settings': dict,
               'output_location': dict, 'use_interruptible_instances': bool}
#: The most tasks ``POST /bulk/tasks/get`` reads at once.
MAX_BULK = 100


class Tasks:
    """Tasks: drafts, runs, batches, and queries; the state machine is
    :attr:`runs` (:class:`~.task_runs.TaskRuns`), which the background
    runner moves along (:meth:`step`).

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param users: the :class:`~.users.Users` (tasks run as their owner).
    :param projects: the :class:`~.projects.Projects` tasks are in.
    :param files: the :class:`~.files.Files` (inputs, and the logs of the
        tasks' jobs).
    :param apps: the :class:`~.apps.Apps` tasks run.
    :param engines: the engines by name (``simulated``, ``cwltool``).
    :param settings: how tasks run
        (:class:`~sevenbridges.emulator.engines.EngineSettings`).
    :param task_seconds: how long a task stays queued.
    """

    def __init__(self, store, users, projects, files, apps, engines,
                 settings, task_seconds):
        self.store = store
        self.users = users
        self.projects = projects
        self.files = files
        self.apps = apps
        self.settings = settings
        self.runs = TaskRuns(self, store, users, apps, engines, settings,
                             task_seconds)

    def shutdown(self):
        """Stop every run (the emulator stops)."""
        self.runs.shutdown()

    def step(self, clock=None):
        """Move every active task one step along (see
        :meth:`.TaskRuns.step`)."""
        self.runs.step(clock)

    # -- the collection --------------------------------------------------------

    def load(self, task_id):
        """The stored task ``task_id`` without any check (``None`` when
        there is none)."""
        return self.store.get('tasks', task_id)

    def save(self, task):
        """Store ``task`` (a batch child under its parent)."""
        self.runs.touch()
        return self.store.put('tasks', task, project=task['project'],
                              parent=task.get('parent'))

    def _remove(self, task_id):
        self.runs.touch()
        self.store.delete('tasks', task_id)

    def active(self, statuses=ACTIVE):
        """:data:`~.task_runs.SUMMARY_KEYS` of every task of
        ``statuses`` (queued or running), oldest first, read without
        loading the tasks."""
        return self.store.summaries('tasks', SUMMARY_KEYS, statuses)

    def children_summaries(self, task_id):
        """The ``status`` and ``price.amount`` of each child of a batch."""
        return self.store.summaries('tasks', ('status', 'price.amount'),
                                    parent=task_id)

    def children(self, task_id):
        return self.store.find('tasks', parent=task_id)

    def of_project(self, project_id):
        return self.store.find('tasks', project=project_id)

    # -- creation and changes -------------------------------------------------

    def validate(self, user, task, raw):
        errors = {}
        for name in required_inputs(raw):
            if task['inputs'].get(name) in (None, [], ''):
                errors[name] = 'Required input is not set.'
        for reference in file_values(task['inputs']):
            path = reference.get('path')
            try:
                self.files.file(user, path)
            except ApiError:
                errors.setdefault('inputs', f'File {path} not found.')
        problem = prices.unknown_instance(task)
        if problem:
            errors['execution_settings'] = problem
        if task['batch_input'] and task['batch_by'] and \
                batching.batch_type(task['batch_by']) == 'CRITERIA' and \
                not takes_array(raw, task['batch_input']):
            errors['batch_input'] = (
                f'Batching by criteria needs an array input; '
                f'{task["batch_input"]} takes one value.')
        return errors

    def create(self, user, body, run=False, batch=True):
        check(body, TASK_FIELDS)
        batching.check_batch_by(body.get('batch_by'))
        project = self.projects.get(user, body.get('project'),
                                        'execute')
        app, revision = self.apps.resolve(
            user, field(body, 'app', str, required=True))
        raw = app['revisions'][revision]
        check_output_location(body.get('output_location') or {})
        task = {
            'id': str(uuid.uuid4()), 'name': body.get('name') or app['name'],
            'description': body.get('description'), 'status': 'DRAFT',
            'project': project['id'], 'app': f'{app["id"]}/{revision}',
            'type': 'v2', 'created_by': user['username'],
            'executed_by': user['username'], 'created_time': now(),
            'start_time': None, 'end_time': None,
            'batch': bool(batch and body.get('batch_input')
                          and body.get('batch_by')),
            'batch_input': body.get('batch_input'),
            'batch_by': body.get('batch_by'), 'parent': None,
            'inputs': copy.deepcopy(body.get('inputs') or {}),
            'outputs': {}, 'errors': {}, 'warnings': {},
            'use_interruptible_instances': body.get(
                'use_interruptible_instances', True),
            'execution_settings': body.get('execution_settings') or {},
            'output_location': body.get('output_location') or {},
            'execution_status': {'steps_completed': 0, 'steps_total': 1,
                                 'message': 'Draft'},
            'price': prices.price(),
            '_owner': user['username'], '_timeline': []}
        task['errors'] = self.validate(user, task, raw)
        self.save(task)
        if run and not task['errors']:
            task = self.run(user, task['id'])
        return task

    def get(self, user, task_id, need='read'):
        """A task, when ``user`` has ``need`` on its project."""
        task = self.load(task_id)
        if task is None:
            raise ApiError(404, f'Task {task_id} not found.', 5008)
        self.projects.get(user, task['project'], need)
        return task

    def bulk_ids(self, task_ids):
        """The ids of a bulk read: a list of at most :data:`MAX_BULK`."""
        if not isinstance(task_ids, list):
            raise ApiError(400, 'task_ids (a list) is required.', 9000)
        if len(task_ids) > MAX_BULK:
            raise ApiError(400, f'task_ids: at most {MAX_BULK} tasks a '
                                f'request, not {len(task_ids)}.', 9000)
        return task_ids

    def update(self, user, task_id, body):
        task = self.get(user, task_id, 'write')
        if task['status'] != 'DRAFT':
            raise ApiError(400, 'Only draft tasks can be changed.', 9000)
        check(body, TASK_FIELDS)
        batching.check_batch_by(body.get('batch_by'))
        for key in ('name', 'description', 'batch_input', 'batch_by',
                    'use_interruptible_instances', 'execution_settings'):
            if key in body:
                task[key] = body[key]
        task['inputs'].update(body.get('inputs') or {})
        app, revision = self.apps.resolve(user, task['app'])
        task['errors'] = self.validate(user, task, app['revisions'][revision])
        return self.save(task)

    def run(self, user, task_id, batch=True):
        with self.store.transaction():
            task = self.get(user, task_id, 'execute')
            if task['status'] != 'DRAFT':
                raise ApiError(400, f'Task is {task["status"]}, not DRAFT.',
                               9000)
            if task['errors']:
                raise ApiError(400, 'Task contains errors.', 9001)
            task['batch'] = bool(batch and task['batch'])
            task['status'] = 'QUEUED'
            task['_queued_at'] = time.time()
            task['execution_status'].update(message='Queued',
                                            account_limit=False)
            if task['batch']:
                app, revision = self.apps.resolve(user, task['app'])
                self._spawn_children(user, task, app['revisions'][revision])
            self.save(task)
        return task

    def _spawn_children(self, user, parent, raw):
        """A child task per group of the batch input (:mod:`.batching`):
        by item, an array input gets a list of the one item; by criteria,
        the list of the group's files."""
        items = parent['inputs'].get(parent['batch_input']) or []
        if not isinstance(items, list):
            items = [items]
        wrap = takes_array(raw, parent['batch_input'])
        by_item = batching.batch_type(parent['batch_by']) == 'ITEM'
        groups = batching.groups(
            items, parent['batch_by'],
            lambda item: self.files.file(user, item.get('path'))
            .get('metadata') or {})
        for index, group in enumerate(groups):
            child = copy.deepcopy(parent)
            child.update(id=str(uuid.uuid4()), batch=False,
                         parent=parent['id'], batch_input=None,
                         batch_by=None, name=f'{parent["name"]} - '
                                             f'{index + 1}',
                         batch_group={'value': group.value,
                                      'fields': group.fields})
            child['inputs'][parent['batch_input']] = group.items \
                if wrap or not by_item else group.items[0]
            self.save(child)
        parent['execution_status'].update(
            batching.roll_up(['QUEUED'] * len(groups))['execution_status'])

    def abort(self, user, task_id):
        with self.store.transaction():
            task = self.get(user, task_id)
            if task['status'] in TERMINAL or task['status'] == 'DRAFT':
                raise ApiError(400, f'Task is {task["status"]}.', 9000)
            children = self.children(task['id'])
            for child in children:
                if child['status'] not in TERMINAL:
                    self.runs.stop(child, 'Parent aborted.')
                    self.save(child)
            self.runs.stop(task, 'Aborted by the user.')
            if task['batch']:
                task['price'] = prices.total(child['price']['amount']
                                             for child in children)
            self.save(task)
        return task

    def clone(self, user, task_id, run):
        task = self.get(user, task_id)
        body = {key: task[key] for key in (
            'name', 'description', 'project', 'app', 'inputs', 'batch_input',
            'batch_by', 'use_interruptible_instances', 'execution_settings')}
        return self.create(user, body, run=run)

    def query(self, user, args):
        """``GET /tasks``: the tasks ``user`` may read, by ``project``,
        ``parent``, ``status`` (one or more), ``batch``, ``origin_id`` and
        the ``created``, ``started`` and ``ended`` windows (``_from``,
        ``_to``), in the order of ``order_by`` and ``order``."""
        project = args.get('project')
        parent = args.get('parent')
        if project:
            self.projects.get(user, project)
        readable = {}

        def may_read(project_id):
            if project_id not in readable:
                readable[project_id] = self.projects.readable(user,
                                                              project_id)
            return readable[project_id]

        tasks = [task for task in self.store.find(
                     'tasks', project=project or None, parent=parent or None)
                 if project or may_read(task['project'])]
        statuses = set(args.getlist('status') if hasattr(args, 'getlist')
                       else [args['status']] if args.get('status') else [])
        if statuses:
            tasks = [task for task in tasks if task['status'] in statuses]
        if 'batch' in args:
            tasks = [task for task in tasks
                     if task['batch'] == flag(args['batch'])]
        origin = args.get('origin_id')
        if origin:
            tasks = [task for task in tasks
                     if task.get('origin_id') == origin]
        for prefix, key in (('created', 'created_time'),
                            ('started', 'start_time'), ('ended', 'end_time')):
            since = args.get(f'{prefix}_from')
            until = args.get(f'{prefix}_to')
            tasks = [t for t in tasks if in_window(t.get(key), since, until)]
        return ordered(tasks, args)

    def instance_limit(self, user):
        """The ``instance_limit`` of ``GET /rate_limit``: how many
        instances ``user`` may run at once, and how many more now."""
        limit = self.settings.instance_limit
        running = sum(not row['batch'] and row['_owner'] == user['username']
                      for row in self.active(('RUNNING',)))
        return {'limit': limit, 'remaining': max(limit - running, 0)}

    def remove_project(self, project):
        """Remove the tasks of a deleted project; their runs stop (their
        logs are the project's files, removed with them)."""
        for task in self.of_project(project['id']):
            if task['status'] in ACTIVE and not task['batch']:
                self.runs.engine(task).abort(task)
            self._remove(task['id'])

    def delete(self, user, task_id):
        task = self.get(user, task_id, 'write')
        if task['status'] not in TERMINAL + ('DRAFT',):
            raise ApiError(400, 'Running tasks can not be deleted.', 9000)
        self._remove(task_id)

    def execution_details(self, user, task_id, base):
        """``GET /tasks/{id}/execution_details``; logs are URLs under
        ``base`` (the API's ``.../v2``)."""
        task = self.get(user, task_id)
        return {
            'start_time': task['start_time'], 'end_time': task['end_time'],
            'status': task['status'],
            'message': task['execution_status'].get('message'),
            'jobs': render_jobs(task, base)}
