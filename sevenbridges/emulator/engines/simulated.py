"""The simulated engine: a task runs for ``task_seconds``, writes a few
lines to its job's logs (its start, its inputs, its end) and each output
of the app is a report of the inputs (names, sizes, SHA-256), so results
are deterministic. A task that a rule or an input of :mod:`.failures`
picks fails instead, with the chosen lines on its job's ``stderr``."""
import hashlib
from typing import Optional

from sevenbridges.emulator.engines.failures import asked_by_inputs
from sevenbridges.emulator.engines.outcome import Outcome, file_values
from sevenbridges.emulator.engines.outputs import OutputFiles
from sevenbridges.emulator.state.common import now
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.task_logs import instance


def _line(text: str) -> str:
    return f'{now()} {text}\n'


class SimulatedEngine:
    """Runs tasks without running anything.

    :param files: the :class:`~sevenbridges.emulator.state.files.Files`.
    :param users: the :class:`~sevenbridges.emulator.state.users.Users`.
    :param logs: the :class:`~sevenbridges.emulator.state.task_logs.TaskLogs`.
    :param task_seconds: how long a simulated run runs.
    :param failures: the :class:`~.failures.TaskFailures` it honours.
    """

    name = 'simulated'

    def __init__(self, files, users, logs, task_seconds, failures):
        self.files = files
        self.failures = failures
        self.users = users
        self.logs = logs
        self.task_seconds = task_seconds

    def can_start(self) -> bool:
        return True

    def start(self, task: dict, raw: dict, output_ids, reason: str):
        """Start the task's one job: its logs say why it is simulated and
        what its inputs are."""
        name = task['app'].split('/')[2]
        job = self.logs.new_job(task, name, f'run {task["app"]}')
        task['_jobs'] = [job]
        task['_output_ids'] = list(output_ids)
        task['_failure'] = self.failures.take(task['name']) or \
            asked_by_inputs(task['inputs'])
        machine = instance(task)
        self.logs.write(job['logs']['job.err.log'], _line(
            f'Simulated run of {task["app"]}: {reason}.') + _line(
            f'Job {name} started on instance {machine["id"]} '
            f'({machine["type"]}).'))
        user = self.users.get(task['_owner'])
        lines = []
        for port, value in sorted(task['inputs'].items()):
            files = list(file_values(value))
            if not files:
                lines.append(f'input {port}: {value!r}')
            for reference in files:
                try:
                    file = self.files.file(user, reference.get('path'))
                    lines.append(f'input {port}: {file["name"]} '
                                 f'({file["size"]} bytes)')
                except ApiError as error:
                    lines.append(f'input {port}: {error.message}')
        self.logs.write(job['logs']['stdout'], ''.join(
            _line(text) for text in lines))

    def poll(self, task: dict, clock: float) -> Optional[Outcome]:
        """The outcome once the task has run ``task_seconds``."""
        if clock - task['_started_at'] < self.task_seconds:
            return None
        job = task['_jobs'][0]
        failure = task.get('_failure')
        if failure:
            return self._fail(task, job, failure)
        try:
            outputs = self._write_outputs(task)
        except ApiError as error:
            self.logs.write(job['logs']['stderr'], _line(error.message))
            return Outcome('FAILED', error.message)
        self.logs.write(job['logs']['stdout'], ''.join(
            _line(f'output {port}: {value["name"]} ({value["size"]} bytes)')
            for port, value in outputs.items()))
        self.logs.write(job['logs']['job.err.log'],
                        _line(f'Job {job["name"]} completed.'))
        return Outcome('COMPLETED', 'Completed', outputs)

    def _fail(self, task, job, failure):
        """End the run as a failure rule says: its lines on ``stderr``."""
        self.logs.write(job['logs']['stderr'], ''.join(
            f'{text}\n' for text in failure['stderr']))
        message = (f'Job {job["name"]} failed (exit code '
                   f'{failure["exit_code"]}): {failure["stderr"][-1]}')
        self.logs.write(job['logs']['job.err.log'], _line(message))
        return Outcome('FAILED', message)

    def abort(self, task: dict):
        """Nothing runs: nothing to stop."""

    def tick(self, clock: float):
        """Nothing to look after between tasks."""

    def shutdown(self):
        """Nothing to stop."""

    def _write_outputs(self, task):
        """A report of the inputs (names, sizes, SHA-256), deterministic in
        the inputs, as every output of the app."""
        user = self.users.get(task['_owner'])
        lines = [f'# {task["app"]}: {task["name"]}']
        for name, value in sorted(task['inputs'].items()):
            files = list(file_values(value))
            if not files:
                lines.append(f'{name}\t{value}')
            for reference in files:
                file = self.files.file(user, reference.get('path'))
                if file['type'] == 'folder':
                    lines.append(f'{name}\t{file["name"]}/\tfolder')
                    continue
                sha = hashlib.sha256()
                with open(self.files.blob_path(file['id']), 'rb') as fp:
                    for chunk in iter(lambda: fp.read(1 << 20), b''):
                        sha.update(chunk)
                lines.append(f'{name}\t{file["name"]}\t{file["size"]}\t'
                             f'{sha.hexdigest()}')
        content = ('\n'.join(lines) + '\n').encode()
        files = OutputFiles(self.files, self.users, task)
        return {output: files.add(
            files.folder(output),
            f'{task["name"]}.{output}.txt'.replace('/', '_'),
            content=content) for output in task['_output_ids']}
