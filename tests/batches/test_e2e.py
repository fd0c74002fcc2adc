"""Batches end to end: the SDK against the emulator over HTTP."""
import copy
import math
from collections import Counter

import pytest

from sevenbridges.batches import Action, BatchValidationError
from sevenbridges.models.task import Task
from tests.batches.conftest import COUNTER, api_requests, sample_rows


def creates(requests):
    return [r for r in requests if r['method'] == 'POST'
            and r['path'] == '/v2/tasks']


def test_a_thousand_rows_launch_once_and_a_second_launch_creates_nothing(
        setting, sbg_emulator):
    api, project, app = setting
    rows = sample_rows(1000)
    start = len(sbg_emulator.requests)
    launch = api.batches.launch(rows, app=app.id, project=project.id,
                                name='cohort')
    sent = api_requests(sbg_emulator, start)
    assert launch.counts == {Action.CREATE: 1000} and not launch.problems
    # the app, the root and fastq/ listed once, the tasks listed once, a
    # create per row, the first row's draft run
    assert len(creates(sent)) == 1000
    assert len(sent) == 1000 + 5
    assert [r['query'] for r in creates(sent)].count('action=run') == 999
    final = launch.batch.watch(period=0.5)
    assert final.counts == {'COMPLETED': 1000}

    start = len(sbg_emulator.requests)
    again = api.batches.launch(rows, app=app.id, project=project.id,
                               name='cohort')
    sent = api_requests(sbg_emulator, start)
    assert again.counts == {Action.ADOPT: 1000}
    assert {r['method'] for r in sent} == {'GET'}
    # the app, the files' folders (the root holds the 1,000 outputs now:
    # two pages), ten pages of tasks
    assert [r['path'] for r in sent] == [
        '/v2/apps/rfranklin/cohort/counter'] + ['/v2/files/scroll'] * 3 + \
        ['/v2/tasks'] * 10
    names = Counter(task.name for task in
                    api.tasks.query_fields(['name'], project=project.id,
                                           limit=100).all())
    assert len(names) == 1000 and set(names.values()) == {1}


@pytest.mark.sbg_emulator(task_seconds=1)
def test_status_is_read_in_bulk_while_watching(setting, sbg_emulator):
    api, project, app = setting
    launch = api.batches.launch(sample_rows(250), app=app.id,
                                project=project.id, name='cohort')
    batch = launch.batch
    rounds = []

    def on_round(status):
        rounds.append((len(sbg_emulator.requests),
                       sum(row.status in ('QUEUED', 'RUNNING')
                           for row in status.rows)))
    final = batch.watch(period=0.2, on_round=on_round)
    assert final.succeeded and final.counts == {'COMPLETED': 250}
    assert len(rounds) >= 2
    for (before, active), (after, _) in zip(rounds, rounds[1:]):
        sent = api_requests(sbg_emulator, before)[:after - before]
        assert len(sent) <= math.ceil(active / 100) + 1
        assert {r['path'] for r in sent} <= {'/v2/bulk/tasks/get'}


def test_a_launch_killed_half_way_is_finished_by_the_next(
        setting, sbg_emulator, monkeypatch):
    api, project, app = setting
    rows = sample_rows(40)
    create = Task.create.__func__
    made = []

    def killed_after_15(cls, *args, **kwargs):
        if len(made) == 15:
            raise KeyboardInterrupt
        made.append(create(cls, *args, **kwargs))
        return made[-1]
    monkeypatch.setattr(Task, 'create', classmethod(killed_after_15))
    with pytest.raises(KeyboardInterrupt):
        api.batches.launch(rows, app=app.id, project=project.id,
                           name='cohort')
    monkeypatch.undo()
    launch = api.batches.launch(rows, app=app.id, project=project.id,
                                name='cohort')
    assert launch.counts == {Action.ADOPT: 15, Action.CREATE: 25}
    adopted = {row.task for row in launch.rows if row.action == Action.ADOPT}
    assert adopted == {task.id for task in made}
    tasks = list(api.tasks.query(project=project.id).all())
    assert sorted(task.name for task in tasks) == \
        [f'cohort - {row["sample"]}' for row in rows]


