"""Real execution: tasks of CWL apps run through cwltool in the emulator,
driven by the SDK over HTTP (tools on the host: ``no_container``)."""
import os
import time

import pytest

from sevenbridges.models.enums import TaskStatus
from tests.e2e.test_emulator_storage import wait_for

pytest.importorskip('cwltool', reason='real execution needs cwltool '
                                      '(the emulator-cwl extra)')

pytestmark = pytest.mark.sbg_emulator(engine='cwltool', no_container=True)


def tool(base_command, inputs=(), outputs=(), **more):
    """A CWL v1.0 CommandLineTool."""
    return dict({'cwlVersion': 'v1.0', 'class': 'CommandLineTool',
                 'baseCommand': base_command, 'inputs': list(inputs),
                 'outputs': list(outputs)}, **more)


#: ``wc -l`` of a file: its output is the number of lines.
LINE_COUNT = tool(['wc', '-l'], [{'id': 'reads', 'type': 'File'}],
                  [{'id': 'counts', 'type': 'stdout'}],
                  stdin='$(inputs.reads.path)', stdout='counts.txt',
                  label='Line count')
UPPER = tool(['tr', 'a-z', 'A-Z'], [{'id': 'text', 'type': 'File'}],
             [{'id': 'upper', 'type': 'stdout'}],
             stdin='$(inputs.text.path)', stdout='upper.txt')
BYTE_COUNT = tool(['wc', '-c'], [{'id': 'text', 'type': 'File'}],
                  [{'id': 'bytes', 'type': 'stdout'}],
                  stdin='$(inputs.text.path)', stdout='bytes.txt')
#: Two steps: upper-case a file, then count its bytes.
UPPER_THEN_COUNT = {
    'cwlVersion': 'v1.0', 'class': 'Workflow', 'label': 'Upper, count',
    'inputs': [{'id': 'text', 'type': 'File'}],
    'outputs': [
        {'id': 'upper', 'type': 'File', 'outputSource': 'upper/upper'},
        {'id': 'bytes', 'type': 'File', 'outputSource': 'count/bytes'}],
    'steps': [
        {'id': 'upper', 'run': UPPER, 'in': [{'id': 'text',
                                              'source': 'text'}],
         'out': ['upper']},
        {'id': 'count', 'run': BYTE_COUNT,
         'in': [{'id': 'text', 'source': 'upper/upper'}],
         'out': ['bytes']}]}
FAILING = tool(['sh', '-c', 'echo checking; echo "a first problem" >&2; '
                            'echo "reads.fq: not a FASTQ file" >&2; exit 1'],
               [{'id': 'reads', 'type': 'File?'}])
#: Prints the pid of a child process and its own, then waits a minute.
SLEEPER = tool(['sh', '-c', 'sleep 60 & echo $!; echo $$; wait'])
#: Outputs of several types, from the tool's ``cwl.output.json``.
TYPED = tool(['sh', '-c', '''
for n in 1 2 3; do echo "part $n" > part$n.txt; done
echo '{"parts": [{"class": "File", "location": "part1.txt"},
  {"class": "File", "location": "part2.txt"},
  {"class": "File", "location": "part3.txt"}],
  "count": 3, "ratio": 0.5, "label": "three parts", "done": true}' \
  > cwl.output.json'''], [],
    [{'id': 'parts', 'type': 'File[]'}, {'id': 'count', 'type': 'int'},
     {'id': 'ratio', 'type': 'float'}, {'id': 'label', 'type': 'string'},
     {'id': 'done', 'type': 'boolean'}])
#: Reads a BAM and its index (found next to it on the platform), writes a
#: file and its index.
INDEXED = tool(
    ['sh', '-c', 'cat "$0" "$0.bai" > both.txt; echo index > both.txt.idx'],
    [{'id': 'bam', 'type': 'File', 'secondaryFiles': ['.bai'],
      'inputBinding': {'position': 1}}],
    [{'id': 'both', 'type': 'File', 'secondaryFiles': ['.idx'],
      'outputBinding': {'glob': 'both.txt'}}])


def ended(task):
    return task.status in TaskStatus.terminal_states


def finish(task, timeout=30):
    return wait_for(task.reload, ended, timeout=timeout)


@pytest.fixture
def project(sbg_api):
    return sbg_api.projects.create(name='Real runs')


@pytest.fixture
def upload(sbg_api, project, tmp_path):
    """``upload(name, text, parent=None)``: a file of the project."""

    def upload(name, text, parent=None):
        path = tmp_path / name
        path.write_text(text)
        where = {'parent': parent} if parent else {'project': project}
        return sbg_api.files.upload(str(path), **where).result()

    return upload


