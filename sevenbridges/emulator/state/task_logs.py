"""The jobs of tasks and their logs.

A task's jobs are records in its document (``_jobs``): name, status,
start and end times, command line, and ``logs``, each log a platform file
of the task's project (``origin: {task: id}``) that no folder or project
listing shows, readable by id and downloadable like any file. A log exists
from the moment its job starts and grows while the job runs: its bytes
are read at request time, and ``GET /files/{id}`` answers their size at
request time too (:meth:`~.files.Files.file` refreshes docs marked
``_log``). Every job has ``stdout``, ``stderr``
and ``job.err.log`` (the platform's log; for cwltool runs, cwltool's own).
"""
import hashlib
from typing import Dict, Iterable, Optional

from sevenbridges.emulator.state.common import now

LOG_NAMES = ('stdout', 'stderr', 'job.err.log')
#: What the platform tells of the machine a job ran on (its ``type`` is
#: the task's, :mod:`.prices`).
INSTANCE = {'id': 'i-emulated', 'type': 'c5.2xlarge', 'provider': 'AWS',
            'disk': {'size': 1024, 'unit': 'GB', 'type': 'ssd'}}


def instance(task: dict) -> dict:
    """The machine ``task``'s jobs run on."""
    return dict(INSTANCE, type=task.get('_instance_type') or
                INSTANCE['type'])


class TaskLogs:
    """Log files of jobs: files of the task's project that no listing
    shows (:meth:`~.files.Files.add_log`).

    :param files: the :class:`~sevenbridges.emulator.state.files.Files`.
    """

    def __init__(self, files):
        self.files = files

    def new(self, task: dict, name: str, link: Optional[str] = None) -> str:
        """A new, empty log of ``task`` named ``name``; with ``link``, its
        bytes are those of that local file, as it grows. Returns the
        file's id."""
        return self.files.add_log(task['project'], task['id'], name, link)

    def write(self, file_id: str, text: str):
        """Append ``text`` to a log."""
        with open(self.files.blob_path(file_id), 'ab') as fp:
            fp.write(text.encode())
        self.refresh([file_id])

    def refresh(self, file_ids: Iterable[str]):
        """Bring the size of each log up to its bytes."""
        self.files.refresh_sizes(file_ids)

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
             'instance': instance(task), 'docker': docker,
             'logs': {log: f'{base}/files/{file_id}/download_info'
                      for log, file_id in job['logs'].items()}}
            for job in task.get('_jobs') or []]
