"""An okAPI-style recipe, end to end, on the local emulator.

Run it with ``make demo`` (or ``python examples/okapi_demo.py``): it starts
an emulator of the Seven Bridges platform on this machine, then walks the
everyday flow of a bioinformatician: who am I, a billing group, a project,
uploads with metadata and tags, a query by metadata, a public reference
file, an app installed from its CWL, a task and a batch task, their
outputs, a download checked byte for byte, and the clean-up.
"""
import hashlib
import logging
import os
import sys
import tempfile

import sevenbridges as sbg
from sevenbridges.emulator import Emulator
from sevenbridges.transfer.utils import simple_progress_bar

MIB = 1024 * 1024

COUNTER_CWL = {
    'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': 'Read counter',
    'baseCommand': ['wc', '-l'],
    'inputs': [{'id': 'reads', 'type': 'File'}],
    'outputs': [{'id': 'counts', 'type': 'File'}],
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

    step('Install an app from its CWL')
    app = api.apps.install_app(id=f'{project.id}/read-counter',
                               raw=COUNTER_CWL)
    print(f'  {app.id}, revision {app.revision}')

    step('Run a task and wait for it')
    task = api.tasks.create(name='count sample1', project=project, app=app,
                            inputs={'reads': uploaded[0][0]}, run=True)
    task.wait(period=0.1)
    print(f'  {task.name}: {task.status}')

    step('Run a batch task (one child per file)')
    batch = api.tasks.create(
        name='QC all samples', project=project,
        app='admin/sbg-public-data/fastqc-lite',
        inputs={'reads': [file for file, _ in uploaded]},
        batch_input='reads', batch_by={'type': 'ITEM'}, run=True)
    batch.wait(period=0.1)
    children = batch.get_batch_children()
    print(f'  {batch.name}: {batch.status}, children: '
          f'{[child.status for child in children]}')

    step('List the outputs')
    for output in api.files.query(project=project,
                                  origin={'task': task.id}):
        print(f'  {output.name} ({output.size} bytes)')
    counts = task.outputs['counts']
    print('  ' + counts.content().replace('\n', '\n  ').rstrip())

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
        recipe(emulator.api(), workdir)
    print('\nDone.')
    return 0


if __name__ == '__main__':
    sys.exit(main())
