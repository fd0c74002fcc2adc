"""What a batch sends: the exact requests of a launch (one listing per
folder, one listing of the project's tasks with only the fields needed, a
create per row), of a watch (tasks read in bulk), a retry and an abort."""
import json

import pytest
import responses

from sevenbridges.batches import Action, BatchValidationError
from sevenbridges.batches.record import LISTING_FIELDS, marker_of
from tests.batches.conftest import COUNTER
from tests.conftest import BASE, body_of, path_of, query_of

APP = {'href': f'{BASE}/apps/u/p/counter', 'id': 'u/p/counter',
       'revision': 2, 'raw': COUNTER}
FIELDS = ','.join(LISTING_FIELDS)
ROWS = [{'sample': 's1', 'reads': 'fastq/s1.fq', 'threads': '2'},
        {'sample': 's2', 'reads': 'fastq/s2.fq', 'threads': ''}]


def item(id, name, kind='file'):
    return {'href': f'{BASE}/files/{id}', 'id': id, 'name': name,
            'type': kind}


def page(items):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


def tid(name):
    """A task id (a UUID) of a short name: ``t1``..."""
    return f'00000000-0000-4000-8000-{int(name[1:]):012d}'


T1, T2, T3, T4, T9 = (tid(name) for name in ('t1', 't2', 't3', 't4', 't9'))


def task(id, key, status, attempt=1, batch='b', **more):
    id = tid(id)
    marker = {'batch': batch, 'key': key, 'attempt': attempt}
    return dict({
        'href': f'{BASE}/tasks/{id}', 'id': id, 'name': f'{batch} - {key}',
        'status': status, 'description':
            f'Row {key} of batch {batch} (attempt {attempt}).\nsbg-batch: '
            + json.dumps(marker, sort_keys=True),
        'price': {'currency': 'USD', 'amount': 0.5},
        'created_time': '2026-01-01T00:00:00Z'}, **more)


def description(key, attempt=1):
    return (f'Row {key} of batch b (attempt {attempt}).\nsbg-batch: '
            + json.dumps({'attempt': attempt, 'batch': 'b', 'key': key}))


@pytest.fixture
def platform(mocked):
    """The app, the root of u/p (``fastq/``) and ``fastq/`` (s1, s2)."""
    mocked.get(f'{BASE}/apps/u/p/counter', json=APP)
    mocked.get(f'{BASE}/files/scroll', match=[
        responses.matchers.query_param_matcher(
            {'token': 'init', 'limit': '1000', 'fields': '_all',
             'project': 'u/p'})],
        **page([item('d1', 'fastq', 'folder')]))
    mocked.get(f'{BASE}/files/scroll', match=[
        responses.matchers.query_param_matcher(
            {'token': 'init', 'limit': '1000', 'fields': '_all',
             'parent': 'd1'})],
        **page([item('f1', 's1.fq'), item('f2', 's2.fq')]))
    return mocked


def sent(mocked):
    return [(call.request.method, path_of(call.request))
            for call in mocked.calls]


def test_a_launch_lists_each_folder_and_the_tasks_once_then_one_create_a_row(
        api, platform):
    platform.get(f'{BASE}/tasks', **page([]))
    platform.post(f'{BASE}/tasks', json=task('t1', 's1', 'DRAFT'))
    platform.post(f'{BASE}/tasks/{T1}/actions/run',
                  json=task('t1', 's1', 'QUEUED'))
    platform.post(f'{BASE}/tasks', json=task('t2', 's2', 'QUEUED'))
    launch = api.batches.launch(ROWS, app='u/p/counter', project='u/p',
                                name='b')
    assert sent(platform) == [
        ('GET', '/v2/apps/u/p/counter'), ('GET', '/v2/files/scroll'),
        ('GET', '/v2/files/scroll'), ('GET', '/v2/tasks'),
        ('POST', '/v2/tasks'), ('POST', f'/v2/tasks/{T1}/actions/run'),
        ('POST', '/v2/tasks')]
    calls = platform.calls
    assert query_of(calls[3].request) == {
        'project': ['u/p'], 'limit': ['100'], 'fields': [FIELDS]}
    # the first row is a draft first: the platform checks it
    assert query_of(calls[4].request) == {}
    assert body_of(calls[4].request) == {
        'name': 'b - s1', 'project': 'u/p', 'app': 'u/p/counter/2',
        'description': description('s1'),
        'inputs': {'reads': {'class': 'File', 'path': 'f1'}, 'threads': 2}}
    assert query_of(calls[6].request) == {'action': ['run']}
    assert body_of(calls[6].request) == {
        'name': 'b - s2', 'project': 'u/p', 'app': 'u/p/counter/2',
        'description': description('s2'),
        'inputs': {'reads': {'class': 'File', 'path': 'f2'}}}
    assert [(r.key, r.action, r.task) for r in launch.rows] == [
        ('s1', Action.CREATE, T1), ('s2', Action.CREATE, T2)]
    assert launch.problems == []


