"""The task state machine: QUEUED -> RUNNING -> COMPLETED, FAILED or
ABORTED, each run by the engine :func:`~sevenbridges.emulator.engines.choose`
picks, within the platform's limit on parallel instances; batch parents
follow their children. The tasks themselves are read and written through
the :class:`~.tasks.Tasks` service, which owns them.

A queued task starts after ``task_seconds`` when its owner runs fewer than
``instance_limit`` tasks (one instance each) and its engine has room;
otherwise it stays ``QUEUED`` with ``execution_status.account_limit``
true, and the oldest such task starts first as others end.

Each step polls the running tasks; the queue (and the batch parents) are
read again only when a task changed since (:meth:`TaskRuns.touch`), a
queued task's wait is over or a second has passed, and then only the few
keys the step decides
on, loading just the tasks it moves: a thousand held tasks cost nothing
while they wait.
"""
import copy
import logging
import time
from collections import Counter

from sevenbridges.emulator.engines import choose
from sevenbridges.emulator.engines.cwl_document import step_count
from sevenbridges.emulator.engines.outcome import Outcome
from sevenbridges.emulator.state import batching, prices
from sevenbridges.emulator.state.apps import output_ids
from sevenbridges.emulator.state.common import now
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.task_logs import end_job

logger = logging.getLogger(__name__)

TERMINAL = ('COMPLETED', 'FAILED', 'ABORTED')
ACTIVE = ('QUEUED', 'RUNNING')
#: What the step reads of each active task.
SUMMARY_KEYS = ('id', 'status', 'batch', '_owner', '_queued_at',
                'execution_status.account_limit')
HELD = 'Queued: the parallel instance limit of the account is reached.'


def _ms(seconds):
    return int(round(seconds * 1000))


