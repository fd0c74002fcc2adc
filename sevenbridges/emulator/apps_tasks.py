"""Apps, tasks and the task state machine of the emulated platform (the
engines that run tasks are :mod:`sevenbridges.emulator.engines`)."""
import copy
import logging
import time
import uuid

from sevenbridges.emulator.bodies import check, field
from sevenbridges.emulator.engines import EngineSettings, choose
from sevenbridges.emulator.engines.cwl import CwlEngine
from sevenbridges.emulator.engines.cwl_document import (
    entries,
    step_count,
    takes_array,
)
from sevenbridges.emulator.engines.outcome import Outcome, file_values
from sevenbridges.emulator.engines.outputs import check_output_location
from sevenbridges.emulator.engines.simulated import SimulatedEngine
from sevenbridges.emulator.errors import ApiError
from sevenbridges.emulator.platform import now
from sevenbridges.emulator.task_logs import TaskLogs, end_job, render_jobs

logger = logging.getLogger(__name__)

TERMINAL = ('COMPLETED', 'FAILED', 'ABORTED')
# The keys of a task's body and their types.
TASK_FIELDS = {'name': str, 'description': str, 'batch_input': str,
               'inputs': dict, 'batch_by': dict, 'execution_settings': dict,
               'output_location': dict, 'use_interruptible_instances': bool}


# The keys of an app's raw JSON that the platform sets, whatever the client
# sent.
SERVER_KEYS = (
    'id', 'sbg:id', 'sbg:revision', 'sbg:latestRevision', 'sbg:project',
    'sbg:createdBy', 'sbg:createdOn', 'sbg:modifiedOn', 'sbg:modifiedBy',
    'sbg:revisionsInfo', 'sbg:contributors', 'sbg:appVersion',
    'sbg:validationErrors', 'sbg:copyOf')
# What the terms of ``GET /apps?q=`` are looked for in.
SEARCHED_KEYS = ('label', 'sbg:toolkit', 'sbg:categories', 'sbg:tagline',
                 'description', 'doc')


def _epoch():
    return int(time.time())


class Apps:
    """Apps (CWL documents) with revisions. The stored revisions are what
    clients sent, without the platform's own keys; :meth:`raw_document`
    adds those."""

    def __init__(self, platform):
        self.platform = platform
        self.store = platform.store

    def install(self, user, app_id, raw, revision=None, copy_of=None,
                new_app=False):
        """Install ``raw`` as the next revision of ``app_id`` (the first
        one of a new app).

        :param revision: the revision number the client asks for (it must
            be the next one).
        :param copy_of: ``owner/project/app/revision`` the app copies.
        :param new_app: ``app_id`` must not exist (a 409 if it does): a
            copy makes a new app, never a revision of another.
        :return: the app and the new revision's number.
        """
        parts = app_id.split('/')
        if len(parts) != 3 or not all(parts):
            raise ApiError(400, f'Invalid app id {app_id}.', 9000)
        project_id = '/'.join(parts[:2])
        self.platform.project(user, project_id, 'write')
        if not isinstance(raw, dict) or 'class' not in raw:
            raise ApiError(400, 'The app is not a CWL document.', 9000)
        raw = {key: value for key, value in raw.items()
               if key not in SERVER_KEYS}
        with self.store.transaction():
            app = self.store.get('apps', app_id)
            if app is not None and new_app:
                raise ApiError(409, f'App {app_id} already exists.', 5005)
            app = app or {
                'id': app_id, 'project': project_id, 'revisions': [],
                'revisions_info': [], 'created_by': user['username'],
                'created_on': _epoch(), 'copy_of': None}
            number = revision if revision is not None \
                else len(app['revisions'])
            if number != len(app['revisions']):
                raise ApiError(400, f'Revision {number} is not the next '
                                    f'one ({len(app["revisions"])}).', 9000)
            app['revisions'].append(raw)
            app['revisions_info'].append({
                'sbg:revision': number, 'sbg:modifiedBy': user['username'],
                'sbg:modifiedOn': _epoch(),
                'sbg:revisionNotes': raw.get('sbg:revisionNotes')})
            app['name'] = raw.get('label') or parts[2]
            if copy_of:
                app['copy_of'] = copy_of
            self.store.put('apps', app, project=project_id)
        return app, number

    def copy(self, user, app, revision, project, name=None):
        """Copy ``revision`` of ``app`` into ``project`` as a new app,
        named ``name`` (its id's last part and its ``label``) when given,
        as the source otherwise; onto an app id that exists it is a 409.

        :return: the copy and its revision's number.
        """
        raw = app['revisions'][revision]
        if name:
            raw = dict(raw, label=name)
        target = f'{project}/{name or app["id"].rsplit("/", 1)[1]}'
        return self.install(user, target, raw, new_app=True,
                            copy_of=f'{app["id"]}/{revision}')

    @staticmethod
    def raw_document(app, revision, base):
        """The raw JSON of a revision as the platform shows it: what the
        client sent, with the platform's own keys (``id`` is the URL of
        the document under ``base``)."""
        info = app.get('revisions_info') or []
        this = info[revision] if revision < len(info) else {}
        raw = app['revisions'][revision]
        contributors = []
        for entry in info:
            if entry['sbg:modifiedBy'] not in contributors:
                contributors.append(entry['sbg:modifiedBy'])
        document = dict(raw, **{
            'id': f'{base}/apps/{app["id"]}/{revision}/raw/',
            'sbg:id': f'{app["id"]}/{revision}',
            'sbg:revision': revision,
            'sbg:latestRevision': len(app['revisions']) - 1,
            'sbg:project': app['project'],
            'sbg:createdBy': app.get('created_by'),
            'sbg:createdOn': app.get('created_on'),
            'sbg:modifiedBy': this.get('sbg:modifiedBy'),
            'sbg:modifiedOn': this.get('sbg:modifiedOn'),
            'sbg:revisionsInfo': info,
            'sbg:contributors': contributors,
            'sbg:appVersion': [raw.get('cwlVersion', 'sbg:draft-2')],
            # Always sent, null when the revision has none.
            'sbg:revisionNotes': raw.get('sbg:revisionNotes'),
            'sbg:validationErrors': []})
        if app.get('copy_of'):
            document['sbg:copyOf'] = app['copy_of']
        return document

    def get(self, user, app_id, revision=None):
        app = self.store.get('apps', app_id)
        if app is None:
            raise ApiError(404, f'App {app_id} not found.', 5007)
        self.platform.project(user, app['project'])
        if revision is None:
            revision = len(app['revisions']) - 1
        if not 0 <= revision < len(app['revisions']):
            raise ApiError(404, f'Revision {revision} of {app_id} not '
                                f'found.', 5007)
        return app, revision

    def query(self, user, args):
        """``GET /apps``: the apps of ``project``, the public apps
        (``visibility=public``) or those of every project the user is a
        member of, filtered by ``project_owner``, ``id`` (exact app ids,
        with or without a revision) and ``q`` (every term in one of the
        app's name, label, toolkit, categories, tagline or
        description)."""
        project = args.get('project')
        ids = {_without_revision(app_id) for app_id in args.getlist('id')}
        if project:
            projects = [self.platform.project(user, project)]
        elif args.get('visibility') == 'public':
            projects = [found for found in self.store.find('projects')
                        if found.get('_public')]
        else:
            projects = self.platform.projects(user)
        owner = args.get('project_owner')
        if owner:
            projects = [found for found in projects
                        if found['id'].split('/')[0] == owner]
        if ids:
            wanted = {app_id.rsplit('/', 1)[0] for app_id in ids}
            projects = [found for found in projects if found['id'] in wanted]
        terms = [term.lower() for value in args.getlist('q')
                 for term in value.split()]
        return [app for found in projects
                for app in self.store.find('apps', project=found['id'])
                if (not ids or app['id'] in ids) and
                all(_mentions(app, term) for term in terms)]

    def resolve(self, user, reference):
        """The app and revision named by ``owner/project/app[/rev]``."""
        parts = reference.split('/')
        if len(parts) == 4 and parts[3].isdigit():
            return self.get(user, '/'.join(parts[:3]), int(parts[3]))
        return self.get(user, reference)


