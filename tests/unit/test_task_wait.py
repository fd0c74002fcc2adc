"""Task.wait: the reference's polling, growing pauses, timeouts, status
callbacks and batch children (HTTP mocked, the clock faked)."""
import inspect
from pathlib import Path
from types import SimpleNamespace

import pytest

from sevenbridges import errors
from sevenbridges.models import task_wait
from sevenbridges.models.task import Task, TaskWaitTimeout
from tests.conftest import BASE, VirtualClock, path_of, query_of

TID = '9b0a0c8e-2f4a-4c57-9a2d-1f0c6b5e8d7a'
HREF = f'{BASE}/tasks/{TID}'
CHILDREN = ['1b0a0c8e-2f4a-4c57-9a2d-1f0c6b5e8d7a',
            '2b0a0c8e-2f4a-4c57-9a2d-1f0c6b5e8d7a']


def task_json(status, batch=False, **extra):
    return dict({'href': HREF, 'id': TID, 'name': 'align', 'status': status,
                 'batch': batch, 'project': 'u/p'}, **extra)


def child_json(number, status):
    return {'href': f'{BASE}/tasks/{CHILDREN[number]}',
            'id': CHILDREN[number], 'status': status, 'parent': TID}


@pytest.fixture
def clock(monkeypatch):
    clock = VirtualClock(start=1000.0, most_sleeps=100)
    monkeypatch.setattr(task_wait, 'time', SimpleNamespace(
        monotonic=clock.monotonic, sleep=clock.sleep))
    return clock


def answer_statuses(mocked, *statuses, batch=False):
    for status in statuses:
        mocked.get(HREF, json=task_json(status, batch=batch))


def task_of(api, status, batch=False):
    return Task(api=api, **task_json(status, batch=batch))


def requested(mocked):
    return [(call.request.method, path_of(call.request))
            for call in mocked.calls]


def test_the_signature_stays_the_references_with_keyword_additions():
    parameters = inspect.signature(Task.wait).parameters
    assert list(parameters)[:4] == ['self', 'period', 'callback', 'args']
    assert repr(parameters['period'].default) == '10'
    assert parameters['period'].default == 10
    for name in ('timeout', 'on_status_change'):
        assert parameters[name].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters[name].default is None


def test_without_a_period_the_pauses_grow_to_ten_seconds(api, mocked, clock):
    answer_statuses(mocked, 'QUEUED', *['RUNNING'] * 6, 'COMPLETED')
    task = task_of(api, 'QUEUED')
    assert task.wait() is None
    assert task.status == 'COMPLETED'
    assert clock.sleeps == [1, 2, 4, 8, 10, 10, 10]
    assert requested(mocked) == [('GET', f'/v2/tasks/{TID}')] * 8


def test_with_a_period_the_pauses_are_the_references(api, mocked, clock):
    answer_statuses(mocked, 'RUNNING', 'RUNNING', 'FAILED')
    task = task_of(api, 'QUEUED')
    task.wait(3)
    assert (task.status, clock.sleeps) == ('FAILED', [3, 3])
    assert len(mocked.calls) == 3
    answer_statuses(mocked, 'ABORTED')
    task = task_of(api, 'RUNNING')
    task.wait(period=10)
    assert clock.sleeps == [3, 3]      # ended at the first check
    assert task.status == 'ABORTED'


def test_a_task_that_has_ended_is_not_requested(api, mocked, clock):
    for status in ('COMPLETED', 'FAILED', 'ABORTED'):
        task = task_of(api, status, batch=True)
        assert task.wait(1, lambda: 'called') == 'called'
        assert task.wait(timeout=0) is None
    assert len(mocked.calls) == 0
    assert clock.sleeps == []


def test_the_callback_gets_the_extra_arguments(api, mocked, clock):
    answer_statuses(mocked, 'COMPLETED')
    seen = []

    def callback(*args, **kwargs):
        seen.append((args, kwargs))
        return 'result'

    task = task_of(api, 'RUNNING')
    assert task.wait(2, callback, 'a', 'b', key='value') == 'result'
    assert seen == [(('a', 'b'), {'key': 'value'})]


def test_on_status_change_sees_each_new_status(api, mocked, clock):
    answer_statuses(mocked, 'QUEUED', 'RUNNING', 'RUNNING', 'COMPLETED')
    seen = []
    task = task_of(api, 'QUEUED')
    task.wait(period=1, on_status_change=lambda t: seen.append(
        (t is task, t.status)))
    assert seen == [(True, 'RUNNING'), (True, 'COMPLETED')]


def test_a_timeout_raises_and_leaves_the_task_running(api, mocked, clock):
    answer_statuses(mocked, *['RUNNING'] * 5)
    task = task_of(api, 'QUEUED')
    with pytest.raises(TaskWaitTimeout) as info:
        task.wait(timeout=5)
    error = info.value
    assert isinstance(error, errors.SbgError)
    assert (error.task, error.timeout) == (task, 5)
    assert str(error) == (f'Task {TID} is still RUNNING after 5 s of waiting '
                          f'(the platform goes on).')
    # checks at 0, 1 and 3 s, the last pause cut short at the deadline
    assert clock.sleeps == [1, 2, 2]
    assert requested(mocked) == [('GET', f'/v2/tasks/{TID}')] * 4


