"""Job logs: reading them as text and following them as they grow (HTTP
mocked: the API, and the storage the signed URLs point to)."""
from types import SimpleNamespace

import pytest

from sevenbridges import errors
from sevenbridges.models import task_wait
from sevenbridges.models.compound.jobs.job import Job
from sevenbridges.models.file import File
from sevenbridges.models.task import Task, TaskWaitTimeout
from sevenbridges.transfer.log_reader import LogReader
from tests.conftest import BASE, TOKEN, path_of

TID = '9b0a0c8e-2f4a-4c57-9a2d-1f0c6b5e8d7a'
DETAILS = f'{BASE}/tasks/{TID}/execution_details'
STORAGE = 'https://storage.test'
LOGS = {'stdout': 'aa01', 'stderr': 'aa02', 'job.err.log': 'aa03'}
SECOND_LOGS = {'stdout': 'bb01', 'stderr': 'bb02', 'job.err.log': 'bb03'}


def log_urls(files):
    return {name: f'{BASE}/files/{file_id}/download_info'
            for name, file_id in files.items()}


def job_json(status='RUNNING', name='fastqc', logs=LOGS):
    return {'name': name, 'status': status, 'start_time': '2024-01-01T00:00:00Z',
            'end_time': None if status == 'RUNNING' else
            '2024-01-01T00:01:00Z', 'command_line': 'fastqc r.fq',
            'retried': False, 'logs': log_urls(logs) if logs else {}}


def details_json(status, *jobs):
    return {'status': status, 'jobs': list(jobs)}


def signed(file_id, generation=1):
    return f'{STORAGE}/files/{file_id}?expires={generation}&signature=s'


def answer_download_info(mocked, file_id, generation=1):
    mocked.get(f'{BASE}/files/{file_id}/download_info',
               json={'url': signed(file_id, generation)})


def answer_bytes(mocked, file_id, start, data, size=None, generation=1):
    """The storage's answer to ``Range: bytes=<start>-``."""
    size = start + len(data) if size is None else size
    if data:
        mocked.get(signed(file_id, generation), status=206, body=data,
                   headers={'Content-Range':
                            f'bytes {start}-{start + len(data) - 1}/{size}'})
    else:
        mocked.get(signed(file_id, generation), status=416,
                   headers={'Content-Range': f'bytes */{size}'})


def trail(mocked):
    """``(host, path, Range header)`` of every request, in order."""
    seen = []
    for call in mocked.calls:
        request = call.request
        host = 'storage' if request.url.startswith(STORAGE) else 'api'
        seen.append((host, path_of(request), request.headers.get('Range')))
    return seen


@pytest.fixture
def clock(monkeypatch):
    sleeps = []
    now = [0.0]

    def sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds
        assert len(sleeps) < 100, 'a following that never ends'

    monkeypatch.setattr(task_wait, 'time', SimpleNamespace(
        monotonic=lambda: now[0], sleep=sleep))
    return sleeps


def a_job(api, **changes):
    return Job(api=api, **job_json(**changes))


# -- the reference's Logs view stays -------------------------------------------

def test_the_logs_view_still_gives_files(api):
    job = a_job(api)
    assert isinstance(job.logs['stdout'], File)
    assert job.logs['stdout'].id == 'aa01'
    assert job.logs['job.err.log'].id == 'aa03'
    assert job.logs['cmd.log'] is None


# -- reading -------------------------------------------------------------------

def test_read_log_asks_the_storage_for_the_bytes(api, mocked):
    answer_download_info(mocked, 'aa01')
    answer_bytes(mocked, 'aa01', 0, b'line 1\nline 2\n')
    assert a_job(api).read_log() == 'line 1\nline 2\n'
    assert trail(mocked) == [
        ('api', '/v2/files/aa01/download_info', None),
        ('storage', '/files/aa01', 'bytes=0-')]
    storage_request = mocked.calls[1].request
    assert 'X-SBG-Auth-Token' not in storage_request.headers
    assert TOKEN not in str(storage_request.headers)
    assert storage_request.headers['Accept-Encoding'] == 'identity'


def test_an_empty_log_reads_as_no_text(api, mocked):
    answer_download_info(mocked, 'aa02')
    answer_bytes(mocked, 'aa02', 0, b'', size=0)
    assert a_job(api).read_log('stderr') == ''