def _without_revision(app_id):
    parts = app_id.split('/')
    if len(parts) == 4 and parts[3].isdigit():
        return '/'.join(parts[:3])
    return app_id


def _mentions(app, term):
    """Whether the latest revision of ``app`` names ``term`` (lower case)
    in one of :data:`SEARCHED_KEYS` or its name."""
    raw = app['revisions'][-1]
    texts = [app['name']] + [raw.get(key) for key in SEARCHED_KEYS]
    for text in texts:
        values = text if isinstance(text, list) else [text]
        if any(isinstance(value, str) and term in value.lower()
               for value in values):
            return True
    return False


def required_inputs(raw):
    """Ids of the inputs a CWL tool needs (no ``?``, no default)."""
    needed = []
    for entry in entries(raw.get('inputs')):
        kind = entry.get('type')
        optional = (isinstance(kind, str) and kind.endswith('?')) or \
            (isinstance(kind, list) and 'null' in kind) or \
            'default' in entry
        if not optional:
            needed.append(entry['id'].lstrip('#'))
    return needed


def output_ids(raw):
    outputs = raw.get('outputs') or []
    if isinstance(outputs, dict):
        return list(outputs)
    return [entry['id'].lstrip('#') for entry in outputs] or ['report']


class Tasks:
    """Tasks: drafts, runs, batches, and the state machine the background
    runner moves along (:meth:`step`), each run by the engine
    :func:`~sevenbridges.emulator.engines.choose` picks.

    :param settings: how tasks run
        (:class:`~sevenbridges.emulator.engines.EngineSettings`).
    """

    def __init__(self, platform, apps, settings=None):
        self.platform = platform
        self.apps = apps
        self.store = platform.store
        self.logs = TaskLogs(platform)
        self.settings = settings or EngineSettings()
        self.engines = {
            'simulated': SimulatedEngine(self.platform, self.logs),
            'cwltool': CwlEngine(self.platform, self.logs, self.settings)}

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
                self.platform.file(user, path)
            except ApiError:
                errors.setdefault('inputs', f'File {path} not found.')
        return errors

    def create(self, user, body, run=False, batch=True):
        check(body, TASK_FIELDS)
        project = self.platform.project(user, body.get('project'),
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

    def get(self, user, task_id):
        task = self.store.get('tasks', task_id)
        if task is None:
            raise ApiError(404, f'Task {task_id} not found.', 5008)
        self.platform.project(user, task['project'])
        return task

    def update(self, user, task_id, body):
        task = self.get(user, task_id)
        self.platform.project(user, task['project'], 'write')
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
            task = self.get(user, task_id)
            self.platform.project(user, task['project'], 'execute')
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

    def delete(self, user, task_id):
        task = self.get(user, task_id)
        self.platform.project(user, task['project'], 'write')
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

    # -- the state machine (called by jobs.Runner) ----------------------------

    def step(self, clock=None):
        """Move every active task one step along: QUEUED -> RUNNING after
        ``task_seconds`` (when its engine has room), RUNNING -> COMPLETED
        or FAILED when its engine says so; batch parents follow their
        children."""
        clock = clock or time.time()
        pause = self.platform.task_seconds
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
                self.platform.user(task['_owner']), task['app'])
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


__all__ = ['Apps', 'Tasks']
