"""Asynchronous work of the emulated platform: imports, exports, DRS
imports, async file jobs and automation runs all go through :class:`Jobs`,
which moves each submitted job along on the background :class:`Runner`.

A job is a stored document with two private keys: ``_phase`` (``queued``,
``running`` or ``done``) and ``_since`` (when it entered that phase). After
``platform.task_seconds`` in a phase the job's kind is called: ``start`` when
it leaves ``queued``, ``finish`` when it leaves ``running``. Both change the
document in place (its public state, timestamps, result or error) inside one
transaction; an exception in ``finish`` is the job's own bug, logged, and
the job is failed rather than left running forever.
"""
import logging
import threading
import time

logger = logging.getLogger(__name__)


class Jobs:
    """Registered kinds of asynchronous jobs and their progress."""

    def __init__(self, platform):
        self.platform = platform
        self.store = platform.store
        self.kinds = {}

    def register(self, collection, start, finish, fail):
        """Jobs stored in ``collection``: ``start(doc)`` and ``finish(doc)``
        move them along, ``fail(doc, message)`` ends one that broke."""
        self.kinds[collection] = (start, finish, fail)

    def submit(self, collection, doc):
        """Store a new job; the runner takes it from there."""
        doc['_phase'] = 'queued'
        doc['_since'] = time.time()
        return self.store.put(collection, doc)

    def end(self, collection, doc):
        """Take a job out of the runner's hands (it was stopped)."""
        doc['_phase'] = 'done'
        return self.store.put(collection, doc)

    def step(self, clock=None):
        clock = clock or time.time()
        pause = self.platform.task_seconds
        for collection, (start, finish, fail) in self.kinds.items():
            for doc in self.store.find(collection):
                if doc.get('_phase') not in ('queued', 'running') or \
                        clock - doc.get('_since', 0) < pause:
                    continue
                with self.store.transaction():
                    doc = self.store.get(collection, doc['id'])
                    phase = doc.get('_phase')
                    try:
                        if phase == 'queued':
                            start(doc)
                        elif phase == 'running':
                            finish(doc)
                        else:
                            continue
                    except Exception as error:  # keep the runner alive
                        logger.exception('%s job %s failed', collection,
                                         doc['id'])
                        fail(doc, f'Internal emulator error: {error}')
                        phase = 'running'
                    doc['_phase'] = 'running' if phase == 'queued' \
                        else 'done'
                    doc['_since'] = clock
                    self.store.put(collection, doc)


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
                except Exception:  # the runner must survive any bad job
                    logger.exception('Emulator runner step failed')
