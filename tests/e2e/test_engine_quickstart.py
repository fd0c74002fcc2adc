"""The quickstart's task section (see ``test_quickstart_seed``), call by
call, with real execution: the app is a real CWL tool that reports the
reads of its input files, run by cwltool."""
import pytest

from sevenbridges.errors import SbgError
from tests.e2e import test_quickstart_seed as quickstart
from tests.e2e.test_emulator_storage import wait_for
from tests.e2e.test_quickstart_seed import ended

# The quickstart's fixtures: its project, and two reads files in it.
my_project = quickstart.my_project
reads = quickstart.reads

pytest.importorskip('cwltool', reason='real execution needs cwltool '
                                      '(the emulator-cwl extra)')

pytestmark = pytest.mark.sbg_emulator(engine='cwltool')

READ_REPORT = 'title=report; if [ "$1" = --title ]; then title=$2; ' \
              'shift 2; fi; echo "# $title"; for f in "$@"; do ' \
              'echo "$(basename "$f") $(( $(wc -l < "$f") / 4 )) reads"; done'
FASTQC = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool',
          'label': 'FastQC', 'baseCommand': ['sh', '-c', READ_REPORT, 'qc'],
          'inputs': [{'id': 'FastQC-Reads', 'type': 'File[]',
                      'inputBinding': {'position': 2}},
                     {'id': 'somekey', 'type': 'string?',
                      'inputBinding': {'position': 1, 'prefix': '--title'}}],
          'outputs': [{'id': 'report', 'type': 'stdout'}],
          'stdout': 'report.txt'}


def test_managing_tasks_with_real_execution(sbg_api, my_project, reads):
    api = sbg_api
    api.apps.install_app(f'{my_project.id}/my-app', FASTQC)
    name = 'my-first-task'
    project = my_project.id
    app = f'{my_project.id}/my-app'
    inputs = {}
    inputs['FastQC-Reads'] = api.files.query(
        project=project, metadata={'sample': 'some-sample'})
    try:
        task = api.tasks.create(name=name, project=project, app=app,
                                inputs=inputs, run=True)
    except SbgError:
        raise AssertionError('I was unable to run the task.') from None
    task = wait_for(task.reload, ended, timeout=30)
    assert task.status == 'COMPLETED', task.execution_status.message
    report = task.outputs['report']
    assert report.name == 'report.txt'
    assert report.content() == '# report\nsome-sample.fastq 1 reads\n'
    details = task.get_execution_details()
    assert details.status == 'COMPLETED'
    assert [job.name for job in details.jobs] == ['my-app']

    old_task = api.tasks.get(task.id)
    new_task = old_task.clone(run=False)
    new_task.inputs['somekey'] = 'new value'
    new_task.save()
    new_task.run()
    new_task = wait_for(new_task.reload, ended, timeout=30)
    assert new_task.inputs['somekey'] == 'new value'
    assert new_task.outputs['report'].name == '_1_report.txt'
    assert new_task.outputs['report'].content().startswith('# new value\n')

    inputs['FastQC-Reads'] = api.files.query(project=project)
    batch_by = {'type': 'item'}
    batch_input = 'FastQC-Reads'
    try:
        task = api.tasks.create(name=name, project=project, app=app,
                                inputs=inputs, batch_input=batch_input,
                                batch_by=batch_by, run=True)
    except SbgError:
        raise AssertionError('I was unable to run a batch task.') from None
    task = wait_for(task.reload, ended, timeout=60)
    assert task.status == 'COMPLETED' and task.batch
    children = task.get_batch_children()
    assert len(children) == len(inputs['FastQC-Reads']) == 4
    assert {child.status for child in children} == {'COMPLETED'}
    completed = api.tasks.query(project=project, status='COMPLETED',
                                order_by='created_time', order='asc')
    assert [t.name for t in completed][:2] == [name, name]
    assert len(completed) == 3 + len(inputs['FastQC-Reads'])

    draft = api.tasks.create(name='draft', project=project, app=app,
                             inputs={'FastQC-Reads': reads})
    draft.delete()
    running = api.tasks.create(name='long', project=project, app=app,
                               inputs={'FastQC-Reads': reads}, run=True)
    running.abort()
    assert running.reload().status == 'ABORTED'