def test_bad_rows_are_reported_and_nothing_launches(setting, sbg_emulator):
    api, project, app = setting
    rows = sample_rows(5) + [
        {'sample': 'x1', 'reads': 'fastq/missing.fastq', 'threads': '1'},
        {'sample': 'x2', 'reads': 's01.fastq', 'threads': 'two'},
        {'sample': 'x3', 'reads': '', 'threads': '1'}]
    start = len(sbg_emulator.requests)
    with pytest.raises(BatchValidationError) as raised:
        api.batches.launch(rows, app=app.id, project=project.id, name='c')
    assert [(p.key, p.reason) for p in raised.value.problems] == [
        ('x1', 'reads: fastq/missing.fastq is not in rfranklin/cohort'),
        ('x2', "threads: 'two' is not an integer"),
        ('x3', 'reads: a required input is empty')]
    sent = api_requests(sbg_emulator, start)
    assert all(r['method'] == 'GET' for r in sent)
    assert list(api.tasks.query(project=project.id)) == []

    partial = api.batches.launch(rows, app=app.id, project=project.id,
                                 name='c', allow_partial=True)
    assert partial.counts == {Action.CREATE: 5}
    assert [p.key for p in partial.problems] == ['x1', 'x2', 'x3']


def test_files_by_name_and_id_and_the_platform_refusing_a_row(setting):
    api, project, app = setting
    [file] = api.files.query(project=project.id, names=['fastq'])
    by_id = next(iter(file.list_files()))
    rows = [{'sample': 'a', 'reads': by_id.id},
            {'sample': 'b', 'reads': 's03.fastq'}]
    launch = api.batches.launch(rows, app=app.id, project=project.id,
                                name='n', dry_run=True)
    assert launch.counts == {Action.CREATE: 2}
    assert list(api.tasks.query(project=project.id)) == []
    launch = api.batches.launch(rows, app=app.id, project=project.id,
                                name='n')
    inputs = {row.key: api.tasks.get(row.task).inputs['reads'].name
              for row in launch.rows}
    assert inputs == {'a': by_id.name, 'b': 's03.fastq'}


def test_max_running_holds_drafts_that_watch_starts(setting, sbg_emulator):
    api, project, app = setting
    launch = api.batches.launch(sample_rows(6), app=app.id,
                                project=project.id, name='c', max_running=2)
    assert launch.counts == {Action.CREATE: 2, Action.HOLD: 4}
    batch = launch.batch
    most = []
    final = batch.watch(period=0.1, on_round=lambda status: most.append(
        sum(row.status in ('QUEUED', 'RUNNING') for row in status.rows)))
    assert final.succeeded and max(most) == 2


def test_budget_stops_new_tasks(setting):
    api, project, app = setting
    first = api.batches.launch(sample_rows(2), app=app.id,
                               project=project.id, name='c')
    first.batch.watch(period=0.1)
    spent = first.batch.cost().total
    assert spent > 0
    more = api.batches.launch(sample_rows(5), app=app.id,
                              project=project.id, name='c', budget=spent)
    assert more.counts == {Action.ADOPT: 2, Action.HOLD: 3}
    final = more.batch.watch(period=0.1)
    assert final.counts == {'COMPLETED': 2, 'DRAFT': 3}
    assert not final.succeeded


@pytest.mark.sbg_emulator(task_seconds=1)
def test_a_failed_row_shows_its_stderr_and_is_relaunched(setting):
    api, project, app = setting
    rows = sample_rows(3, files=3)
    launch = api.batches.launch(rows, app=app.id, project=project.id,
                                name='c')
    # s02's file goes away while its task waits: the simulated run fails
    [folder] = api.files.query(project=project.id, names=['fastq'])
    [gone] = [f for f in folder.list_files() if f.name == 's02.fastq']
    gone.delete()
    batch = launch.batch
    final = batch.watch(period=0.2)
    assert final.counts == {'COMPLETED': 2, 'FAILED': 1}
    assert not final.succeeded
    [failure] = batch.failures()
    assert (failure.key, failure.task, failure.job) == (
        's0002', launch.rows[2].task, 'counter')
    assert f'File {gone.id} not found' in failure.stderr

    # without relaunch the failed row is adopted; with it, a new attempt
    again = api.batches.launch(rows[:2], app=app.id, project=project.id,
                               name='c')
    assert again.counts == {Action.ADOPT: 2}
    fixed = rows[:2] + [dict(rows[2], reads='fastq/s01.fastq')]
    relaunched = api.batches.launch(fixed, app=app.id, project=project.id,
                                    name='c', relaunch=True)
    assert relaunched.counts == {Action.ADOPT: 2, Action.RELAUNCH: 1}
    final = relaunched.batch.watch(period=0.2)
    assert final.succeeded
    row = {r.key: r for r in final.rows}['s0002']
    assert (row.attempt, row.task) == (2, relaunched.rows[2].task)
    first = api.tasks.get(launch.rows[2].task)
    assert first.status == 'FAILED'      # the first attempt stays
    assert relaunched.batch.failures() == []


