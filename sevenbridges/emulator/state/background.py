"""Background work of the emulated platform: imports, exports, DRS
imports, async file operations and automation runs each keep their
documents in a :class:`WorkQueue` of their own, which
:class:`Background` moves along on the :class:`Runner`.

A piece of work is a stored document with two private keys: ``_phase``
(``queued``, ``running`` or ``done``) and ``_since`` (when it entered that
phase). After ``task_seconds`` in a phase the queue's ``start`` is called
when it leaves ``queued``, ``finish`` when it leaves ``running``. Both
change the document in place (its public state, timestamps, result or
error) inside one transaction; an exception in ``finish`` is the work's own
bug, logged, and the work is failed rather than left running forever.
"""
import logging
import threading
import time

from sevenbridges.emulator.state.errors import ApiError

logger = logging.getLogger(__name__)


class WorkQueue:
    """The background work kept in one collection, which the service that
    made the queue owns.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param collection: where the documents are.
    :param start: ``start(doc)`` when a piece of work leaves ``queued``.
    :param finish: ``finish(doc)`` when it leaves ``running``.
    :param fail: ``fail(doc, message)`` ends one that broke.
    """

    def __init__(self, store, collection, start, finish, fail):
        self.store = store
        self.collection = collection
        self._start = start
        self._finish = finish
        self._fail = fail

    def submit(self, doc):
        """Store new work; the runner takes it from there."""
        doc['_phase'] = 'queued'
        doc['_since'] = time.time()
        return self.store.put(self.collection, doc)

    def end(self, doc):
        """Take work out of the runner's hands (it was stopped)."""
        doc['_phase'] = 'done'
        return self.store.put(self.collection, doc)

    def step(self, clock, pause):
        """Move along each piece of work ``pause`` seconds in its phase."""
        for doc in self.store.find(self.collection):
            if doc.get('_phase') not in ('queued', 'running') or \
                    clock - doc.get('_since', 0) < pause:
                continue
            with self.store.transaction():
                self._advance(self.store.get(self.collection, doc['id']),
                              clock)

    def _advance(self, doc, clock):
        phase = doc.get('_phase')
        try:
            if phase == 'queued':
                self._start(doc)
            elif phase == 'running':
                self._finish(doc)
            else:
                return
        except Exception as error:  # keep the runner alive
            logger.exception('%s %s failed', self.collection, doc['id'])
            self._fail(doc, f'Internal emulator error: {error}')
            phase = 'running'
        doc['_phase'] = 'running' if phase == 'queued' else 'done'
        doc['_since'] = clock
        self.store.put(self.collection, doc)


class UserWork:
    """A service of background work on files, each piece the submitting
    user's alone, kept in :attr:`collection` (of a subclass, which moves
    it along with ``_start``, ``_finish`` and ``_fail``).

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param users: the :class:`~.users.Users`.
    :param files: the :class:`~.files.Files` worked on.
    :param background: the :class:`Background` that runs it.
    """

    #: The collection, what a piece is called in a 404, and its code.
    collection = ''
    what = ''
    code = 0

    def __init__(self, store, users, files, background):
        self.store = store
        self.users = users
        self.files = files
        self.queue = background.queue(self.collection, self._start,
                                      self._finish, self._fail)

    def get(self, user, work_id):
        """A piece of ``user``'s work (a 404 for another's)."""
        work = self.store.get(self.collection, work_id)
        if work is None or work['_owner'] != user['username']:
            raise ApiError(404, f'{self.what} {work_id} not found.',
                           self.code)
        return work

    def mine(self, user):
        """Every piece of ``user``'s work."""
        return [work for work in self.store.find(self.collection)
                if work['_owner'] == user['username']]

    def _start(self, work):
        raise NotImplementedError

    def _finish(self, work):
        raise NotImplementedError

    def _fail(self, work, message):
        raise NotImplementedError


class Background:
    """The queues of background work, stepped together.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param task_seconds: how long work stays in each phase.
    """

    def __init__(self, store, task_seconds):
        self.store = store
        self.task_seconds = task_seconds
        self.queues = []

    def queue(self, collection, start, finish, fail):
        """A new :class:`WorkQueue` of ``collection``, stepped with the
        others."""
        queue = WorkQueue(self.store, collection, start, finish, fail)
        self.queues.append(queue)
        return queue

    def step(self, clock=None):
        clock = clock or time.time()
        for queue in self.queues:
            queue.step(clock, self.task_seconds)


class Runner:
    """A daemon thread calling each ``step`` every 20 ms until stopped."""

    def __init__(self, steps, interval=0.02):
        self.steps = steps
        self.interval = interval
        self._stop = threading.Event()
        self._thread = None

    def start(self):
        self._thread = threading.Thread(target=self._loop, daemon=True,
                                        name='emulator-runner')
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        if self._thread:
            self._thread.join(5)

    def _loop(self):
        while not self._stop.wait(self.interval):
            for step in self.steps:
                try:
                    step()
                except Exception:  # the runner must survive any bad work
                    logger.exception('Emulator runner step failed')