def test_read_log_decodes_with_the_encoding(api, mocked):
    answer_download_info(mocked, 'aa03')
    answer_bytes(mocked, 'aa03', 0, 'café\n'.encode('latin-1') + b'\xff')
    text = a_job(api).read_log('job.err.log', encoding='latin-1')
    assert text == 'café\n\xff'
    answer_bytes(mocked, 'aa03', 0, b'ok \xff\xfe')
    assert a_job(api).read_log('job.err.log') == 'ok \ufffd\ufffd'


def test_unknown_logs_and_jobs_without_logs(api, mocked):
    with pytest.raises(errors.SbgError, match=(
            "Job fastqc has no log 'cmd.log'; its logs are job.err.log, "
            "stderr, stdout.")):
        a_job(api).read_log('cmd.log')
    with pytest.raises(errors.SbgError, match='Job fastqc has no logs yet'):
        a_job(api, logs=None).read_log()
    assert len(mocked.calls) == 0


@pytest.mark.parametrize('arguments, parameter', [
    ({'name': ''}, 'name'), ({'name': 3}, 'name'),
    ({'encoding': 'no-such-codec'}, 'encoding'), ({'encoding': 8}, 'encoding'),
])
def test_bad_read_arguments_send_nothing(api, mocked, arguments, parameter):
    with pytest.raises(errors.ValidationError, match=f'^{parameter} '):
        a_job(api).read_log(**arguments)
    with pytest.raises(errors.ValidationError, match=f'^{parameter} '):
        Task(api=api, id=TID).read_log(**arguments)
    assert len(mocked.calls) == 0


def test_a_reader_reads_what_the_file_gained(api, mocked):
    answer_download_info(mocked, 'aa01')
    answer_bytes(mocked, 'aa01', 0, 'naïve '.encode()[:3])     # 'na' + half ï
    answer_bytes(mocked, 'aa01', 3, 'naïve '.encode()[3:])
    answer_bytes(mocked, 'aa01', 7, b'', size=7)
    with LogReader(api, 'aa01') as reader:
        assert reader.read() == 'na'
        assert reader.read() == 'ïve '
        assert reader.read() == ''
        assert reader.offset == 7
    assert [r for _, _, r in trail(mocked)] == [
        None, 'bytes=0-', 'bytes=3-', 'bytes=7-']


def test_an_expired_url_is_asked_for_again(api, mocked):
    answer_download_info(mocked, 'aa01', generation=1)
    mocked.get(signed('aa01', 1), status=403, json={'message': 'expired'})
    answer_download_info(mocked, 'aa01', generation=2)
    answer_bytes(mocked, 'aa01', 0, b'hello', generation=2)
    assert a_job(api).read_log() == 'hello'
    assert trail(mocked) == [
        ('api', '/v2/files/aa01/download_info', None),
        ('storage', '/files/aa01', 'bytes=0-'),
        ('api', '/v2/files/aa01/download_info', None),
        ('storage', '/files/aa01', 'bytes=0-')]


def test_a_storage_that_ignores_ranges(api, mocked):
    answer_download_info(mocked, 'aa01')
    answer_bytes(mocked, 'aa01', 0, b'abc')
    mocked.get(signed('aa01'), status=200, body=b'abcdef')
    with LogReader(api, 'aa01') as reader:
        assert (reader.read(), reader.read()) == ('abc', 'def')


def test_storage_errors_raise(api, mocked):
    answer_download_info(mocked, 'aa01')
    mocked.get(signed('aa01'), status=500, body=b'broken')
    with pytest.raises(errors.SbgError, match=(
            'Reading the log file aa01 from byte 0 failed: HTTP 500')):
        a_job(api).read_log()
    answer_bytes(mocked, 'aa01', 5, b'wrong range')
    with pytest.raises(errors.SbgError, match='HTTP 206 bytes 5-15/16'):
        a_job(api).read_log()


def test_task_read_log_picks_the_job(api, mocked):
    mocked.get(DETAILS, json=details_json(
        'COMPLETED', job_json('COMPLETED'),
        job_json('COMPLETED', name='report', logs=SECOND_LOGS)))
    answer_download_info(mocked, 'bb02')
    answer_bytes(mocked, 'bb02', 0, b'warning\n')
    task = Task(api=api, id=TID)
    assert task.read_log('stderr', job='report') == 'warning\n'
    assert trail(mocked) == [
        ('api', f'/v2/tasks/{TID}/execution_details', None),
        ('api', '/v2/files/bb02/download_info', None),
        ('storage', '/files/bb02', 'bytes=0-')]
    with pytest.raises(errors.SbgError, match=(
            f'Task {TID} has 2 jobs \\(fastqc, report\\): name one with '
            f'job=.')):
        task.read_log()
    with pytest.raises(errors.SbgError, match=(
            f"Task {TID} has no job 'bwa'; its jobs are fastqc, report.")):
        task.read_log(job='bwa')