def test_a_launch_again_adopts_runs_drafts_and_relaunches_only_when_asked(
        api, platform):
    platform.get(f'{BASE}/tasks', **page([
        task('t1', 's1', 'FAILED'), task('t2', 's2', 'DRAFT', errors={}),
        {'id': T9, 'name': 'other', 'status': 'QUEUED',
         'description': 'not a batch'}]))
    platform.post(f'{BASE}/tasks/{T2}/actions/run',
                  json=task('t2', 's2', 'QUEUED'))
    launch = api.batches.launch(ROWS, app='u/p/counter', project='u/p',
                                name='b')
    assert [(r.key, r.action, r.task) for r in launch.rows] == [
        ('s1', Action.ADOPT, T1), ('s2', Action.START, T2)]
    assert sent(platform)[3:] == [('GET', '/v2/tasks'),
                                  ('POST', f'/v2/tasks/{T2}/actions/run')]

    platform.post(f'{BASE}/tasks', json=task('t3', 's1', 'QUEUED', 2))
    again = api.batches.launch(ROWS, app='u/p/counter', project='u/p',
                               name='b', relaunch=True)
    assert (again.rows[0].key, again.rows[0].action, again.rows[0].task) \
        == ('s1', Action.RELAUNCH, T3)
    create = platform.calls[-2].request
    assert body_of(create)['description'] == description('s1', 2)
    assert query_of(create) == {'action': ['run']}


def test_bad_rows_are_refused_before_any_task_request(api, platform):
    rows = ROWS + [{'sample': 's3', 'reads': 'fastq/s3.fq', 'threads': 'x'}]
    with pytest.raises(BatchValidationError) as raised:
        api.batches.launch(rows, app='u/p/counter', project='u/p', name='b')
    assert [str(p) for p in raised.value.problems] == [
        "s3: threads: 'x' is not an integer; reads: fastq/s3.fq is not in "
        "u/p"]
    assert all('/tasks' not in path for _, path in sent(platform))


def test_max_running_leaves_the_rest_as_drafts_that_carry_the_limit(
        api, platform):
    platform.get(f'{BASE}/tasks', **page([]))
    platform.post(f'{BASE}/tasks', json=task('t1', 's1', 'DRAFT'))
    platform.post(f'{BASE}/tasks/{T1}/actions/run',
                  json=task('t1', 's1', 'QUEUED'))
    platform.post(f'{BASE}/tasks', json=task('t2', 's2', 'DRAFT'))
    launch = api.batches.launch(ROWS, app='u/p/counter', project='u/p',
                                name='b', max_running=1, budget=5)
    assert launch.counts == {Action.CREATE: 1, Action.HOLD: 1}
    held = platform.calls[-1].request
    assert query_of(held) == {}
    assert marker_of(body_of(held)['description']).max_running == 1
    assert marker_of(body_of(held)['description']).budget == 5.0


def test_a_watch_reads_the_running_tasks_in_bulk(api, mocked, monkeypatch):
    monkeypatch.setattr('time.sleep', lambda seconds: None)
    listing = [task(f't{n}', f's{n:03}', 'RUNNING') for n in range(150)]
    mocked.get(f'{BASE}/tasks', **page(listing))
    mocked.post(f'{BASE}/bulk/tasks/get', json={'items': [
        {'resource': task(f't{n}', f's{n:03}', 'COMPLETED')}
        for n in range(100)]})
    mocked.post(f'{BASE}/bulk/tasks/get', json={'items': [
        {'resource': task(f't{n}', f's{n:03}', 'COMPLETED')}
        for n in range(100, 150)]})
    final = api.batches.get('b', 'u/p').watch(period=1)
    assert final.counts == {'COMPLETED': 150}
    assert sent(mocked) == [('GET', '/v2/tasks'),
                            ('POST', '/v2/bulk/tasks/get'),
                            ('POST', '/v2/bulk/tasks/get')]
    assert [len(body_of(call.request)['task_ids'])
            for call in mocked.calls[1:]] == [100, 50]
    assert final.cost().total == 75.0


