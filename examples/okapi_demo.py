"""An okAPI-style recipe, end to end, on the local emulator.

Run it with ``make demo`` (or ``python examples/okapi_demo.py``): it starts
an emulator of the Seven Bridges platform on this machine, then walks the
everyday flow of a bioinformatician: who am I, a billing group, a project,
uploads with metadata and tags, a query by metadata, a public reference
file, a CWL tool and a two-step workflow installed and run on an uploaded
file, a batch task, their outputs and logs, a download checked byte for
byte, and the clean-up.

With cwltool installed (``pip install 'sevenbridges-python[emulator-cwl]'``)
the emulator runs the apps for real and the outputs are what the tools
wrote; without it the tasks are simulated (each output is a report of the
inputs) and the demo says so.
"""
import hashlib
import logging
import os
import sys
import tempfile

import sevenbridges as sbg
from sevenbridges.emulator import Emulator
from sevenbridges.emulator.engines import CWL_EXTRA, cwltool_installed
from sevenbridges.transfer.utils import simple_progress_bar

MIB = 1024 * 1024

COUNTER_CWL = {
    'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': 'Line counter',
    'baseCommand': ['wc', '-l'], 'stdin': '$(inputs.reads.path)',
    'stdout': 'line_count.txt',
    'inputs': [{'id': 'reads', 'type': 'File'}],
    'outputs': [{'id': 'counts', 'type': 'stdout'}],
}


def shell_tool(command, output):
    """A CWL tool that runs ``command`` on its input file (stdin) and keeps
    what it prints as the file ``output``."""
    return {'class': 'CommandLineTool', 'baseCommand': command,
            'stdin': '$(inputs.text.path)', 'stdout': output,
            'inputs': [{'id': 'text', 'type': 'File'}],
            'outputs': [{'id': 'result', 'type': 'stdout'}]}


#: Two steps: the sequence line of each read, then the distinct ones.
SEQUENCES_CWL = {
    'cwlVersion': 'v1.0', 'class': 'Workflow', 'label': 'Distinct reads',
    'inputs': [{'id': 'reads', 'type': 'File'}],
    'outputs': [{'id': 'distinct', 'type': 'File',
                 'outputSource': 'distinct/result'}],
    'steps': [
        {'id': 'sequences', 'in': [{'id': 'text', 'source': 'reads'}],
         'out': ['result'],
         'run': shell_tool(['awk', 'NR % 4 == 2'], 'sequences.txt')},
        {'id': 'distinct', 'in': [{'id': 'text',
                                   'source': 'sequences/result'}],
         'out': ['result'],
         'run': shell_tool(['sort', '-u'], 'distinct_sequences.txt')}],
}


def step(text):
    print(f'\n== {text}')


def sha256(path):
    digest = hashlib.sha256()
    with open(path, 'rb') as fp:
        for chunk in iter(lambda: fp.read(MIB), b''):
            digest.update(chunk)
    return digest.hexdigest()


