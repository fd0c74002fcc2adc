"""The examples in the SDK's docstrings (shown in the API reference) run
against the emulator.

Docstring examples are fragments: they use names a reader has at hand in a
session (``api``, a ``project``, some ``file``\\ s, a ``volume``, a draft
``task``...). :func:`session` makes those on a fresh emulator, and each
example runs in a copy of that namespace, in a working folder of its own.
"""
import ast
import os
import shutil
import textwrap
from pathlib import Path

import pytest

import sevenbridges

PACKAGE = Path(sevenbridges.__file__).resolve().parent
CWL = {
    'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': 'BWA-MEM',
    'inputs': [{'id': 'reads', 'type': 'File[]'}],
    'outputs': [{'id': 'aligned', 'type': 'File'}],
}


def literal_blocks(docstring):
    """The literal blocks (after a line ending in ``::``) of a docstring."""
    lines = docstring.split('\n')
    blocks = []
    for index, line in enumerate(lines):
        if not line.rstrip().endswith('::'):
            continue
        indent = len(line) - len(line.lstrip())
        body = []
        for following in lines[index + 1:]:
            if following.strip() and \
                    len(following) - len(following.lstrip()) <= indent:
                break
            body.append(following)
        code = textwrap.dedent('\n'.join(body)).strip()
        if code:
            blocks.append(code)
    return blocks


def docstring_examples():
    """``(where, code)`` of every Python example in the package's
    docstrings (the emulator's internals aside; ini examples skipped)."""
    found = []
    for path in sorted(PACKAGE.rglob('*.py')):
        relative = path.relative_to(PACKAGE.parent)
        if relative.parts[1] == 'emulator' and path.name != '__init__.py':
            continue
        tree = ast.parse(path.read_text(encoding='utf-8'))
        for node in ast.walk(tree):
            if not isinstance(node, (ast.Module, ast.ClassDef,
                                     ast.FunctionDef)):
                continue
            docstring = ast.get_docstring(node)
            for code in literal_blocks(docstring or ''):
                if code.startswith('['):          # an ini file
                    continue
                name = getattr(node, 'name', 'module')
                found.append((f'{relative}:{name}', code))
    return found


EXAMPLES = docstring_examples()


def session(api, emulator, folder):
    """The names the docstring examples use."""
    import sevenbridges as sbg
    from sevenbridges.transfer.utils import simple_progress_bar
    group = api.billing_groups.query()[0]
    project = api.projects.create(name='demo', billing_group=group)
    uploads = {}
    (folder / 'reads.fastq').write_text('@r\nACGT\n+\nIIII\n')
    for name in ('sample1.fastq', 'sample2.fastq', 'sample.bam'):
        (folder / name).write_text(f'@{name}\nACGT\n+\nIIII\n')
        uploads[name] = api.files.upload(str(folder / name),
                                         project=project).result()
        (folder / name).unlink()
    fastq1, fastq2 = uploads['sample1.fastq'], uploads['sample2.fastq']
    api.apps.install_app(id=f'{project.id}/bwa-mem', raw=CWL)
    volume = api.volumes.create_s3_volume(
        name='runs_bucket', bucket='runs-bucket', access_key_id='<ID>',
        secret_access_key='<SECRET>', access_mode='RW')
    objects = Path(emulator.data_dir) / 'buckets' / 'runs-bucket' / 'runs'
    objects.mkdir(parents=True)
    (objects / 'r1.fq').write_text('@r1\nACGT\n+\nIIII\n')
    return {
        'sbg': sbg, 'api': api, 'group': group, 'project': project,
        'file': fastq1, 'file1': fastq1, 'file2': fastq2,
        'fastq1': fastq1, 'fastq2': fastq2, 'bam': uploads['sample.bam'],
        'folder': api.files.create_folder('inbox', project=project),
        'member': project.add_member('jwatson', {'read': True}),
        'task': api.tasks.create(name='draft', project=project,
                                 app=f'{project.id}/bwa-mem',
                                 inputs={'reads': [fastq1]}),
        'volume': volume, 'cwl': CWL,
        'simple_progress_bar': simple_progress_bar,
        'upload': api.files.upload(str(folder / 'reads.fastq'),
                                   project=project, wait=False),
    }


def test_the_docstrings_have_examples():
    places = {where.split(':')[0] for where, _ in EXAMPLES}
    assert {'sevenbridges/api.py', 'sevenbridges/models/file.py',
            'sevenbridges/models/task.py', 'sevenbridges/models/volume.py',
            'sevenbridges/transfer/upload.py'} <= places


@pytest.mark.parametrize('where, code', EXAMPLES,
                         ids=[where for where, _ in EXAMPLES])
def test_docstring_example_runs(where, code, reader_setting, tmp_path):
    api = reader_setting.api()
    names = session(api, reader_setting, tmp_path)
    work = tmp_path / 'example'
    work.mkdir()
    for name in ('reads.fastq', 'qc.zip'):
        source = Path('.') / ('reads_R1.fastq' if name == 'reads.fastq'
                              else 'qc_package.zip')
        shutil.copyfile(source, work / name)
    os.chdir(work)
    try:
        exec(compile(code, where, 'exec'), dict(names))
    except Exception as error:
        raise AssertionError(f'the example of {where} fails: '
                             f'{type(error).__name__}: {error}\n{code}') \
            from error