def test_retry_creates_the_next_attempt_with_memoization(api, mocked):
    mocked.get(f'{BASE}/tasks', **page([task('t1', 's1', 'FAILED'),
                                        task('t2', 's2', 'COMPLETED')]))
    mocked.post(f'{BASE}/bulk/tasks/get', json={'items': [{'resource': task(
        't1', 's1', 'FAILED', app='u/p/counter/2',
        inputs={'reads': {'class': 'File', 'path': 'f1', 'name': 's1.fq'},
                'threads': 2})}]})
    mocked.post(f'{BASE}/tasks', json=task('t3', 's1', 'QUEUED', 2))
    [new] = api.batches.get('b', 'u/p').retry()
    assert new.id == T3
    create = mocked.calls[-1].request
    assert query_of(create) == {'action': ['run']}
    assert body_of(create) == {
        'name': 'b - s1', 'project': 'u/p', 'app': 'u/p/counter/2',
        'description': description('s1', 2),
        'inputs': {'reads': {'class': 'File', 'path': 'f1'}, 'threads': 2},
        'execution_settings': {'use_memoization': True}}


def test_abort_aborts_what_runs_and_deletes_waiting_drafts(api, mocked):
    mocked.get(f'{BASE}/tasks', **page([task('t1', 's1', 'RUNNING'),
                                        task('t2', 's2', 'DRAFT'),
                                        task('t3', 's3', 'COMPLETED')]))
    mocked.post(f'{BASE}/tasks/{T1}/actions/abort',
                json=task('t1', 's1', 'ABORTED'))
    mocked.delete(f'{BASE}/tasks/{T2}', status=204)
    aborted = api.batches.get('b', 'u/p').abort()
    assert [t.status for t in aborted] == ['ABORTED']
    assert sent(mocked)[1:] == [('POST', f'/v2/tasks/{T1}/actions/abort'),
                                ('DELETE', f'/v2/tasks/{T2}')]


@pytest.mark.parametrize('arguments, message', [
    ({'name': ''}, 'name must be'), ({'max_running': 0}, 'max_running'),
    ({'budget': -1}, 'budget'), ({'dry_run': 'yes'}, 'dry_run'),
    ({'project': None}, 'project is required')])
def test_bad_arguments_send_nothing(api, mocked, arguments, message):
    from sevenbridges.errors import ValidationError
    values = dict(manifest=ROWS, app='u/p/counter', project='u/p', name='b')
    values.update(arguments)
    with pytest.raises(ValidationError, match=message):
        api.batches.launch(**values)
    assert not mocked.calls


NATIVE = [{'sample': 's1', 'reads': 'a' * 24, 'threads': '2'},
          {'sample': 's2', 'reads': 'b' * 24, 'threads': '2'}]
#: The app of native batches: its ``reads`` takes a list of files.
LIST_APP = dict(APP, raw=dict(COUNTER, inputs=[
    dict(COUNTER['inputs'][0], type='File[]'), *COUNTER['inputs'][1:]]))


def test_a_native_launch_is_one_parent_task_with_criteria(api, mocked):
    mocked.get(f'{BASE}/apps/u/p/counter', json=LIST_APP)
    mocked.post(f'{BASE}/bulk/files/get', json={'items': [
        {'resource': item('a' * 24, 's1.fq')},
        {'resource': item('b' * 24, 's2.fq')}]})
    mocked.get(f'{BASE}/tasks', **page([]))
    mocked.post(f'{BASE}/tasks', json=dict(task('t1', 's1', 'RUNNING'),
                                           batch=True))
    launch = api.batches.launch(NATIVE, app='u/p/counter', project='u/p',
                                name='nat', batch_by='sample_id')
    assert sent(mocked) == [
        ('GET', '/v2/apps/u/p/counter'), ('POST', '/v2/bulk/files/get'),
        ('GET', '/v2/tasks'), ('POST', '/v2/tasks')]
    create = mocked.calls[-1].request
    assert query_of(create) == {'action': ['run']}
    assert body_of(create) == {
        'name': 'nat', 'project': 'u/p', 'app': 'u/p/counter/2',
        'batch_input': 'reads',
        'batch_by': {'type': 'CRITERIA', 'criteria': ['metadata.sample_id']},
        'description': 'Batch nat (attempt 1).\nsbg-batch: '
                       '{"attempt": 1, "batch": "nat", "key": null, '
                       '"native": true}',
        'inputs': {'reads': [{'class': 'File', 'path': 'a' * 24},
                             {'class': 'File', 'path': 'b' * 24}],
                   'threads': 2}}
    assert [(r.key, r.action, r.task) for r in launch.rows] == [
        ('nat', Action.CREATE, T1)]


def test_a_native_launch_takes_rows_that_differ_in_one_file_only(
        api, mocked):
    mocked.get(f'{BASE}/apps/u/p/counter', json=LIST_APP)
    mocked.post(f'{BASE}/bulk/files/get', json={'items': [
        {'resource': item('a' * 24, 's1.fq')},
        {'resource': item('b' * 24, 's2.fq')}]})
    rows = [NATIVE[0], dict(NATIVE[1], threads='3')]
    with pytest.raises(BatchValidationError, match='differ in one file '
                                                   'input only'):
        api.batches.launch(rows, app='u/p/counter', project='u/p',
                           name='nat', batch_by='sample_id')
    assert all('/tasks' not in path for _, path in sent(mocked))


