"""The jobs of tasks and their logs.

A task's jobs are records in its document (``_jobs``): name, status,
start and end times, command line, and ``logs``, each log a platform file
of the task's project (``origin: {task: id}``) that no folder or project
listing shows, readable by id and downloadable like any file. A log exists
from the moment its job starts and grows while the job runs: its bytes
are read at request time, and ``GET /files/{id}`` answers their size at
request time too (:meth:`TaskLogs.refreshed`, asked for docs marked
``_log``). Every job has ``stdout``, ``stderr``
and ``job.err.log`` (the platform's log; for cwltool runs, cwltool's own).
"""
import hashlib
import os
from typing import Dict, Iterable, Optional

from sevenbridges.emulator.platform import now

LOG_NAMES = ('stdout', 'stderr', 'job.err.log')
#: What the platform tells of the machine a job ran on.
INSTANCE = {'id': 'i-emulated', 'type': 'c5.2xlarge', 'provider': 'AWS',
            'disk': {'size': 1024, 'unit': 'GB', 'type': 'ssd'}}


class TaskLogs:
    """Log files of jobs, stored as platform files outside listings."""

    def __init__(self, platform):
        self.platform = platform
        self.store = platform.store

    def new(self, task: dict, name: str, link: Optional[str] = None) -> str:
        """A new, empty log of ``task`` named ``name``; with ``link``, its
        bytes are those of that local file, as it grows (a hard link, a
        symbolic one where hard links fail). Returns the file's id."""
        doc = self.platform._new_file_doc(name, task['project'], None,
                                          origin={'task': task['id']})
        blob = self.platform.blob_path(doc['id'])
        if link is None:
            open(blob, 'wb').close()
        else:
            try:
                os.link(link, blob)
            except OSError:
                os.symlink(os.path.abspath(link), blob)
        doc['size'] = os.path.getsize(blob)
        doc['_log'] = True  # its size is read when it is asked for
        # Indexed under no project and no folder: listings and searches
        # never show it; GET /files/{id} reads its project from the doc.
        self.store.put('files', doc)
        return doc['id']

    def write(self, file_id: str, text: str):
        """Append ``text`` to a log."""
        with open(self.platform.blob_path(file_id), 'ab') as fp:
            fp.write(text.encode())
        self.refresh([file_id])

    def refresh(self, file_ids: Iterable[str]):
        """Bring the size of each log up to its bytes."""
        for file_id in set(file_ids):
            doc = self.store.get('files', file_id)
            if doc is not None:
                self.refreshed(doc)

    def refreshed(self, doc: dict) -> dict:
        """The log ``doc`` with the size of its bytes now (stored, if it
        changed)."""
        try:
            size = os.path.getsize(self.platform.blob_path(doc['id']))
        except OSError:
            return doc
        if doc['size'] == size:
            return doc
        with self.store.transaction():
            current = self.store.get('files', doc['id'])
            if current is None:
                return doc
            current['size'] = size
            current['modified_on'] = now()
            self.store.put('files', current)
        return current

    def new_job(self, task: dict, name: str, command_line: str,
                links: Optional[Dict[str, str]] = None,
                shared: Optional[Dict[str, str]] = None) -> dict:
        """A job record, started now, with a log of each of
        :data:`LOG_NAMES`: ``shared`` names logs that exist already (by
        file id), ``links`` local files to follow."""
        logs = dict(shared or {})
        for log in LOG_NAMES:
            if log not in logs:
                logs[log] = self.new(task, log, (links or {}).get(log))
        return {'name': name, 'status': 'RUNNING', 'start_time': now(),
                'end_time': None, 'command_line': command_line,
                'logs': logs}


def end_job(job: dict, status: str):
    """Mark a running job ended (``COMPLETED``, ``FAILED``,
    ``ABORTED``)."""
    if job['status'] == 'RUNNING':
        job['status'] = status
        job['end_time'] = now()


def render_jobs(task: dict, base: str) -> list:
    """The ``jobs`` of ``GET /tasks/{id}/execution_details``: log names
    map to ``{base}/files/{id}/download_info``."""
    docker = {'checksum': 'sha256:' + hashlib.sha256(
        task['app'].encode()).hexdigest()}
    return [{'name': job['name'], 'status': job['status'],
             'start_time': job['start_time'], 'end_time': job['end_time'],
             'retried': False, 'command_line': job['command_line'],
             'instance': INSTANCE, 'docker': docker,
             'logs': {log: f'{base}/files/{file_id}/download_info'
                      for log, file_id in job['logs'].items()}}
            for job in task.get('_jobs') or []]