def test_task_read_log_of_a_single_job_and_of_none(api, mocked):
    mocked.get(DETAILS, json=details_json('RUNNING', job_json(
        'FAILED', logs=SECOND_LOGS), job_json()))
    answer_download_info(mocked, 'aa01')
    answer_bytes(mocked, 'aa01', 0, b'second run\n')
    task = Task(api=api, id=TID)
    assert task.read_log() == 'second run\n'     # the last run of the job
    mocked.get(DETAILS, json=details_json('QUEUED'))
    with pytest.raises(errors.SbgError, match=f'Task {TID} has no jobs yet'):
        task.read_log()
    job = a_job(api, logs=SECOND_LOGS)
    answer_download_info(mocked, 'bb01')
    answer_bytes(mocked, 'bb01', 0, b'given\n')
    before = len(mocked.calls)
    assert task.read_log(job=job) == 'given\n'
    assert [p for _, p, _ in trail(mocked)[before:]] == [
        '/v2/files/bb01/download_info', '/files/bb01']


# -- following -----------------------------------------------------------------

def test_follow_logs_yields_the_text_as_it_grows(api, mocked, clock):
    mocked.get(DETAILS, json=details_json('QUEUED'))
    mocked.get(DETAILS, json=details_json('RUNNING', job_json()))
    mocked.get(DETAILS, json=details_json('RUNNING', job_json()))
    mocked.get(DETAILS, json=details_json('RUNNING', job_json()))
    mocked.get(DETAILS, json=details_json('COMPLETED',
                                          job_json('COMPLETED')))
    answer_download_info(mocked, 'aa01')
    answer_bytes(mocked, 'aa01', 0, b'', size=0)
    answer_bytes(mocked, 'aa01', 0, b'step 1\n')
    answer_bytes(mocked, 'aa01', 7, b'step 2\n')
    answer_bytes(mocked, 'aa01', 14, b'done\n')
    answer_bytes(mocked, 'aa01', 19, b'', size=19)
    task = Task(api=api, id=TID)
    pieces = [(job.name, text) for job, text in task.follow_logs(period=3)]
    assert pieces == [('fastqc', 'step 1\n'), ('fastqc', 'step 2\n'),
                      ('fastqc', 'done\n')]
    assert clock == [3, 3, 3, 3]
    details = ('api', f'/v2/tasks/{TID}/execution_details', None)
    assert trail(mocked) == [
        details,
        details, ('api', '/v2/files/aa01/download_info', None),
        ('storage', '/files/aa01', 'bytes=0-'),
        details, ('storage', '/files/aa01', 'bytes=0-'),
        details, ('storage', '/files/aa01', 'bytes=7-'),
        details, ('storage', '/files/aa01', 'bytes=14-'),
        ('storage', '/files/aa01', 'bytes=19-')]


def test_follow_logs_of_an_ended_task_reads_each_log_once(api, mocked, clock):
    mocked.get(DETAILS, json=details_json(
        'FAILED', job_json('COMPLETED'),
        job_json('FAILED', name='report', logs=SECOND_LOGS)))
    for file_id, text in (('aa02', b'fine\n'), ('bb02', b'boom\n')):
        answer_download_info(mocked, file_id)
        answer_bytes(mocked, file_id, 0, text)
        answer_bytes(mocked, file_id, len(text), b'', size=len(text))
    task = Task(api=api, id=TID)
    pieces = [(job.name, job.status, text)
              for job, text in task.follow_logs('stderr')]
    assert pieces == [('fastqc', 'COMPLETED', 'fine\n'),
                      ('report', 'FAILED', 'boom\n')]
    assert clock == []
    assert len(mocked.calls) == 1 + 2 * 3