def test_a_native_batch_is_seen_through_its_children(api, mocked):
    parent = dict(task('t1', 's1', 'RUNNING'), batch=True,
                  description='Batch nat (attempt 1).\nsbg-batch: '
                              '{"attempt": 1, "batch": "nat", "key": null, '
                              '"native": true}')
    children = [dict(task(f't{n}', 'x', status), parent=T1, batch=False,
                     description=parent['description'],
                     batch_group={'value': group, 'fields': {}})
                for n, group, status in ((2, 'p1', 'COMPLETED'),
                                         (3, 'p2', 'FAILED'))]
    retry = task('t4', 'p2', 'QUEUED', 2, batch='nat')
    mocked.get(f'{BASE}/tasks', **page([parent, *children, retry]))
    status = api.batches.get('nat', 'u/p').status()
    assert [(row.key, row.task, row.status, row.attempt)
            for row in status.rows] == [('p1', T2, 'COMPLETED', 1),
                                        ('p2', T4, 'QUEUED', 2)]
    assert status.parents == [T1]
    assert status.cost().total == 1.5


def test_a_draft_the_platform_refused_is_replaced_by_the_row(api, platform):
    platform.get(f'{BASE}/tasks', **page([
        task('t1', 's1', 'DRAFT', errors={'reads': 'File f0 not found.'}),
        task('t2', 's2', 'COMPLETED')]))
    platform.delete(f'{BASE}/tasks/{T1}', status=204)
    platform.post(f'{BASE}/tasks', json=task('t3', 's1', 'DRAFT'))
    platform.post(f'{BASE}/tasks/{T3}/actions/run',
                  json=task('t3', 's1', 'QUEUED'))
    launch = api.batches.launch(ROWS, app='u/p/counter', project='u/p',
                                name='b')
    assert sent(platform)[3:] == [
        ('GET', '/v2/tasks'), ('DELETE', f'/v2/tasks/{T1}'),
        ('POST', '/v2/tasks'), ('POST', f'/v2/tasks/{T3}/actions/run')]
    assert body_of(platform.calls[5].request)['description'] == \
        description('s1')
    assert [(r.key, r.action, r.task) for r in launch.rows] == [
        ('s1', Action.CREATE, T3), ('s2', Action.ADOPT, T2)]


def limited(id, key, status):
    """A task of a batch launched with ``max_running=1``."""
    data = task(id, key, status)
    data['description'] = data['description'].replace(
        '"attempt": 1,', '"attempt": 1, "max_running": 1,')
    return data


def test_a_watch_starts_waiting_drafts_as_the_limit_allows(
        api, mocked, monkeypatch):
    monkeypatch.setattr('time.sleep', lambda seconds: None)
    mocked.get(f'{BASE}/tasks', **page([limited('t1', 's1', 'RUNNING'),
                                        limited('t2', 's2', 'DRAFT')]))
    mocked.post(f'{BASE}/bulk/tasks/get', json={'items': [
        {'resource': limited('t1', 's1', 'COMPLETED')}]})
    mocked.post(f'{BASE}/tasks/{T2}/actions/run',
                json=limited('t2', 's2', 'QUEUED'))
    mocked.post(f'{BASE}/bulk/tasks/get', json={'items': [
        {'resource': limited('t2', 's2', 'COMPLETED')}]})
    seen = []
    final = api.batches.get('b', 'u/p').watch(
        period=1, on_round=lambda status: seen.append(dict(status.counts)))
    assert seen == [{'DRAFT': 1, 'RUNNING': 1}, {'COMPLETED': 1, 'QUEUED': 1},
                    {'COMPLETED': 2}]
    assert final.succeeded
    assert sent(mocked) == [
        ('GET', '/v2/tasks'), ('POST', '/v2/bulk/tasks/get'),
        ('POST', f'/v2/tasks/{T2}/actions/run'),
        ('POST', '/v2/bulk/tasks/get')]
    assert body_of(mocked.calls[1].request) == {'task_ids': [T1]}
    assert body_of(mocked.calls[3].request) == {'task_ids': [T2]}


def test_a_watch_gives_up_after_its_timeout(api, mocked, monkeypatch):
    from sevenbridges.models.task_wait import TaskWaitTimeout
    monkeypatch.setattr('time.sleep', lambda seconds: None)
    mocked.get(f'{BASE}/tasks', **page([task('t1', 's1', 'RUNNING')]))
    with pytest.raises(TaskWaitTimeout, match='Batch b did not end within '
                                              '0 s'):
        api.batches.get('b', 'u/p').watch(timeout=0)
    assert sent(mocked) == [('GET', '/v2/tasks')]
