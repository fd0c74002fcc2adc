"""Tasks: drafts, runs, batches, and the task state machine (the engines
that run tasks are :mod:`sevenbridges.emulator.engines`)."""
import copy
import logging
import time
import uuid

from sevenbridges.emulator.engines import choose
from sevenbridges.emulator.engines.cwl_document import step_count, takes_array
from sevenbridges.emulator.engines.outcome import Outcome, file_values
from sevenbridges.emulator.engines.outputs import check_output_location
from sevenbridges.emulator.state.apps import output_ids, required_inputs
from sevenbridges.emulator.state.checks import check, field, flag
from sevenbridges.emulator.state.common import in_window, now, ordered
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.task_logs import end_job, render_jobs

logger = logging.getLogger(__name__)

TERMINAL = ('COMPLETED', 'FAILED', 'ABORTED')
# The keys of a task's body and their types.
TASK_FIELDS = {'name': str, 'description': str, 'batch_input': str,
               'inputs': dict, 'batch_by': dict, 'execution_settings': dict,
               'output_location': dict, 'use_interruptible_instances': bool}


class Tasks:
    """Tasks: drafts, runs, batches, and the state machine the background
    runner moves along (:meth:`step`), each run by the engine
    :func:`~sevenbridges.emulator.engines.choose` picks. The ``tasks``
    collection is this service's.

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
        self.engines = engines
        self.settings = settings
        self.task_seconds = task_seconds

    def shutdown(self):
        """Stop every run (the emulator stops)."""
        for engine in self.engines.values():
            engine.shutdown()

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
        return errors

    def create(self, user, body, run=False, batch=True):
        check(body, TASK_FIELDS)
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
            'price': {'currency': 'USD', 'amount': 0.0},
            '_owner': user['username'], '_timeline': []}
        task['errors'] = self.validate(user, task, raw)
        self.store.put('tasks', task, project=project['id'])
        if run and not task['errors']:
            task = self.run(user, task['id'])
        return task

    def get(self, user, task_id, need='read'):
        """A task, when ``user`` has ``need`` on its project."""
        task = self.store.get('tasks', task_id)
        if task is None:
            raise ApiError(404, f'Task {task_id} not found.', 5008)
        self.projects.get(user, task['project'], need)
        return task

    def update(self, user, task_id, body):
        task = self.get(user, task_id, 'write')
        if task['status'] != 'DRAFT':
            raise ApiError(400, 'Only draft tasks can be changed.', 9000)
        check(body, TASK_FIELDS)
        for key in ('name', 'description', 'batch_input', 'batch_by',
                    'use_interruptible_instances'):
            if key in body:
                task[key] = body[key]
        task['inputs'].update(body.get('inputs') or {})
        app, revision = self.apps.resolve(user, task['app'])
        task['errors'] = self.validate(user, task, app['revisions'][revision])
        return self.store.put('tasks', task, project=task['project'])

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
            task['execution_status']['message'] = 'Queued'
            if task['batch']:
                app, revision = self.apps.resolve(user, task['app'])
                self._spawn_children(task, app['revisions'][revision])
            self.store.put('tasks', task, project=task['project'])
        return task

    def _spawn_children(self, parent, raw):
        """A child task per item of the batch input (an array input gets
        a list of the one item)."""
        items = parent['inputs'].get(parent['batch_input']) or []
        if not isinstance(items, list):
            items = [items]
        wrap = takes_array(raw, parent['batch_input'])
        for index, item in enumerate(items):
            child = copy.deepcopy(parent)
            child.update(id=str(uuid.uuid4()), batch=False,
                         parent=parent['id'], batch_input=None,
                         batch_by=None, name=f'{parent["name"]} - '
                                             f'{index + 1}',
                         batch_group={'value': item.get('path')
                                      if isinstance(item, dict) else
                                      str(item), 'fields': {}})
            child['inputs'][parent['batch_input']] = [item] if wrap \
                else item
            self.store.put('tasks', child, project=parent['project'])
        parent['execution_status']['steps_total'] = len(items)

    def abort(self, user, task_id):
        with self.store.transaction():
            task = self.get(user, task_id)
            if task['status'] in TERMINAL or task['status'] == 'DRAFT':
                raise ApiError(400, f'Task is {task["status"]}.', 9000)
            self._stop(task, 'Aborted by the user.')
            for child in self.children(task['id']):
                if child['status'] not in TERMINAL:
                    self._stop(child, 'Parent aborted.')
                    self.store.put('tasks', child, project=child['project'])
            self.store.put('tasks', task, project=task['project'])
        return task

    def clone(self, user, task_id, run):
        task = self.get(user, task_id)
        body = {key: task[key] for key in (
            'name', 'description', 'project', 'app', 'inputs', 'batch_input',
            'batch_by', 'use_interruptible_instances')}
        return self.create(user, body, run=run)

    def children(self, task_id):
        return [task for task in self.store.find('tasks')
                if task.get('parent') == task_id]

    def of_project(self, project_id):
        return self.store.find('tasks', project=project_id)

    def query(self, user, args):
        """``GET /tasks``: the tasks ``user`` may read, by ``project``,
        ``parent``, ``status``, ``batch``, ``origin_id`` and the
        ``created``, ``started`` and ``ended`` windows (``_from``,
        ``_to``), in the order of ``order_by`` and ``order``."""
        project = args.get('project')
        parent = args.get('parent')
        if project:
            self.projects.get(user, project)
        tasks = [task for task in self.store.find('tasks')
                 if (not project or task['project'] == project)
                 and (not parent or task.get('parent') == parent)
                 and self.projects.readable(user, task['project'])]
        status = args.get('status')
        if status:
            tasks = [task for task in tasks if task['status'] == status]
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

    def remove_project(self, project):
        """Remove the tasks of a deleted project; their runs stop (their
        logs are the project's files, removed with them)."""
        for task in self.of_project(project['id']):
            if task['status'] in ('QUEUED', 'RUNNING') and not task['batch']:
                self._engine(task).abort(task)
            self.store.delete('tasks', task['id'])

    def delete(self, user, task_id):
        task = self.get(user, task_id, 'write')
        if task['status'] not in TERMINAL + ('DRAFT',):
            raise ApiError(400, 'Running tasks can not be deleted.', 9000)
        self.store.delete('tasks', task_id)

    def execution_details(self, user, task_id, base):
        """``GET /tasks/{id}/execution_details``; logs are URLs under
        ``base`` (the API's ``.../v2``)."""
        task = self.get(user, task_id)
        return {
            'start_time': task['start_time'], 'end_time': task['end_time'],
            'status': task['status'],
            'message': task['execution_status'].get('message'),
            'jobs': render_jobs(task, base)}

    # -- the state machine (called by background.Runner) ----------------------

    def step(self, clock=None):
        """Move every active task one step along: QUEUED -> RUNNING after
        ``task_seconds`` (when its engine has room), RUNNING -> COMPLETED
        or FAILED when its engine says so; batch parents follow their
        children."""
        clock = clock or time.time()
        pause = self.task_seconds
        for engine in self.engines.values():
            engine.tick(clock)
        for task in self.store.find('tasks'):
            if task['batch']:
                if task['status'] in ('QUEUED', 'RUNNING'):
                    self._follow_children(task)
            elif task['status'] == 'QUEUED' and \
                    clock - task['_queued_at'] >= pause:
                self._start(task, clock)
            elif task['status'] == 'RUNNING':
                self._poll(task, clock)

    def _engine(self, task):
        return self.engines.get(task.get('_engine'),
                                self.engines['simulated'])

    def _start(self, task, clock):
        """Start a queued task with the engine chosen for its app (a real
        run waits for a free slot)."""
        failure = None
        try:
            app, revision = self.apps.resolve(
                self.users.get(task['_owner']), task['app'])
            raw = app['revisions'][revision]
            choice = choose(self.settings, raw)
        except ApiError as error:
            raw, choice = {}, None
            failure = error.message
        engine = self.engines.get(choice.engine) if choice else None
        if engine is not None and not engine.can_start():
            return
        with self.store.transaction():
            task = self.store.get('tasks', task['id'])
            if task is None or task['status'] != 'QUEUED':
                return
            task['status'] = 'RUNNING'
            task['_started_at'] = clock
            task['start_time'] = now()
            task['execution_status'].update(
                message='Running', running=1, queued=0,
                steps_total=step_count(raw))
            if choice is not None and choice.engine == 'refused':
                failure = f'cwltool can not run this app: {choice.reason}.'
            if engine is not None:
                task['_engine'] = engine.name
                failure = self._launch(engine, task, raw, choice)
            if failure:
                self._finish(task, 'FAILED', failure)
            self.store.put('tasks', task, project=task['project'])

    def _launch(self, engine, task, raw, choice):
        """Start the task's run; the reason it could not start, if so."""
        try:
            if engine.name == 'simulated':
                engine.start(task, raw, output_ids(raw), choice.reason)
            else:
                engine.start(task, raw, choice.container_flags)
        except ApiError as error:
            return error.message
        except OSError as error:
            logger.exception('Task %s did not start', task['id'])
            return f'The run could not start: {error}'
        return None

    def _poll(self, task, clock):
        """Ask the task's engine how its run goes; record its jobs, and its
        end."""
        jobs = copy.deepcopy(task.get('_jobs'))
        try:
            outcome = self._engine(task).poll(task, clock)
        except Exception as error:  # an emulator bug: the task fails
            logger.exception('Task %s failed in its engine', task['id'])
            outcome = Outcome('FAILED', f'Internal emulator error: {error}')
        if outcome is None and task.get('_jobs') == jobs:
            return
        with self.store.transaction():
            current = self.store.get('tasks', task['id'])
            if current is None or current['status'] != 'RUNNING':
                return          # aborted meanwhile
            current['_jobs'] = task.get('_jobs')
            done = sum(job['status'] == 'COMPLETED'
                       for job in current['_jobs'] or [])
            status = current['execution_status']
            status['steps_completed'] = min(done, status['steps_total'])
            if outcome is not None:
                if outcome.status == 'COMPLETED':
                    current['outputs'] = outcome.outputs
                    current['price'] = {'currency': 'USD', 'amount': 0.01}
                    status.update(steps_completed=status['steps_total'],
                                  completed=1)
                self._finish(current, outcome.status, outcome.message)
            self.store.put('tasks', current, project=current['project'])

    def _finish(self, task, status, message):
        task['status'] = status
        task['end_time'] = now()
        task['execution_status'].update(message=message, running=0)
        for job in task.get('_jobs') or []:
            end_job(job, status)

    def _stop(self, task, message):
        """Abort a task: its run ends."""
        self._finish(task, 'ABORTED', message)
        if not task['batch']:
            self._engine(task).abort(task)

    def _follow_children(self, task):
        children = self.children(task['id'])
        done = [child for child in children if child['status'] in TERMINAL]
        with self.store.transaction():
            current = self.store.get('tasks', task['id'])
            if current is None or current['status'] not in ('QUEUED',
                                                            'RUNNING'):
                return
            task = current
            if task['status'] == 'QUEUED':
                task['status'] = 'RUNNING'
                task['start_time'] = now()
            task['execution_status'].update(steps_completed=len(done),
                                            steps_total=len(children))
            if len(done) == len(children):
                failed = any(c['status'] != 'COMPLETED' for c in done)
                self._finish(task, 'FAILED' if failed else 'COMPLETED',
                             'Batch finished')
            self.store.put('tasks', task, project=task['project'])

