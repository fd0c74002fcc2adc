"""Many tasks through the SDK's task API against the emulator: a batch task
by metadata criteria, the limit on parallel instances, prices, and the
status of hundreds of tasks read in pages of 100."""
import time

import pytest

from sevenbridges.models.enums import TaskStatus

APP = 'admin/sbg-public-data/file-report'


@pytest.fixture
def project(sbg_api):
    return sbg_api.projects.create(name='Cohort')


def upload(api, tmp_path, project, name, **metadata):
    path = tmp_path / name
    path.write_bytes(b'@r\nACGT\n+\nIIII\n')
    file = api.files.upload(str(path), project=project).result()
    if metadata:
        file.metadata.update(metadata)
        file.save()
    return file


def test_a_batch_by_criteria_runs_a_child_per_sample_and_costs_their_sum(
        sbg_api, project, tmp_path):
    files = [upload(sbg_api, tmp_path, project, name, sample_id=sample)
             for name, sample in (('s1_L1.fq', 'S1'), ('s2_L1.fq', 'S2'),
                                  ('s1_L2.fq', 'S1'))]
    batch = sbg_api.tasks.create(
        name='cohort', project=project, app=APP,
        inputs={'input_files': files}, batch_input='input_files',
        batch_by={'type': 'CRITERIA', 'criteria': ['metadata.sample_id']},
        execution_settings={'instance_type': 'c5.4xlarge'}, run=True)
    batch.wait(period=0.05, timeout=60)
    assert (batch.status, batch.batch) == (TaskStatus.COMPLETED, True)
    children = list(batch.get_batch_children())
    assert [(child.name, child.batch_group.value,
             child.batch_group.fields, child.status) for child in children] \
        == [('cohort - 1', 'S1', {'metadata.sample_id': 'S1'}, 'COMPLETED'),
            ('cohort - 2', 'S2', {'metadata.sample_id': 'S2'}, 'COMPLETED')]
    assert [[file.id for file in child.inputs['input_files']]
            for child in children] == [[files[0].id, files[2].id],
                                       [files[1].id]]
    # A minute of c5.4xlarge (0.68 USD an hour) each, the parent their sum.
    assert [child.price.amount for child in children] == [0.0113, 0.0113]
    assert (batch.price.currency, batch.price.amount,
            batch.price.breakdown.computation) == ('USD', 0.0226, '0.0226')
    assert [job.instance.type for child in children
            for job in child.get_execution_details().jobs] == \
        ['c5.4xlarge'] * 2
    assert batch.execution_status.completed == 2
    assert batch.execution_status.steps_total == 2


@pytest.mark.sbg_emulator(task_seconds=0.5, instance_limit=3)
def test_at_most_the_instance_limit_run_the_others_wait_queued(
        sbg_api, project, tmp_path):
    reads = upload(sbg_api, tmp_path, project, 'r.fq')
    tasks = [sbg_api.tasks.create(f'row-{n}', project, APP,
                                  inputs={'input_files': [reads]}, run=True)
             for n in range(8)]
    most, held = 0, set()
    while True:
        listed = list(sbg_api.tasks.query(project=project, limit=100).all())
        running = [task for task in listed if task.status == 'RUNNING']
        most = max(most, len(running))
        held.update(task.id for task in listed if task.status == 'QUEUED'
                    and task.execution_status.account_limit)
        if all(task.status in TaskStatus.terminal_states for task in listed):
            break
        time.sleep(0.05)
    assert most == 3
    assert held and held <= {task.id for task in tasks[3:]}
    assert sbg_api.rate_limit.get().instance_limit.limit == 3
    assert {task.reload().status for task in tasks} == {'COMPLETED'}
    assert {task.price.amount for task in tasks} == {0.0057}


def test_the_status_of_500_tasks_reads_in_5_requests(sbg_emulator, sbg_api,
                                                     project):
    state = sbg_emulator.state
    user = state.users.get('rfranklin')
    made = [state.tasks.create(user, {'project': project.id, 'app': APP,
                                      'name': f'row-{n:03}'})['id']
            for n in range(500)]
    before = len(sbg_emulator.requests)
    listed = list(sbg_api.tasks.query(project=project, limit=100).all())
    assert [task.id for task in listed] == made
    assert {task.status for task in listed} == {'DRAFT'}
    read = [request for request in sbg_emulator.requests[before:]
            if request['listener'] == 'api']
    assert [request['path'] for request in read] == ['/v2/tasks'] * 5
    before = len(sbg_emulator.requests)
    records = [record for start in range(0, 500, 100)
               for record in sbg_api.tasks.bulk_get(made[start:start + 100])]
    assert [record.resource.id for record in records] == made
    assert len(sbg_emulator.requests) - before == 5
