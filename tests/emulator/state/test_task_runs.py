"""The task state machine, stepped by hand on a clock of the test's own:
the limit on parallel instances, durations, prices, batch parents by
criteria following their children, simulated failures."""
import os
import threading

import pytest

from sevenbridges.emulator import wiring
from sevenbridges.emulator.engines import EngineSettings
from sevenbridges.emulator.engines.failures import TaskFailures

APP = 'admin/sbg-public-data/file-report'
ONE_FILE = 'admin/sbg-public-data/fastqc-lite'
#: task_seconds of the state: queued this long, then running this long.
PAUSE = 10
#: A step of the test's clock: a little over a pause, so that a wait of a
#: pause is over whatever the rounding of clock arithmetic.
STEP = PAUSE + 0.5


@pytest.fixture
def platform(request, tmp_path):
    """The emulated platform (no background runner, no HTTP), a limit of
    two parallel instances (unless the test's ``limit`` parameter says),
    and its failure rules."""
    os.makedirs(tmp_path / 'state')
    failures = TaskFailures()
    limit = getattr(request, 'param', 2)
    state = wiring.build(str(tmp_path / 'state'), 'token', PAUSE,
                         EngineSettings('simulated', instance_limit=limit),
                         task_failures=failures)
    state.failures = failures
    yield state
    state.close()


@pytest.fixture
def user(platform):
    return platform.users.get('rfranklin')


@pytest.fixture
def project(platform, user):
    return platform.projects.create(user, {'name': 'Runs'})


def add_reads(platform, project, name, **metadata):
    file = platform.files.add_file(project['id'], project['root_folder'],
                                   name, content=name.encode(),
                                   metadata=metadata)
    return {'class': 'File', 'path': file['id']}


def launch(platform, user, project, name, app=APP, **body):
    """A task of ``app`` run at once (of one file unless ``inputs`` say)."""
    if 'inputs' not in body:
        body['inputs'] = {'input_files': [add_reads(
            platform, project, f'{name}.fq')]}
    task = platform.tasks.create(user, dict(
        {'project': project['id'], 'app': app, 'name': name}, **body),
        run=True)
    assert task['status'] == 'QUEUED', task['errors']
    return task


def statuses(platform, tasks):
    return [platform.tasks.load(task['id'])['status'] for task in tasks]


def test_a_user_runs_at_most_the_instance_limit_the_rest_wait_in_order(
        platform, user, project):
    tasks = [launch(platform, user, project, f't{n}') for n in range(5)]
    start = tasks[-1]['_queued_at']
    platform.tasks.step(start + STEP)
    assert statuses(platform, tasks) == ['RUNNING'] * 2 + ['QUEUED'] * 3
    held = platform.tasks.load(tasks[2]['id'])['execution_status']
    assert held['account_limit'] is True
    assert 'instance limit' in held['message']
    assert platform.tasks.instance_limit(user) == {'limit': 2,
                                                   'remaining': 0}
    # The two end together; the two oldest queued tasks take their place.
    platform.tasks.step(start + 2 * STEP)
    assert statuses(platform, tasks) == ['COMPLETED'] * 2 + \
        ['RUNNING'] * 2 + ['QUEUED']
    started = platform.tasks.load(tasks[2]['id'])['execution_status']
    assert started['account_limit'] is False
    platform.tasks.step(start + 3 * STEP)
    platform.tasks.step(start + 4 * STEP)
    assert statuses(platform, tasks) == ['COMPLETED'] * 5


def test_the_limit_is_per_user(platform, user, project):
    other = platform.users.get('jwatson')
    theirs = platform.projects.create(other, {'name': 'Theirs'})
    mine = [launch(platform, user, project, f'm{n}') for n in range(3)]
    their = [launch(platform, other, theirs, f'w{n}') for n in range(2)]
    platform.tasks.step(their[-1]['_queued_at'] + PAUSE)
    assert statuses(platform, mine) == ['RUNNING', 'RUNNING', 'QUEUED']
    assert statuses(platform, their) == ['RUNNING', 'RUNNING']


def test_a_task_has_durations_and_the_price_of_its_minutes(
        platform, user, project):
    task = launch(platform, user, project, 'priced',
                  execution_settings={'instance_type': 'm5.4xlarge'})
    queued = task['_queued_at']
    platform.tasks.step(queued + PAUSE)
    platform.tasks.step(queued + 2 * PAUSE + 0.5)
    task = platform.tasks.load(task['id'])
    assert task['status'] == 'COMPLETED'
    status = task['execution_status']
    assert (status['queued_duration'], status['running_duration'],
            status['duration']) == (10000, 10500, 20500)
    # 10.5 s is one started minute at 0.768 USD an hour.
    assert task['price'] == {
        'currency': 'USD', 'amount': '0.0128',
        'breakdown': {'storage': '0.0000', 'computation': '0.0128',
                      'data_transfer': '0.0000'}}