def install(api, project, name, raw):
    return api.apps.install_app(id=f'{project.id}/{name}', raw=raw)


def test_a_tool_runs_on_an_uploaded_file(sbg_api, project, upload):
    reads = upload('reads.fq', '@r1\nACGT\n+\nIIII\n')
    app = install(sbg_api, project, 'line-count', LINE_COUNT)
    task = sbg_api.tasks.create('count', project, app,
                                inputs={'reads': reads}, run=True)
    task = finish(task)
    assert task.status == TaskStatus.COMPLETED, \
        task.execution_status.message
    counts = task.outputs['counts']
    assert (counts.name, counts.size) == ('counts.txt', 2)
    assert counts.content() == '4\n'
    assert counts.origin.task == task.id
    assert counts.parent == project.root_folder
    [job] = task.get_execution_details().jobs
    assert (job.name, job.status) == ('line-count', 'COMPLETED')
    assert job.command_line == 'wc -l'
    assert job.start_time and job.end_time >= job.start_time


def test_a_two_step_workflow(sbg_api, project, upload):
    text = upload('notes.txt', 'hello, cwl\n')
    app = install(sbg_api, project, 'upper-count', UPPER_THEN_COUNT)
    task = finish(sbg_api.tasks.create('two steps', project, app,
                                       inputs={'text': text}, run=True))
    assert task.status == TaskStatus.COMPLETED, \
        task.execution_status.message
    assert task.outputs['upper'].content() == 'HELLO, CWL\n'
    assert task.outputs['bytes'].content() == '11\n'
    jobs = task.get_execution_details().jobs
    assert [(job.name, job.status) for job in jobs] == \
        [('upper', 'COMPLETED'), ('count', 'COMPLETED')]
    assert jobs[0].end_time <= jobs[1].start_time
    assert (task.execution_status.steps_completed,
            task.execution_status.steps_total) == (2, 2)


def test_a_failing_tool_fails_the_task_with_its_last_stderr_line(
        sbg_api, project):
    app = install(sbg_api, project, 'checker', FAILING)
    task = finish(sbg_api.tasks.create('check', project, app, run=True))
    assert task.status == TaskStatus.FAILED
    assert task.execution_status.message == \
        'Job checker failed (exit code 1): reads.fq: not a FASTQ file'
    [job] = task.get_execution_details().jobs
    assert job.status == 'FAILED'
    assert job.logs['stdout'].content() == 'checking\n'
    assert job.logs['stderr'].content() == \
        'a first problem\nreads.fq: not a FASTQ file\n'
    assert task.outputs == {}


def _gone(pid):
    """Whether a process has ended (a zombie has)."""
    try:
        with open(f'/proc/{pid}/stat') as fp:
            return fp.read().rsplit(')', 1)[1].split()[0] == 'Z'
    except FileNotFoundError:
        return True


def sleeper_pids(api, project):
    """Run the sleeper app; the pids its job prints (the tool's child and
    its shell) once it has printed them."""
    app = install(api, project, 'sleeper', SLEEPER)
    task = api.tasks.create('long', project, app, run=True)
    logs = wait_for(
        lambda: [job.logs['stdout'].content() for job in
                 task.get_execution_details().jobs],
        lambda logs: logs and len(logs[0].split()) == 2, timeout=30)
    return task, [int(pid) for pid in logs[0].split()]


@pytest.mark.skipif(not os.path.isdir('/proc/self'), reason='reads /proc')
def test_abort_kills_the_tool_and_its_children(sbg_api, sbg_emulator,
                                               project):
    task, (child, shell) = sleeper_pids(sbg_api, project)
    assert not _gone(child) and not _gone(shell)
    task.abort()
    assert task.status == TaskStatus.ABORTED
    wait_for(lambda: (child, shell), lambda pids: all(map(_gone, pids)))
    [job] = task.get_execution_details().jobs
    assert job.status == 'ABORTED' and job.end_time
    run_folder = os.path.join(sbg_emulator.data_dir, 'runs', task.id)
    wait_for(lambda: run_folder, lambda path: not os.path.exists(path))
    assert finish(task).status == TaskStatus.ABORTED


