"""Task.wait against the emulator: tasks that end, a timeout that leaves
the task running, status callbacks, batch children."""
import pytest

from sevenbridges.emulator import Emulator
from sevenbridges.models.enums import TaskStatus
from sevenbridges.models.task import TaskWaitTimeout

APP = 'admin/sbg-public-data/fastqc-lite'


def setting(api, tmp_path, count=1):
    """A project and ``count`` small read files in it."""
    group = api.billing_groups.query()[0]
    project = api.projects.create(name='Waiting', billing_group=group)
    reads = []
    for number in range(count):
        path = tmp_path / f'reads_{number}.fastq'
        path.write_text(f'@r{number}\nACGT\n+\nIIII\n')
        reads.append(api.files.upload(str(path), project=project).result())
    return project, reads


def started(api, tmp_path, name='qc'):
    """A task of the app on one read file, run."""
    project, reads = setting(api, tmp_path)
    return api.tasks.create(name=name, project=project, app=APP,
                            inputs={'reads': reads[0]}, run=True)


def test_a_wait_sees_every_status_until_the_end(tmp_path):
    with Emulator(task_seconds=0.2) as emulator:
        api = emulator.api()
        task = started(api, tmp_path)
        seen = []
        assert task.wait(period=0.05, timeout=60,
                         on_status_change=lambda t: seen.append(t.status),
                         callback=lambda: 'done') == 'done'
        assert task.status == TaskStatus.COMPLETED
        assert seen[-1] == TaskStatus.COMPLETED
        assert TaskStatus.RUNNING in seen
        assert api.tasks.get(task.id).status == TaskStatus.COMPLETED


def test_the_default_wait_grows_its_pauses_and_returns(tmp_path):
    with Emulator(task_seconds=0.05) as emulator:
        api = emulator.api()
        task = started(api, tmp_path)
        assert task.wait() is None
        assert task.status == TaskStatus.COMPLETED
        assert task.outputs['qc_report'] is not None


def test_a_timeout_leaves_the_task_running(tmp_path):
    with Emulator(task_seconds=600) as emulator:
        api = emulator.api()
        task = started(api, tmp_path, name='long')
        with pytest.raises(TaskWaitTimeout) as info:
            task.wait(period=0.05, timeout=0.3)
        assert info.value.task is task
        assert info.value.timeout == 0.3
        assert f'Task {task.id} is still QUEUED' in str(info.value)
        again = api.tasks.get(task.id)
        assert again.status == TaskStatus.QUEUED
        again.abort()
        task.wait(timeout=10)
        assert task.status == TaskStatus.ABORTED


def test_a_batch_task_returns_when_its_children_have_ended(tmp_path):
    with Emulator(task_seconds=0.1) as emulator:
        api = emulator.api()
        project, reads = setting(api, tmp_path, count=3)
        batch = api.tasks.create(
            name='qc of all', project=project, app=APP,
            inputs={'reads': reads}, batch_input='reads',
            batch_by={'type': 'ITEM'}, run=True)
        batch.wait(timeout=60)
        assert batch.status == TaskStatus.COMPLETED
        children = list(batch.get_batch_children())
        assert len(children) == 3
        assert {child.status for child in children} == {
            TaskStatus.COMPLETED}
