"""Job logs through the SDK against the emulator (the convention: each job
of ``execution_details`` names ``stdout``, ``stderr`` and ``job.err.log``
by ``{api}/files/{id}/download_info``; each log is an unlisted file of the
task's project that grows while the job runs)."""
import os

import pytest

from sevenbridges.emulator import engines
from sevenbridges.errors import NotFound
from sevenbridges.models.enums import TaskStatus
from sevenbridges.models.file import File
from sevenbridges.models.task import TaskWaitTimeout
from sevenbridges.transfer.log_reader import LogReader
from tests.emulator.api.test_task_logs import GATED

LOG_NAMES = {'stdout', 'stderr', 'job.err.log'}

NOTE = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool',
        'baseCommand': ['true'], 'inputs': [{'id': 'note', 'type': 'string'}],
        'outputs': [{'id': 'report', 'type': 'File'}]}


def start(api, raw, inputs):
    """A running task of the app ``raw`` in a new project."""
    project = api.projects.create(name='Logs')
    app = api.apps.install_app(id=f'{project.id}/app', raw=raw)
    return api.tasks.create('t', project, app, inputs=inputs, run=True)


def stored_text(api, file_id):
    """A log's bytes as the plain file download gives them."""
    return b''.join(File(api=api, id=file_id).stream()).decode()


@pytest.mark.sbg_emulator(task_seconds=0.05)
def test_the_logs_of_an_ended_job_read_as_text(sbg_api, sbg_emulator):
    task = start(sbg_api, NOTE, {'note': 'hello'})
    task.wait(timeout=60)
    [job] = task.get_execution_details().jobs
    assert set(job.logs) >= LOG_NAMES
    for name in LOG_NAMES:
        log = job.logs[name]                       # the reference's view
        assert isinstance(log, File)
        assert job.field('logs')[name] == \
            f'{sbg_emulator.url}/files/{log.id}/download_info'
        text = job.read_log(name)
        assert text == stored_text(sbg_api, log.id)
        assert task.read_log(name) == text
        assert task.read_log(name, job=job.name) == text
        assert ''.join(job.follow_log(name)) == text
        assert sbg_api.files.get(log.id).origin.task == task.id
    assert "note: 'hello'" in job.read_log()
    listed = {f.id for f in sbg_api.files.query(project=task.project)}
    assert listed.isdisjoint(job.logs[name].id for name in LOG_NAMES)


@pytest.mark.sbg_emulator(task_seconds=0.05)
def test_deleting_a_project_removes_its_tasks_and_their_logs(sbg_api,
                                                            sbg_emulator):
    task = start(sbg_api, NOTE, {'note': 'short-lived'})
    task.wait(timeout=60)
    [job] = task.get_execution_details().jobs
    log_ids = [job.logs[name].id for name in sorted(LOG_NAMES)]
    state = sbg_emulator.state
    blobs = [state.files.blob_path(log_id) for log_id in log_ids]
    assert all(os.path.exists(blob) for blob in blobs)
    sbg_api.projects.get(task.project).delete()
    for log_id in log_ids:
        with pytest.raises(NotFound):
            sbg_api.files.get(log_id)
        assert state.files.find(log_id) is None
    assert not any(os.path.exists(blob) for blob in blobs)
    with pytest.raises(NotFound):
        sbg_api.tasks.get(task.id)
    assert state.tasks.of_project(task.project) == []


@pytest.mark.sbg_emulator(task_seconds=0.3)
def test_following_a_task_gives_its_whole_logs(sbg_api):
    task = start(sbg_api, NOTE, {'note': 'followed'})
    pieces = list(task.follow_logs('stdout', period=0.05, timeout=60))
    assert sbg_api.tasks.get(task.id).status == TaskStatus.COMPLETED
    assert {job.name for job, _ in pieces} == {'app'}
    followed = ''.join(text for _, text in pieces)
    assert followed == task.read_log('stdout')
    assert "note: 'followed'" in followed


@pytest.mark.sbg_emulator(task_seconds=0.3)
def test_a_job_follows_its_own_log_finding_its_task(sbg_api):
    task = start(sbg_api, NOTE, {'note': 'mine'})
    task.wait(period=0.02, timeout=60,
              on_status_change=lambda t: None)
    [job] = task.get_execution_details().jobs
    assert ''.join(job.follow_log('job.err.log')) == \
        job.read_log('job.err.log')


@pytest.mark.sbg_emulator(task_seconds=0.05)
def test_a_reader_at_the_end_gets_nothing_new(sbg_api):
    task = start(sbg_api, NOTE, {'note': 'end'})
    task.wait(timeout=60)
    [job] = task.get_execution_details().jobs
    with LogReader(sbg_api, job.logs['stdout'].id) as reader:
        whole = reader.read()
        assert whole and reader.offset == len(whole.encode())
        assert reader.read() == ''                 # 416: nothing new


@pytest.mark.sbg_emulator(task_seconds=600)
def test_a_following_with_a_timeout(sbg_api):
    task = start(sbg_api, NOTE, {'note': 'slow'})
    with pytest.raises(TaskWaitTimeout):
        list(task.follow_logs(period=0.05, timeout=0.3))
    assert sbg_api.tasks.get(task.id).status not in \
        TaskStatus.terminal_states
    task.abort()


@pytest.mark.skipif(not engines.cwltool_installed(),
                    reason='needs cwltool (emulator-cwl)')
@pytest.mark.sbg_emulator(engine='cwltool')
def test_text_arrives_while_the_job_runs(sbg_api, tmp_path):
    gate = tmp_path / 'gate'
    task = start(sbg_api, GATED, {'gate': str(gate)})
    seen = []
    for job, text in task.follow_logs('stdout', period=0.05, timeout=60):
        seen.append(text)
        if not gate.exists():
            # the job waits for the gate: this text came while it ran
            assert ''.join(seen) == 'one\n'
            assert job.status == 'RUNNING'
            gate.touch()
    assert ''.join(seen) == 'one\ntwo\n'
    assert task.reload().status == TaskStatus.COMPLETED
    assert task.read_log('stderr') == 'err-one\nerr-two\n'