def test_a_batch_task_runs_a_child_per_file(sbg_api, project, upload):
    files = [upload(f'sample{n}.fq', 'x\n' * n) for n in (1, 2, 3)]
    app = install(sbg_api, project, 'line-count', LINE_COUNT)
    batch = sbg_api.tasks.create(
        'count all', project, app, inputs={'reads': files},
        batch_input='reads', batch_by={'type': 'ITEM'}, run=True)
    batch = finish(batch, timeout=60)
    assert batch.status == TaskStatus.COMPLETED
    children = sorted(batch.get_batch_children(), key=lambda t: t.name)
    assert [child.status for child in children] == ['COMPLETED'] * 3
    assert [child.outputs['counts'].content() for child in children] == \
        ['1\n', '2\n', '3\n']
    # The children's outputs are all named counts.txt: renamed as on the
    # platform.
    names = sorted(child.outputs['counts'].name for child in children)
    assert names == ['_1_counts.txt', '_2_counts.txt', 'counts.txt']


#: Counts the lines of its files together.
LINES_OF_ALL = tool(['sh', '-c', 'cat "$@" | wc -l', 'count'],
                    [{'id': 'reads', 'type': 'File[]',
                      'inputBinding': {'position': 1}}],
                    [{'id': 'counts', 'type': 'stdout'}], stdout='counts.txt')


@pytest.mark.sbg_emulator(engine='cwltool', no_container=True,
                          instance_limit=1)
def test_a_batch_by_criteria_runs_a_child_per_sample(sbg_api, project,
                                                     upload):
    files = [upload(f'{sample}_{n}.fq', 'x\n' * n)
             for n, sample in ((1, 'A'), (2, 'B'), (3, 'A'))]
    for file, sample in zip(files, 'ABA'):
        file.metadata['sample_id'] = sample
        file.save()
    app = install(sbg_api, project, 'lines-of-all', LINES_OF_ALL)
    batch = sbg_api.tasks.create(
        'per sample', project, app, inputs={'reads': files},
        batch_input='reads', batch_by={'type': 'CRITERIA',
                                       'criteria': ['metadata.sample_id']},
        run=True)
    batch = finish(batch, timeout=90)
    assert batch.status == TaskStatus.COMPLETED
    children = list(batch.get_batch_children())
    assert [(child.batch_group.value, child.outputs['counts'].content())
            for child in children] == [('A', '4\n'), ('B', '2\n')]
    # One instance at a time: the second child started after the first
    # ended.
    first, second = (child.execution_status for child in children)
    assert second.queued_duration >= first.running_duration
    assert batch.price.amount == pytest.approx(
        sum(child.price.amount for child in children))


def test_outputs_go_to_the_output_location(sbg_api, project, upload):
    reads = upload('reads.fq', 'a\nb\n')
    app = install(sbg_api, project, 'line-count', LINE_COUNT)
    task = finish(sbg_api.tasks.create(
        'located', project, app, inputs={'reads': reads}, run=True,
        output_location={'main_location': '/results/run1/'}))
    counts = task.outputs['counts']
    folder = sbg_api.files.get(counts.parent)
    assert folder.name == 'run1'
    assert sbg_api.files.get(folder.parent).name == 'results'
    assert [f.name for f in folder.list_files()] == ['counts.txt']
    assert counts.content() == '2\n'


def test_outputs_keep_their_cwl_types(sbg_api, project):
    app = install(sbg_api, project, 'typed', TYPED)
    task = finish(sbg_api.tasks.create('typed', project, app, run=True))
    assert task.status == TaskStatus.COMPLETED, \
        task.execution_status.message
    parts = task.outputs['parts']
    assert [part.name for part in parts] == ['part1.txt', 'part2.txt',
                                             'part3.txt']
    assert [part.content() for part in parts] == \
        ['part 1\n', 'part 2\n', 'part 3\n']
    assert (task.outputs['count'], task.outputs['ratio'],
            task.outputs['label'], task.outputs['done']) == \
        (3, 0.5, 'three parts', True)


def test_secondary_files_in_and_out(sbg_api, project, upload):
    folder = sbg_api.files.create_folder('aligned', project=project)
    bam = upload('reads.bam', 'BAM\n', parent=folder)
    upload('reads.bam.bai', 'BAI\n', parent=folder)
    app = install(sbg_api, project, 'indexed', INDEXED)
    task = finish(sbg_api.tasks.create('index', project, app,
                                       inputs={'bam': bam}, run=True))
    assert task.status == TaskStatus.COMPLETED, \
        task.execution_status.message
    both = task.outputs['both']
    assert both.content() == 'BAM\nBAI\n'
    [index] = both.secondary_files
    index = sbg_api.files.get(index.id)
    assert (index.name, index.content()) == ('both.txt.idx', 'index\n')