def test_a_zero_timeout_checks_once(api, mocked, clock):
    answer_statuses(mocked, 'RUNNING', 'COMPLETED')
    task = task_of(api, 'QUEUED')
    with pytest.raises(TaskWaitTimeout):
        task.wait(period=5, timeout=0)
    assert (len(mocked.calls), clock.sleeps) == (1, [])
    task.wait(period=5, timeout=0)
    assert task.status == 'COMPLETED'


def test_a_task_ending_by_the_deadline_is_no_timeout(api, mocked, clock):
    answer_statuses(mocked, 'RUNNING', 'RUNNING', 'COMPLETED')
    task = task_of(api, 'QUEUED')
    assert task.wait(period=4, timeout=8, callback=lambda: 'ok') == 'ok'
    assert clock.sleeps == [4, 4]


def children_page(*statuses):
    return {'href': f'{BASE}/tasks', 'links': [],
            'items': [child_json(n, s) for n, s in enumerate(statuses)]}


def test_a_batch_task_is_waited_for_with_its_children(api, mocked, clock):
    answer_statuses(mocked, 'RUNNING', 'ABORTED', batch=True)
    mocked.get(f'{BASE}/tasks', json=children_page('ABORTED', 'RUNNING'))
    mocked.get(f'{BASE}/tasks', json=children_page('ABORTED', 'ABORTED'))
    task = task_of(api, 'RUNNING', batch=True)
    task.wait()
    assert requested(mocked) == [('GET', f'/v2/tasks/{TID}')] * 2 + \
        [('GET', '/v2/tasks')] * 2
    assert query_of(mocked.calls[2].request) == {'parent': [TID],
                                                 'fields': ['_all']}
    assert clock.sleeps == [1, 2]


def test_with_a_period_a_batch_task_alone_is_waited_for(api, mocked, clock):
    answer_statuses(mocked, 'COMPLETED', batch=True)
    task = task_of(api, 'RUNNING', batch=True)
    task.wait(period=1)
    assert requested(mocked) == [('GET', f'/v2/tasks/{TID}')]


def test_children_still_running_at_the_deadline(api, mocked, clock):
    answer_statuses(mocked, 'ABORTED', batch=True)
    mocked.get(f'{BASE}/tasks', json=children_page('RUNNING', 'ABORTED'))
    task = task_of(api, 'RUNNING', batch=True)
    with pytest.raises(TaskWaitTimeout, match=(
            f'Task {TID} has ended, but 1 of its children still run after '
            f'2 s of waiting')):
        task.wait(timeout=2)
    assert clock.sleeps == [1, 1]
    assert requested(mocked)[0] == ('GET', f'/v2/tasks/{TID}')
    assert set(requested(mocked)[1:]) == {('GET', '/v2/tasks')}


@pytest.mark.parametrize('arguments, parameter', [
    ({'period': -1}, 'period'), ({'period': 'soon'}, 'period'),
    ({'period': True}, 'period'), ({'period': float('nan')}, 'period'),
    ({'timeout': -5}, 'timeout'), ({'timeout': '1h'}, 'timeout'),
    ({'callback': 'done'}, 'callback'),
    ({'on_status_change': 3}, 'on_status_change'),
])
def test_bad_arguments_are_refused_before_any_request(
        api, mocked, clock, arguments, parameter):
    task = task_of(api, 'RUNNING')
    with pytest.raises(errors.ValidationError, match=f'^{parameter} must '):
        task.wait(**arguments)
    assert len(mocked.calls) == 0


USER_CODE = '''
import sevenbridges as sbg

api = sbg.Api()
task = api.tasks.get('9b0a0c8e-2f4a-4c57-9a2d-1f0c6b5e8d7a')
reveal_type(task.wait())
task.wait(5, print, 'done', timeout=60, on_status_change=lambda t: None)
for job, text in task.follow_logs('stderr', timeout=60):
    reveal_type(job)
    reveal_type(text)
reveal_type(task.read_log())
'''


def test_user_code_calling_wait_and_logs_type_checks(tmp_path, monkeypatch):
    mypy = pytest.importorskip('mypy.api')
    root = Path(__file__).resolve().parents[2]
    (tmp_path / 'user.py').write_text(USER_CODE)
    monkeypatch.setenv('MYPYPATH', str(root))
    out, err, _ = mypy.run([
        '--cache-dir', str(tmp_path / 'cache'), '--no-error-summary',
        str(tmp_path / 'user.py')])
    mine = [line for line in out.splitlines() if 'user.py' in line]
    revealed = [line.split('Revealed type is ')[1].strip('"')
                for line in mine if 'Revealed type' in line]
    assert [line for line in mine if ' error: ' in line] == [], out + err
    assert revealed == ['Any', 'sevenbridges.models.compound.jobs.job.Job',
                        'str', 'str']
