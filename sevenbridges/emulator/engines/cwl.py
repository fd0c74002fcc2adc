"""The real engine: each task runs its app through cwltool, in a folder of
its own under the data directory (``runs/<task id>``) and in a process of
its own (:mod:`.cwl_worker`, in a new process group that an abort ends as a
whole).

While a run lasts, :meth:`CwlEngine.poll` follows its journal: each job
that starts gets its logs (``stdout``, ``stderr``, and cwltool's log as
``job.err.log``) as platform files that grow with the local ones; each job
that ends gets its status and end time. When the process ends, the CWL
output object becomes platform files and task outputs (types kept), or the
task fails with the last line the failed tool wrote to stderr (else
cwltool's last error).
"""
import json
import logging
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from typing import Dict, List, Optional

from sevenbridges.emulator.engines.cwl_document import containers_as_hints
from sevenbridges.emulator.engines.cwl_worker import JOURNAL, OUTPUTS
from sevenbridges.emulator.engines.job_order import Staging
from sevenbridges.emulator.engines.outcome import Outcome
from sevenbridges.emulator.engines.outputs import OutputFiles
from sevenbridges.emulator.state.common import now
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.task_logs import end_job

logger = logging.getLogger(__name__)

#: How long an aborted run has to end after SIGTERM before SIGKILL.
TERMINATE_SECONDS = 2.0
CWLTOOL_LOG = 'cwltool.log'
#: cwltool's line when a job has ended, with the job's final status.
JOB_ENDED = re.compile(r'\[job (\S+)\] completed (\w+)')
LOG_LEVEL = re.compile(r'^(DEBUG|INFO|WARNING|ERROR|CRITICAL) ')
#: How much of a log's end is read for its last line.
TAIL_BYTES = 64 * 1024


def job_name(name: str) -> str:
    """A job's name as the platform shows it (``wc.cwl`` is ``wc``)."""
    return name[:-len('.cwl')] if name.endswith('.cwl') else name


def last_line(path: str) -> str:
    """The last line of a file that is not blank (``''`` if none)."""
    try:
        with open(path, 'rb') as fp:
            fp.seek(max(os.fstat(fp.fileno()).st_size - TAIL_BYTES, 0))
            text = fp.read().decode(errors='replace')
    except OSError:
        return ''
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    return lines[-1] if lines else ''


def last_error(path: str) -> str:
    """The last line of cwltool's last ``ERROR`` record in its log."""
    try:
        with open(path, encoding='utf-8', errors='replace') as fp:
            lines = fp.read().splitlines()
    except OSError:
        return ''
    found, inside = '', False
    for line in lines:
        level = LOG_LEVEL.match(line)
        if level:
            inside = level.group(1) in ('ERROR', 'CRITICAL')
            line = line[level.end():]
        if inside and line.strip():
            found = line.strip()
    return found


class CwlRun:
    """One run: its folder, its process and what was read of its
    journal and log."""

    def __init__(self, task_id: str, folder: str,
                 process: 'subprocess.Popen[bytes]', err_log: str):
        self.task_id = task_id
        self.folder = folder
        self.process = process
        self.err_log = err_log
        self.journal_offset = 0
        self.log_offset = 0
        self.jobs: Dict[int, int] = {}     # journal number -> job index
        self.log_ids: List[str] = [err_log]
        self.kill_at: Optional[float] = None

    def path(self, *parts: str) -> str:
        return os.path.join(self.folder, *parts)

    def signal(self, number: int):
        """Send a signal to the run's whole process group."""
        try:
            os.killpg(self.process.pid, number)
        except (ProcessLookupError, PermissionError):
            pass

    def read_new(self, name: str, offset_attribute: str) -> List[str]:
        """The complete lines added to a file of the run since the last
        read."""
        offset = getattr(self, offset_attribute)
        try:
            with open(self.path(name), 'rb') as fp:
                fp.seek(offset)
                data = fp.read()
        except OSError:
            return []
        end = data.rfind(b'\n') + 1
        setattr(self, offset_attribute, offset + end)
        return data[:end].decode(errors='replace').splitlines()