def test_a_file_outside_folders_has_no_secondary_files(tmp_path):
    """A job's log is in no folder: a file of another project named as its
    secondary file would be is not taken for one."""
    from sevenbridges.emulator import wiring
    from sevenbridges.emulator.engines import EngineSettings
    from sevenbridges.emulator.engines.job_order import Staging
    from sevenbridges.emulator.state.task_logs import TaskLogs
    os.makedirs(tmp_path / 'state')
    state = wiring.build(str(tmp_path / 'state'), 'token', 0.05,
                         EngineSettings('simulated'))
    try:
        user = state.users.get('rfranklin')
        elsewhere = state.projects.create(user, {'name': 'Elsewhere'})
        state.files.add_file(elsewhere['id'], elsewhere['root_folder'],
                             'stdout.bai', b'BAI\n')
        project = state.projects.create(user, {'name': 'Logs'})
        log = TaskLogs(state.files).new({'id': 'task', 'project':
                                         project['id']}, 'stdout')
        staging = Staging(state.files, user, str(tmp_path / 'run'))
        order = staging.job_order({'bam': {'class': 'File', 'path': log}},
                                  INDEXED)
        assert 'secondaryFiles' not in order['bam']
    finally:
        state.close()


@pytest.mark.sbg_emulator(engine='cwltool', no_container=True,
                          max_parallel_runs=1)
def test_runs_wait_for_a_free_slot(sbg_api, project):
    app = install(sbg_api, project, 'sleeper', SLEEPER)
    first = sbg_api.tasks.create('first', project, app, run=True)
    second = sbg_api.tasks.create('second', project, app, run=True)
    wait_for(first.reload, lambda task: task.status == 'RUNNING')
    time.sleep(0.5)           # many runner steps: the second stays queued
    assert second.reload().status == 'QUEUED'
    first.abort()
    assert wait_for(second.reload,
                    lambda task: task.status == 'RUNNING').status == \
        'RUNNING'
    second.abort()


#: Lists a folder and copies it.
FOLDER_COPY = tool(
    ['sh', '-c', 'mkdir copy && cp "$0"/* copy/ && ls "$0"'],
    [{'id': 'samples', 'type': 'Directory',
      'inputBinding': {'position': 1}}],
    [{'id': 'listing', 'type': 'stdout'},
     {'id': 'copy', 'type': 'Directory', 'outputBinding': {'glob': 'copy'}}],
    stdout='listing.txt')


def test_folders_in_and_out(sbg_api, project, upload):
    samples = sbg_api.files.create_folder('samples', project=project)
    for name in ('a.fq', 'b.fq'):
        upload(name, f'{name}\n', parent=samples)
    app = install(sbg_api, project, 'folder-copy', FOLDER_COPY)
    task = finish(sbg_api.tasks.create('copy', project, app,
                                       inputs={'samples': samples},
                                       run=True))
    assert task.status == TaskStatus.COMPLETED, \
        task.execution_status.message
    assert task.outputs['listing'].content() == 'a.fq\nb.fq\n'
    copy = task.outputs['copy']
    assert copy.is_folder() and copy.name == 'copy'
    assert {f.name: f.content() for f in copy.list_files()} == \
        {'a.fq': 'a.fq\n', 'b.fq': 'b.fq\n'}


def test_a_run_cut_by_a_restart_fails(tmp_path):
    from sevenbridges.emulator import Emulator
    state = str(tmp_path / 'state')
    with Emulator(data_dir=state, engine='cwltool',
                  task_seconds=0.05) as emulator:
        api = emulator.api()
        project = api.projects.create(name='Restarts')
        task, pids = sleeper_pids(api, project)
    assert all(map(_gone, pids))
    with Emulator(data_dir=state, engine='cwltool') as emulator:
        task = finish(emulator.api().tasks.get(task.id))
        assert task.status == TaskStatus.FAILED
        assert task.execution_status.message == \
            'The emulator stopped while this task ran.'
        assert not os.path.exists(os.path.join(state, 'runs', task.id))


def test_an_input_of_the_wrong_kind_fails_before_the_run(
        sbg_api, sbg_emulator, project):
    folder = sbg_api.files.create_folder('samples', project=project)
    app = install(sbg_api, project, 'line-count', LINE_COUNT)
    as_a_file = {'class': 'File', 'path': folder.id}
    task = finish(sbg_api.tasks.create('count', project, app,
                                       inputs={'reads': as_a_file},
                                       run=True))
    assert task.status == TaskStatus.FAILED
    assert task.execution_status.message == \
        f'Input samples ({folder.id}) is a folder, not a file.'
    assert task.get_execution_details().jobs == []
    assert not os.path.exists(os.path.join(sbg_emulator.data_dir, 'runs',
                                           task.id))