def write_reads(folder, name, size):
    path = os.path.join(folder, name)
    line = b'@read\nACGTTGCAACGTTGCAACGTTGCA\n+\nFFFFFFFFFFFFFFFFFFFFFFFF\n'
    with open(path, 'wb') as fp:
        fp.write((line * (size // len(line) + 1))[:size])
    return path


def recipe(api, workdir):
    step('Who am I?')
    me = api.users.me()
    print(f'Logged in as {me.username} <{me.email}>')

    step('Pick a billing group')
    group = api.billing_groups.query()[0]
    print(f'{group.name}: balance {group.balance.amount} '
          f'{group.balance.currency}')

    step('Create a project')
    project = api.projects.create(name='okAPI demo', billing_group=group,
                                  description='Made by the demo recipe.')
    print(f'Created {project.id}')

    step('Upload reads (multipart, with progress)')
    uploaded = []
    for index, size in enumerate((12 * MIB + 5, 2 * MIB), start=1):
        path = write_reads(workdir, f'sample{index}.fastq', size)
        upload = api.files.upload(path, project=project, wait=False,
                                  part_size=5 * MIB)
        upload.add_progress_callback(simple_progress_bar)
        upload.start()
        upload.wait()
        file = upload.result()
        print(f'\n  {file.name}: {file.size} bytes')
        uploaded.append((file, path))

    step('Set metadata and tags')
    for index, (file, _) in enumerate(uploaded, start=1):
        file.metadata['sample_id'] = f'S{index}'
        file.metadata['platform'] = 'ILLUMINA'
        file.tags = ['raw', 'fastq']
        file.save()
        print(f'  {file.name}: {dict(file.metadata)} {file.tags}')

    step('Query files by metadata')
    found = api.files.query(project=project, metadata={'sample_id': 'S1'})
    print(f'  sample S1 -> {[file.name for file in found]}')

    step('Copy a public reference file')
    reference = api.files.query(project='admin/sbg-public-data',
                                names=['chrM_fragment.fasta'])[0]
    copy = reference.copy(project=project)
    print(f'  {copy.name} copied into {project.id}')

    step('Install a CWL tool and a two-step workflow')
    app = api.apps.install_app(id=f'{project.id}/line-counter',
                               raw=COUNTER_CWL)
    workflow = api.apps.install_app(id=f'{project.id}/distinct-reads',
                                    raw=SEQUENCES_CWL)
    for installed in (app, workflow):
        print(f'  {installed.id}, revision {installed.revision}')

    step('Run the tool and the workflow on sample2, and wait for them')
    reads = uploaded[1][0]
    task = api.tasks.create(name='count sample2', project=project, app=app,
                            inputs={'reads': reads}, run=True)
    flow = api.tasks.create(name='distinct reads of sample2',
                            project=project, app=workflow,
                            inputs={'reads': reads}, run=True)
    for started in (task, flow):
        started.wait(period=0.1)
        print(f'  {started.name}: {started.status}')
        for job in started.get_execution_details().jobs:
            print(f'    job {job.name}: {job.status}, $ {job.command_line}')

    step('Read the outputs (what the tools wrote)')
    for done, name in ((task, 'counts'), (flow, 'distinct')):
        output = done.outputs[name]
        print(f'  {output.name} ({output.size} bytes):')
        print('    ' + output.content().rstrip().replace('\n', '\n    '))

    step("Read a job's logs")
    [job] = task.get_execution_details().jobs
    for name in ('stdout', 'stderr', 'job.err.log'):
        lines = job.logs[name].content().splitlines()
        print(f'  {name}: {len(lines)} lines'
              + (f', the last: {lines[-1][:60]}' if lines else ''))

    step('Run a batch task (one child per file)')
    batch = api.tasks.create(
        name='count all samples', project=project, app=app,
        inputs={'reads': [file for file, _ in uploaded]},
        batch_input='reads', batch_by={'type': 'ITEM'}, run=True)
    batch.wait(period=0.1)
    children = sorted(batch.get_batch_children(), key=lambda t: t.name)
    print(f'  {batch.name}: {batch.status}')
    for child in children:
        last_line = child.outputs['counts'].content().splitlines()[-1]
        print(f'    {child.name}: {child.status}, {last_line[:60]}')

    step('List the outputs of the project')
    for output in api.files.query(project=project).all():
        if output.origin and output.origin.task:
            print(f'  {output.name} ({output.size} bytes)')

    step('Download a file and check its bytes')
    file, path = uploaded[0]
    target = os.path.join(workdir, 'downloaded.fastq')
    file.download(target)
    same = sha256(target) == sha256(path)
    print(f'  {target}: identical to the upload: {same}')
    if not same:
        raise SystemExit('the downloaded bytes differ')

    step('Clean up')
    for file in api.files.query(project=project).all():
        file.delete()
    project.delete()
    print(f'  {project.id} deleted')


def main():
    logging.basicConfig(level=logging.WARNING)
    print(f'sevenbridges-python {sbg.__version__}: the okAPI demo on the '
          f'local emulator')
    with Emulator(task_seconds=0.1) as emulator, \
            tempfile.TemporaryDirectory() as workdir:
        print(f'Emulator at {emulator.url} (storage {emulator.storage_url})')
        if cwltool_installed():
            print('Tasks run for real, with cwltool.')
        else:
            print(f'cwltool is not installed: tasks are simulated, each '
                  f'output a report of the inputs ({CWL_EXTRA} to run them '
                  f'for real).')
        recipe(emulator.api(), workdir)
    print('\nDone.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