def test_follow_logs_of_one_job(api, mocked, clock):
    mocked.get(DETAILS, json=details_json(
        'COMPLETED', job_json('COMPLETED'),
        job_json('COMPLETED', name='report', logs=SECOND_LOGS)))
    answer_download_info(mocked, 'bb03')
    answer_bytes(mocked, 'bb03', 0, b'platform log\n')
    answer_bytes(mocked, 'bb03', 13, b'', size=13)
    task = Task(api=api, id=TID)
    assert [text for _, text in task.follow_logs(
        'job.err.log', job='report')] == ['platform log\n']
    report = Job(api=api, **job_json('COMPLETED', name='report',
                                     logs=SECOND_LOGS))
    answer_bytes(mocked, 'bb03', 0, b'platform log\n')
    answer_bytes(mocked, 'bb03', 13, b'', size=13)
    assert [text for _, text in task.follow_logs(
        'job.err.log', job=report)] == ['platform log\n']


def test_a_following_that_times_out(api, mocked, clock):
    mocked.get(DETAILS, json=details_json('RUNNING', job_json()))
    answer_download_info(mocked, 'aa01')
    answer_bytes(mocked, 'aa01', 0, b'', size=0)
    task = Task(api=api, id=TID)
    follower = task.follow_logs(period=2, timeout=5)
    with pytest.raises(TaskWaitTimeout, match=(
            f'Task {TID} is still RUNNING after 5 s of waiting')):
        list(follower)
    assert clock == [2, 2, 1]


def test_follow_arguments_are_checked_at_the_call(api, mocked):
    task = Task(api=api, id=TID)
    for arguments, parameter in (
            ({'period': 0}, 'period'), ({'timeout': -1}, 'timeout'),
            ({'name': None}, 'name'), ({'job': 7}, 'job'),
            ({'encoding': 'nope'}, 'encoding')):
        with pytest.raises(errors.ValidationError, match=f'^{parameter} '):
            task.follow_logs(**arguments)
    with pytest.raises(errors.ValidationError, match='^period '):
        a_job(api).follow_log(period=-2)
    with pytest.raises(errors.SbgError, match='Invalid task parameter'):
        a_job(api).follow_log(task=5)
    assert len(mocked.calls) == 0


def test_job_follow_log_of_an_ended_job_needs_no_task(api, mocked, clock):
    answer_download_info(mocked, 'aa02')
    answer_bytes(mocked, 'aa02', 0, b'all of it\n')
    job = a_job(api, status='COMPLETED')
    assert list(job.follow_log('stderr')) == ['all of it\n']
    assert [p for _, p, _ in trail(mocked)] == [
        '/v2/files/aa02/download_info', '/files/aa02']


def test_job_follow_log_finds_its_task_from_the_log_file(api, mocked, clock):
    mocked.get(f'{BASE}/files/aa01', json={
        'id': 'aa01', 'name': 'stdout.log', 'origin': {'task': TID}})
    mocked.get(DETAILS, json=details_json(
        'RUNNING', job_json(), job_json(name='report', logs=SECOND_LOGS)))
    mocked.get(DETAILS, json=details_json(
        'RUNNING', job_json('COMPLETED'),
        job_json(name='report', logs=SECOND_LOGS)))
    answer_download_info(mocked, 'aa01')
    answer_bytes(mocked, 'aa01', 0, b'out\n')
    answer_bytes(mocked, 'aa01', 4, b'', size=4)
    job = a_job(api)
    assert list(job.follow_log(period=1)) == ['out\n']
    paths = [p for _, p, _ in trail(mocked)]
    assert paths[0] == '/v2/files/aa01'
    assert '/files/bb01' not in paths and clock == [1]


def test_job_follow_log_with_its_task_given(api, mocked, clock):
    mocked.get(DETAILS, json=details_json('COMPLETED',
                                          job_json('COMPLETED')))
    answer_download_info(mocked, 'aa01')
    answer_bytes(mocked, 'aa01', 0, b'out\n')
    answer_bytes(mocked, 'aa01', 4, b'', size=4)
    assert list(a_job(api).follow_log(task=TID)) == ['out\n']
    assert path_of(mocked.calls[0].request) == \
        f'/v2/tasks/{TID}/execution_details'


def test_a_job_whose_task_is_unknown(api, mocked):
    mocked.get(f'{BASE}/files/aa01', json={'id': 'aa01', 'name': 'stdout'})
    with pytest.raises(errors.SbgError, match=(
            'The task of job fastqc is not known: pass it as task=.')):
        next(a_job(api).follow_log())