@pytest.mark.sbg_emulator(task_seconds=5)
def test_abort_then_retry_the_aborted_rows(setting):
    api, project, app = setting
    launch = api.batches.launch(sample_rows(4), app=app.id,
                                project=project.id, name='c', max_running=3)
    assert launch.counts == {Action.CREATE: 3, Action.HOLD: 1}
    batch = launch.batch
    aborted = batch.abort()
    assert sorted(task.id for task in aborted) == sorted(
        row.task for row in launch.rows if row.action == Action.CREATE)
    status = batch.status()
    assert status.counts == {'ABORTED': 3}     # the held draft is deleted
    assert batch.retry('FAILED') == []
    retried = batch.retry('ABORTED', max_attempts=2)
    assert len(retried) == 3
    assert all(task.field('execution_settings') == {'use_memoization': True}
               for task in retried)
    status = batch.status()
    assert status.counts == {'QUEUED': 3}
    assert {row.attempt for row in status.rows} == {2}
    batch.abort()
    assert batch.retry('ABORTED', max_attempts=2) == []


def test_outputs_collected_copied_downloaded_and_cost(setting, tmp_path):
    api, project, app = setting
    launch = api.batches.launch(sample_rows(3), app=app.id,
                                project=project.id, name='c')
    batch = launch.batch
    batch.watch(period=0.1)
    table = batch.outputs()
    assert [(r.key, r.output, r.path) for r in table] == [
        (f's000{i}', 'counts', f's000{i}/c - s000{i}.counts.txt')
        for i in range(3)]
    copies = batch.copy_outputs('results/run1')
    assert len(copies) == 3 and batch.copy_outputs('results/run1') == []
    report = batch.download_outputs(str(tmp_path / 'out'))
    assert sorted(p.relative_to(tmp_path / 'out').as_posix() for p in
                  (tmp_path / 'out').rglob('*.txt')) == \
        sorted(row.path for row in table)
    assert len(report.moved) == 3 and report.failed == []
    prices = [api.tasks.get(row.task).price.amount for row in launch.rows]
    cost = batch.cost()
    assert cost.total == pytest.approx(sum(prices))
    assert cost.mean == pytest.approx(sum(prices) / 3)
    assert len(cost.most_expensive) == 3


def native_setting(setting):
    """The setting with an app whose ``reads`` takes a list, and four
    reads of two samples (``sample_id`` ``p0`` and ``p1``): the rows."""
    api, project, _ = setting
    raw = copy.deepcopy(COUNTER)
    raw['inputs'][0]['type'] = 'File[]'
    app = api.apps.install_app(id=f'{project.id}/counter-list', raw=raw)
    [folder] = api.files.query(project=project.id, names=['fastq'])
    files = sorted(folder.list_files(), key=lambda f: f.name)[:4]
    for index, file in enumerate(files):
        file.metadata['sample_id'] = f'p{index // 2}'
        file.save()
    rows = [{'sample': f.name, 'reads': f.id, 'threads': '1'}
            for f in files]
    return api, project, app, rows


def test_a_native_batch_refuses_an_input_of_one_file(setting, sbg_emulator):
    api, project, app = setting
    rows = native_setting(setting)[3]
    before = len(sbg_emulator.requests)
    with pytest.raises(BatchValidationError, match='reads takes one file'):
        api.batches.launch(rows, app=app.id, project=project.id,
                           name='nat', batch_by='sample_id')
    assert creates(api_requests(sbg_emulator, since=before)) == []
    assert list(api.tasks.query(project=project.id).all()) == []


def test_a_native_batch_groups_files_by_metadata(setting):
    api, project, app, rows = native_setting(setting)
    launch = api.batches.launch(rows, app=app.id, project=project.id,
                                name='nat', batch_by='sample_id')
    assert launch.counts == {Action.CREATE: 1}
    final = launch.batch.watch(period=0.1)
    assert sorted(row.key for row in final.rows) == ['p0', 'p1']
    assert final.succeeded
    assert {row.key for row in launch.batch.outputs()} == {'p0', 'p1'}
    again = api.batches.launch(rows, app=app.id, project=project.id,
                               name='nat', batch_by='sample_id')
    assert again.counts == {Action.ADOPT: 1}