class CwlEngine:
    """Runs apps through cwltool.

    :param files: the :class:`~sevenbridges.emulator.state.files.Files`.
    :param users: the :class:`~sevenbridges.emulator.state.users.Users`.
    :param logs: the :class:`~sevenbridges.emulator.state.task_logs.TaskLogs`.
    :param settings: the emulator's
        :class:`~sevenbridges.emulator.engines.EngineSettings`.
    :param runs: the folder of the runs' folders.
    """

    name = 'cwltool'

    def __init__(self, files, users, logs, settings, runs):
        self.files = files
        self.users = users
        self.runs_folder = runs
        self.logs = logs
        self.settings = settings
        self.runs: Dict[str, CwlRun] = {}
        self.stopping: List[CwlRun] = []

    def can_start(self) -> bool:
        """Whether a run may start (fewer than ``max_parallel_runs``)."""
        return len(self.runs) < self.settings.max_parallel_runs

    def start(self, task: dict, raw: dict, container_flags: List[str]):
        """Stage the inputs and start cwltool on the app."""
        folder = self._folder(task)
        try:
            name = self._prepare(task, raw, container_flags, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        log_path = os.path.join(folder, CWLTOOL_LOG)
        with open(log_path, 'w') as log:
            log.write(f'INFO {now()} Running {task["app"]} with cwltool '
                      f'({" ".join(container_flags) or "in containers"}) '
                      f'in {folder}\n')
            log.flush()
            process = subprocess.Popen(
                [sys.executable, '-m',
                 'sevenbridges.emulator.engines.cwl_worker', folder, '--',
                 '--disable-color', '--outdir',
                 os.path.join(folder, 'outputs'),
                 '--tmpdir-prefix', os.path.join(folder, 'tmp', ''),
                 *container_flags, f'{name}.cwl', 'job.json'],
                cwd=folder, stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL, stderr=log,
                start_new_session=True)
        err_log = self.logs.new(task, 'job.err.log', link=log_path)
        self.runs[task['id']] = CwlRun(task['id'], folder, process, err_log)
        task['_jobs'] = []
        logger.info('Task %s runs in process %s (%s)', task['id'],
                    process.pid, folder)

    def _prepare(self, task, raw, container_flags, folder) -> str:
        """Write the run's folder: the app, its job order, the inputs;
        return the app's file name without ``.cwl``."""
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(os.path.join(folder, 'tmp'))
        user = self.users.get(task['_owner'])
        order = Staging(self.files, user, folder).job_order(
            task['inputs'], raw)
        if '--no-container' in container_flags:
            raw = containers_as_hints(raw)
        name = re.sub(r'[^\w.-]', '_', task['app'].split('/')[2])
        for file_name, document in ((f'{name}.cwl', raw),
                                    ('job.json', order)):
            with open(os.path.join(folder, file_name), 'w') as fp:
                json.dump(document, fp, indent=1)
        return name

    def poll(self, task: dict, clock: float) -> Optional[Outcome]:
        """Follow the run: its jobs and logs; its outcome once cwltool has
        ended."""
        run = self.runs.get(task['id'])
        if run is None:             # started before the emulator restarted
            shutil.rmtree(self._folder(task), ignore_errors=True)
            return Outcome('FAILED', 'The emulator stopped while this task '
                                     'ran.')
        ended = run.process.poll() is not None
        self._follow(run, task)
        self.logs.refresh(run.log_ids)
        if not ended or self.runs.pop(task['id'], None) is None:
            return None
        try:
            outcome = self._outcome(run, task)
        finally:
            shutil.rmtree(run.folder, ignore_errors=True)
        return outcome

    def abort(self, task: dict):
        """End the run's process tree (SIGTERM, then SIGKILL after
        :data:`TERMINATE_SECONDS`)."""
        run = self.runs.pop(task['id'], None)
        if run is None:
            return
        run.signal(signal.SIGTERM)
        run.kill_at = time.time() + TERMINATE_SECONDS
        self.stopping.append(run)

    def tick(self, clock: float):
        """Finish off aborted runs: kill those past their time, clean up
        those that ended."""
        for run in list(self.stopping):
            if run.process.poll() is None:
                if run.kill_at is not None and clock >= run.kill_at:
                    run.signal(signal.SIGKILL)
                    run.kill_at = None
                continue
            run.signal(signal.SIGKILL)      # what outlived the leader
            self.logs.refresh(run.log_ids)
            shutil.rmtree(run.folder, ignore_errors=True)
            self.stopping.remove(run)

    def shutdown(self):
        """End every run (the emulator stops)."""
        runs = list(self.runs.values()) + self.stopping
        for run in runs:
            run.signal(signal.SIGTERM)
        deadline = time.time() + TERMINATE_SECONDS
        for run in runs:
            try:
                run.process.wait(max(deadline - time.time(), 0))
            except subprocess.TimeoutExpired:
                pass
            run.signal(signal.SIGKILL)
            run.process.wait()
        self.runs.clear()
        self.stopping.clear()

    # -- following a run ------------------------------------------------------

    def _folder(self, task: dict) -> str:
        return os.path.join(self.runs_folder, task['id'])

    def _follow(self, run: CwlRun, task: dict):
        """Read the run's journal and log: new jobs, ended jobs."""
        jobs = task['_jobs']
        for line in run.read_new(JOURNAL, 'journal_offset'):
            event = json.loads(line)
            if event['event'] == 'start':
                job = self.logs.new_job(
                    task, job_name(event['name']), event['command_line'],
                    links={'stdout': event['stdout'],
                           'stderr': event['stderr']},
                    shared={'job.err.log': run.err_log})
                run.jobs[event['number']] = len(jobs)
                run.log_ids += [job['logs']['stdout'], job['logs']['stderr']]
                jobs.append(job)
            elif event['number'] in run.jobs:
                job = jobs[run.jobs[event['number']]]
                job['exit_code'] = event['exit_code']
                end_job(job, 'COMPLETED' if event['exit_code'] == 0
                        else 'FAILED')
        for line in run.read_new(CWLTOOL_LOG, 'log_offset'):
            found = JOB_ENDED.search(line)
            if found:
                for job in jobs:
                    if job['name'] == job_name(found.group(1)):
                        job['status'] = 'COMPLETED' \
                            if found.group(2) == 'success' else 'FAILED'
                        job['end_time'] = job['end_time'] or now()

    def _outcome(self, run: CwlRun, task: dict) -> Outcome:
        code = run.process.returncode
        if code == 0:
            try:
                with open(run.path(OUTPUTS), encoding='utf-8') as fp:
                    result = json.load(fp)
                files = OutputFiles(self.files, self.users, task)
                outputs = {port: _Registration(files, port).value(value)
                           for port, value in result.items()}
            except (OSError, ValueError, ApiError) as error:
                message = getattr(error, 'message', str(error))
                return Outcome('FAILED', f'The outputs could not be stored: '
                                         f'{message}')
            return Outcome('COMPLETED', 'Completed', outputs)
        return Outcome('FAILED', self._failure(run, task, code))

    def _failure(self, run: CwlRun, task: dict, code: int) -> str:
        """The message of a failed run: the failed tool's last stderr line,
        else cwltool's last error (else the last line of its log)."""
        for job in task['_jobs']:
            if job['status'] == 'FAILED' and job.get('exit_code'):
                stderr = self.files.blob_path(job['logs']['stderr'])
                line = last_line(stderr)
                message = (f'Job {job["name"]} failed (exit code '
                           f'{job["exit_code"]})')
                return f'{message}: {line}' if line else message
        log = run.path(CWLTOOL_LOG)
        return last_error(log) or last_line(log) or \
            f'cwltool ended with exit code {code}.'


class _Registration:
    """The platform files of one output of a CWL output object."""

    def __init__(self, files: OutputFiles, port: str):
        self.files = files
        self.port = port

    def value(self, value):
        """A CWL output value as a task output value: files and folders
        registered, arrays and records kept, scalars as they are."""
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if not isinstance(value, dict):
            return value
        kind = value.get('class')
        if kind == 'File':
            return self._file(value)
        if kind == 'Directory':
            return self.files.add_folder(
                self.files.folder(self.port), value['basename'],
                value['path'])
        return {key: self.value(item) for key, item in value.items()}

    def _file(self, value: dict) -> dict:
        folder = self.files.folder(self.port)
        registered = self.files.add(folder, value['basename'],
                                    source_path=value['path'])
        secondary = [self.value(item)
                     for item in value.get('secondaryFiles') or []]
        if secondary:
            registered['secondaryFiles'] = secondary
        return registered