class TaskRuns:
    """Moves tasks along (:meth:`step`, called by the background runner).

    :param tasks: the :class:`~.tasks.Tasks` service (the tasks' owner).
    :param store: the store (its transactions).
    :param users: the :class:`~.users.Users` (tasks run as their owner).
    :param apps: the :class:`~.apps.Apps` tasks run.
    :param engines: the engines by name (``simulated``, ``cwltool``).
    :param settings: the :class:`~sevenbridges.emulator.engines.EngineSettings`
        (the engine, ``instance_limit``).
    :param task_seconds: how long a task stays queued.
    """

    def __init__(self, tasks, store, users, apps, engines, settings,
                 task_seconds):
        self.tasks = tasks
        self.store = store
        self.users = users
        self.apps = apps
        self.engines = engines
        self.settings = settings
        self.task_seconds = task_seconds
        self._changed = True
        self._due = 0.0

    def touch(self):
        """A task changed: the next step reads the queue again."""
        self._changed = True

    def shutdown(self):
        """Stop every run (the emulator stops)."""
        for engine in self.engines.values():
            engine.shutdown()

    def engine(self, task):
        """The engine that runs (or ran) ``task``."""
        return self.engines.get(task.get('_engine'),
                                self.engines['simulated'])

    def step(self, clock=None):
        """Move every active task one step along: running tasks end when
        their engine says so, queued tasks start (oldest first, within the
        owner's instance limit), batch parents follow their children."""
        clock = clock or time.time()
        for engine in self.engines.values():
            engine.tick(clock)
        running = Counter()
        for row in self.tasks.active(('RUNNING',)):
            if not row['batch'] and not self._poll(row['id'], clock):
                running[row['_owner']] += 1
        if not self._changed and clock < self._due:
            return
        self._changed = False
        rows = self.tasks.active(ACTIVE)
        queued = sorted((row for row in rows if row['status'] == 'QUEUED'
                         and not row['batch']),
                        key=lambda row: row['_queued_at'] or 0)
        # At least once a second, whatever happened.
        self._due = clock + 1.0
        for row in queued:
            due = (row['_queued_at'] or 0) + self.task_seconds
            if clock < due:
                self._due = min(self._due, due)
            elif running[row['_owner']] >= self.settings.instance_limit:
                if not row['execution_status.account_limit']:
                    self._hold(row['id'])
            elif self._start(row['id'], clock):
                running[row['_owner']] += 1
        for row in rows:
            if row['batch']:
                self._follow(row['id'], clock)

    def stop(self, task, message):
        """Abort ``task`` (a document the caller saves): its run ends."""
        self._finish(task, 'ABORTED', message, time.time())
        if not task['batch']:
            self.engine(task).abort(task)

    def _hold(self, task_id):
        """Mark a queued task as waiting for the instance limit."""
        with self.store.transaction():
            task = self.tasks.load(task_id)
            if task is None or task['status'] != 'QUEUED':
                return
            task['execution_status'].update(account_limit=True,
                                            message=HELD)
            self.tasks.save(task)

    def _start(self, task_id, clock):
        """Start a queued task with the engine chosen for its app; whether
        it left the queue (a real run waits for a free slot)."""
        task = self.tasks.load(task_id)
        if task is None or task['status'] != 'QUEUED':
            return False
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
            return False
        with self.store.transaction():
            task = self.tasks.load(task_id)
            if task is None or task['status'] != 'QUEUED':
                return False
            task['status'] = 'RUNNING'
            task['_started_at'] = clock
            task['_instance_type'] = prices.instance_of(task, raw)
            task['start_time'] = now()
            task['execution_status'].update(
                message='Running', running=1, queued=0, account_limit=False,
                steps_total=step_count(raw),
                queued_duration=_ms(clock - task['_queued_at']))
            if choice is not None and choice.engine == 'refused':
                failure = f'cwltool can not run this app: {choice.reason}.'
            if engine is not None:
                task['_engine'] = engine.name
                failure = self._launch(engine, task, raw, choice)
            if failure:
                self._finish(task, 'FAILED', failure, clock)
            self.tasks.save(task)
        return True

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

    def _poll(self, task_id, clock):
        """Ask the task's engine how its run goes; record its jobs, and its
        end. Whether it ended."""
        task = self.tasks.load(task_id)
        if task is None or task['status'] != 'RUNNING':
            return True
        jobs = copy.deepcopy(task.get('_jobs'))
        try:
            outcome = self.engine(task).poll(task, clock)
        except Exception as error:  # an emulator bug: the task fails
            logger.exception('Task %s failed in its engine', task['id'])
            outcome = Outcome('FAILED', f'Internal emulator error: {error}')
        if outcome is None and task.get('_jobs') == jobs:
            return False
        with self.store.transaction():
            current = self.tasks.load(task_id)
            if current is None or current['status'] != 'RUNNING':
                return True          # aborted meanwhile
            current['_jobs'] = task.get('_jobs')
            done = sum(job['status'] == 'COMPLETED'
                       for job in current['_jobs'] or [])
            status = current['execution_status']
            status['steps_completed'] = min(done, status['steps_total'])
            if outcome is not None:
                if outcome.status == 'COMPLETED':
                    current['outputs'] = outcome.outputs
                    status.update(steps_completed=status['steps_total'],
                                  completed=1)
                else:
                    status['failed'] = 1
                self._finish(current, outcome.status, outcome.message, clock)
            self.tasks.save(current)
        return outcome is not None

    def _finish(self, task, status, message, clock):
        """End ``task``: its status, end time, durations and price (a task
        that ran costs its instance's time, :mod:`.prices`)."""
        task['status'] = status
        task['end_time'] = now()
        queued = task['execution_status'].get('queued_duration')
        if queued is None and task.get('_queued_at'):
            queued = _ms(clock - task['_queued_at'])
        running = _ms(clock - task['_started_at']) \
            if task.get('_started_at') else 0
        task['execution_status'].update(
            message=message, running=0, queued=0,
            queued_duration=queued or 0, running_duration=running,
            execution_duration=running, duration=(queued or 0) + running)
        if task.get('_started_at') and not task['batch']:
            task['price'] = prices.run_price(
                task.get('_instance_type', prices.DEFAULT_INSTANCE),
                clock - task['_started_at'])
        for job in task.get('_jobs') or []:
            end_job(job, status)

    def _follow(self, task_id, clock):
        """Bring a batch parent up to its children: status, counts, start
        and end, and price (the sum of theirs)."""
        children = self.tasks.children_summaries(task_id)
        summary = batching.roll_up(child['status'] for child in children)
        price = prices.total(child['price.amount'] for child in children)
        with self.store.transaction():
            task = self.tasks.load(task_id)
            if task is None or task['status'] not in ACTIVE:
                return
            before = copy.deepcopy(task)
            status = task['execution_status']
            status.update(summary['execution_status'])
            task['price'] = price
            if summary['status'] != 'QUEUED' and not task['start_time']:
                task['status'] = 'RUNNING'
                task['start_time'] = now()
                task['_started_at'] = clock
                status['queued_duration'] = _ms(clock - task['_queued_at'])
            if summary['status'] in TERMINAL:
                self._finish(task, summary['status'], status['message'],
                             clock)
            if task != before:
                self.tasks.save(task)
