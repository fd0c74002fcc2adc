"""Job logs as the emulator serves them, read with plain HTTP: each job of
``execution_details`` names ``stdout``, ``stderr`` and ``job.err.log`` by
``{api}/files/{id}/download_info``; each log is a file of the task's
project that no listing shows, present from the job's start and growing
while it runs (``size`` current, ``Range: bytes=N-`` for what is new, 416
when nothing is)."""
import re

import pytest
import requests

from sevenbridges.emulator import engines
from sevenbridges.models.enums import TaskStatus
from tests.e2e.test_emulator_storage import wait_for

LOG_URL = re.compile(r'^(?P<api>http://[^/]+/v2)/files/(?P<id>[0-9a-f]+)'
                     r'/download_info$')


class Http:
    """Plain HTTP calls to the API (with the token) and to storage URLs
    (without it)."""
    def __init__(self, emulator):
        self.url = emulator.url
        self.headers = {'X-SBG-Auth-Token': emulator.token}

    def api(self, path):
        answer = requests.get(path if path.startswith('http') else
                              self.url + path, headers=self.headers)
        assert answer.status_code == 200, answer.text
        return answer.json()

    def logs(self, task_id):
        """``{log name: file id}`` of the task's only job ({} before it
        starts)."""
        jobs = self.api(f'/tasks/{task_id}/execution_details')['jobs']
        if not jobs:
            return {}
        [job] = jobs
        found = {}
        for name, url in job['logs'].items():
            match = LOG_URL.match(url)
            assert match and match.group('api') == self.url, url
            found[name] = match.group('id')
        return found

    def read(self, file_id, start=None):
        """The answer of the storage URL of a file (from ``start``)."""
        url = self.api(f'/files/{file_id}/download_info')['url']
        headers = {} if start is None else {'Range': f'bytes={start}-'}
        return requests.get(url, headers=headers)


def run(http, sbg_api, raw, inputs=None):
    """Start a task of the app ``raw`` in a new project."""
    project = sbg_api.projects.create(name='Logs')
    app = sbg_api.apps.install_app(id=f'{project.id}/app', raw=raw)
    return sbg_api.tasks.create('t', project, app, inputs=inputs or {},
                                run=True)


def assert_unlisted(sbg_api, task, log_ids):
    names = {f.name for f in sbg_api.files.query(project=task.project)}
    assert names.isdisjoint({'stdout', 'stderr', 'job.err.log'})
    found = sbg_api.files.search(f"SELECT id FROM files WHERE project = "
                                 f"'{task.project}'")
    assert {row['id'] for row in found.result_set}.isdisjoint(log_ids)


NOTE = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool',
        'baseCommand': ['true'], 'inputs': [{'id': 'note', 'type': 'string'}],
        'outputs': [{'id': 'report', 'type': 'File'}]}


@pytest.mark.sbg_emulator(task_seconds=0.5)
def test_a_simulated_job_writes_its_logs_as_it_runs(sbg_emulator, sbg_api):
    http = Http(sbg_emulator)
    task = run(http, sbg_api, NOTE, {'note': 'hello'})
    assert http.logs(task.id) == {}                  # queued: no job yet
    wait_for(task.reload, lambda t: t.status == TaskStatus.RUNNING)
    logs = http.logs(task.id)
    assert set(logs) == {'stdout', 'stderr', 'job.err.log'}
    started = http.read(logs['stdout'])
    assert started.status_code == 200
    assert started.text.endswith(" input note: 'hello'\n")
    doc = http.api(f'/files/{logs["stdout"]}')
    assert (doc['name'], doc['size'], doc['origin'], doc['project']) == \
        ('stdout', len(started.content), {'task': task.id}, task.project)
    err_log = http.read(logs['job.err.log']).text
    assert 'Simulated run of rfranklin/logs/app/0: the emulator runs every ' \
           'task with the simulated engine (engine=simulated).' in err_log
    assert http.read(logs['stderr']).content == b''
    assert http.read(logs['stdout'], len(started.content)).status_code == 416

    task = wait_for(task.reload, lambda t: t.status == TaskStatus.COMPLETED)
    assert http.logs(task.id) == logs
    grown = http.read(logs['stdout'], len(started.content))
    assert grown.status_code == 206
    assert grown.text.endswith(' output report: t.report.txt (37 bytes)\n')
    whole = http.read(logs['stdout']).content
    assert whole == started.content + grown.content
    assert http.api(f'/files/{logs["stdout"]}')['size'] == len(whole)
    assert http.read(logs['job.err.log']).text.endswith(
        ' Job app completed.\n')
    [job] = task.get_execution_details().jobs
    assert job.logs['stdout'].id == logs['stdout']   # the reference's view
    assert_unlisted(sbg_api, task, logs.values())


#: Writes a line to stdout and one to stderr, waits for its gate file to
#: exist, then writes one more of each.
GATED = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool',
         'baseCommand': ['sh', '-c', 'echo one; echo err-one >&2; '
                                     'while [ ! -e "$0" ]; do sleep 0.02; '
                                     'done; echo two; echo err-two >&2'],
         'inputs': [{'id': 'gate', 'type': 'string',
                     'inputBinding': {'position': 1}}],
         'outputs': []}


@pytest.mark.skipif(not engines.cwltool_installed(),
                    reason='needs cwltool (emulator-cwl)')
@pytest.mark.sbg_emulator(engine='cwltool')
def test_a_real_job_serves_its_logs_as_they_grow(sbg_emulator, sbg_api,
                                                 tmp_path):
    http = Http(sbg_emulator)
    gate = tmp_path / 'gate'
    task = run(http, sbg_api, GATED, {'gate': str(gate)})
    logs = wait_for(lambda: http.logs(task.id), lambda found: found and
                    http.read(found['stderr']).content == b'err-one\n',
                    timeout=30)
    assert task.reload().status == TaskStatus.RUNNING
    assert http.read(logs['stdout']).content == b'one\n'
    assert http.api(f'/files/{logs["stdout"]}')['size'] == 4
    assert http.read(logs['stdout'], 4).status_code == 416
    assert '[job app.cwl]' in http.read(logs['job.err.log']).text
    gate.touch()

    task = wait_for(task.reload, lambda t: t.status in
                    TaskStatus.terminal_states, timeout=30)
    assert task.status == TaskStatus.COMPLETED, \
        task.execution_status.message
    new = http.read(logs['stdout'], 4)
    assert (new.status_code, new.content) == (206, b'two\n')
    assert new.headers['Content-Range'] == 'bytes 4-7/8'
    assert http.read(logs['stderr']).content == b'err-one\nerr-two\n'
    assert http.api(f'/files/{logs["stderr"]}')['size'] == 16
    assert 'Final process status is success' in \
        http.read(logs['job.err.log']).text
    assert_unlisted(sbg_api, task, logs.values())