def test_an_unknown_instance_type_is_an_error_of_the_draft(
        platform, user, project):
    task = platform.tasks.create(user, {
        'project': project['id'], 'app': APP, 'name': 'x', 'inputs': {},
        'execution_settings': {'instance_type': 'z9.huge'}})
    assert "Instance type 'z9.huge' is not available" in \
        task['errors']['execution_settings']


def test_a_batch_by_criteria_runs_a_child_per_value_and_sums_its_price(
        platform, user, project):
    reads = [add_reads(platform, project, 'a1.fq', sample_id='A'),
             add_reads(platform, project, 'b1.fq', sample_id='B'),
             add_reads(platform, project, 'a2.fq', sample_id='A'),
             add_reads(platform, project, 'x.fq')]
    parent = launch(platform, user, project, 'cohort',
                    inputs={'input_files': reads},
                    batch_input='input_files',
                    batch_by={'type': 'criteria',
                              'criteria': ['metadata.sample_id']})
    children = platform.tasks.children(parent['id'])
    assert [(child['name'], child['batch_group'],
             child['inputs']['input_files']) for child in children] == [
        ('cohort - 1', {'value': 'A', 'fields': {'metadata.sample_id': 'A'}},
         [reads[0], reads[2]]),
        ('cohort - 2', {'value': 'B', 'fields': {'metadata.sample_id': 'B'}},
         [reads[1]]),
        ('cohort - 3', {'value': '', 'fields': {'metadata.sample_id': None}},
         [reads[3]])]
    queued = parent['_queued_at']
    platform.tasks.step(queued + STEP)
    parent = platform.tasks.load(parent['id'])
    assert parent['status'] == 'RUNNING'
    assert {key: parent['execution_status'][key] for key in (
        'queued', 'running', 'completed', 'steps_completed',
        'steps_total')} == {'queued': 1, 'running': 2, 'completed': 0,
                            'steps_completed': 0, 'steps_total': 3}
    for n in (2, 3, 4):
        platform.tasks.step(queued + n * STEP)
    parent = platform.tasks.load(parent['id'])
    assert parent['status'] == 'COMPLETED'
    assert statuses(platform, children) == ['COMPLETED'] * 3
    assert parent['price']['amount'] == '0.0171'      # 3 x 0.0057


def test_criteria_need_an_array_input(platform, user, project):
    reads = add_reads(platform, project, 'a.fq', sample_id='A')
    task = platform.tasks.create(user, {
        'project': project['id'], 'app': ONE_FILE, 'name': 'x',
        'inputs': {'reads': reads}, 'batch_input': 'reads',
        'batch_by': {'type': 'CRITERIA',
                     'criteria': ['metadata.sample_id']}})
    assert task['errors'] == {'batch_input': (
        'Batching by criteria needs an array input; reads takes one '
        'value.')}


def test_a_batch_with_a_failed_child_fails(platform, user, project):
    platform.failures.add(name='mixed - 2', times=1,
                          stderr=['reading b.fq', 'b.fq: not FASTQ'])
    reads = [add_reads(platform, project, name) for name in ('a', 'b')]
    parent = launch(platform, user, project, 'mixed',
                    inputs={'input_files': reads},
                    batch_input='input_files', batch_by={'type': 'ITEM'})
    for n in (1, 2, 3):
        platform.tasks.step(parent['_queued_at'] + n * STEP)
    children = platform.tasks.children(parent['id'])
    assert statuses(platform, children) == ['COMPLETED', 'FAILED']
    failed = platform.tasks.load(children[1]['id'])
    assert failed['execution_status']['message'] == (
        'Job file-report failed (exit code 1): b.fq: not FASTQ')
    assert failed['price']['amount'] == '0.0057'
    parent = platform.tasks.load(parent['id'])
    assert (parent['status'], parent['execution_status']['failed'],
            parent['price']['amount']) == ('FAILED', 1, '0.0114')


def test_aborting_a_queued_task_costs_nothing(platform, user, project):
    task = launch(platform, user, project, 'never ran')
    task = platform.tasks.abort(user, task['id'])
    assert task['status'] == 'ABORTED'
    assert task['price']['amount'] == '0.0000'
    assert task['execution_status']['running_duration'] == 0


@pytest.mark.parametrize('platform', [250], indirect=True)
def test_a_thousand_tasks_run_in_rounds_of_the_limit_without_a_thread_each(
        platform, user, project):
    reads = add_reads(platform, project, 'r.fq')
    tasks = [launch(platform, user, project, f'row-{n:04}',
                    inputs={'input_files': [reads]}) for n in range(1000)]
    threads = set(threading.enumerate())
    clock = tasks[-1]['_queued_at']
    rounds = []
    while platform.tasks.active():
        clock += STEP
        platform.tasks.step(clock)
        rounds.append(len(platform.tasks.active(('RUNNING',))))
        assert set(threading.enumerate()) <= threads     # none started
    assert rounds == [250, 250, 250, 250, 0]
    assert set(statuses(platform, tasks)) == {'COMPLETED'}
