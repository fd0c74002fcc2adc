"""``sbg batch`` through click's runner against the emulator: the verbs,
options, ``--json`` shapes and exit statuses of the issue's contract."""
import json

import pytest

from tests.batches.conftest import sample_rows

pytest.importorskip('click')
pytest.importorskip('rich')

from tests.cli.conftest import Sbg  # noqa: E402


@pytest.fixture
def sbg(sbg_emulator):
    return Sbg(sbg_emulator)


def write_sheet(path, rows, delimiter=','):
    columns = list(rows[0])
    path.write_text('\n'.join(
        [delimiter.join(columns)] +
        [delimiter.join(str(row[c]) for c in columns) for row in rows])
        + '\n')
    return path


def test_launch_status_watch_outputs(sbg, setting, tmp_path):
    api, project, app = setting
    sheet = write_sheet(tmp_path / 'samples.tsv', sample_rows(4), '\t')
    dry = sbg('--json', 'batch', 'launch', sheet, '--app', app.id,
              '--project', project.id, '--name', 'c', '--dry-run')
    assert json.loads(dry.stdout)['counts'] == {'create': 4}
    assert list(api.tasks.query(project=project.id)) == []

    done = sbg('--json', 'batch', 'launch', sheet, '--app', app.id,
               '--project', project.id, '--name', 'c', '--max-running', '3')
    assert json.loads(done.stdout)['counts'] == {'create': 3, 'hold': 1}

    watched = sbg('--json', 'batch', 'watch', 'c', '--project', project.id,
                  '--period', '0.1')
    assert json.loads(watched.stdout)['counts'] == {'COMPLETED': 4}

    status = sbg.json('batch', 'status', 'c', '--project', project.id)
    assert set(status) == {'name', 'counts', 'rows'}
    assert status['name'] == 'c' and status['counts'] == {'COMPLETED': 4}
    assert [set(row) for row in status['rows']] == \
        [{'key', 'task', 'status', 'price', 'duration'}] * 4
    assert [row['key'] for row in status['rows']] == \
        ['s0000', 's0001', 's0002', 's0003']
    table = sbg('batch', 'status', 'c', '--project', project.id).stdout
    assert 'KEY' in table and 's0003' in table and 'COMPLETED' in table
    tsv = sbg('batch', 'status', 'c', '--project', project.id, '--tsv')
    lines = [line.split('\t') for line in tsv.stdout.splitlines()]
    assert lines[0] == ['key', 'task', 'status', 'duration', 'price']
    assert [cells[:3] for cells in lines[1:]] == [
        [row['key'], row['task'], 'COMPLETED'] for row in status['rows']]
    assert [float(cells[4]) for cells in lines[1:]] == \
        [row['price'] for row in status['rows']]

    outputs = sbg.json('batch', 'outputs', 'c', '--project', project.id,
                       '--copy-to', 'results', '--download',
                       tmp_path / 'out')
    assert [set(row) for row in outputs] == \
        [{'key', 'task', 'output', 'file', 'path'}] * 4
    assert sorted(p.name for p in (tmp_path / 'out').iterdir()) == \
        ['s0000', 's0001', 's0002', 's0003']
    [results] = api.files.query(project=project.id, names=['results'])
    assert sorted(f.name for f in results.list_files()) == \
        ['s0000', 's0001', 's0002', 's0003']

    again = sbg.json('batch', 'launch', sheet, '--app', app.id, '--project',
                     project.id, '--name', 'c')
    assert again['counts'] == {'adopt': 4}


def test_bad_rows_are_named_on_stderr_and_nothing_launches(
        sbg, setting, tmp_path):
    api, project, app = setting
    rows = sample_rows(3) + [{'sample': 'bad1', 'reads': 'fastq/nope.fq',
                              'threads': '1'},
                             {'sample': 'bad2', 'reads': 's01.fastq',
                              'threads': 'many'}]
    sheet = write_sheet(tmp_path / 'samples.csv', rows)
    result = sbg('batch', 'launch', sheet, '--app', app.id, '--project',
                 project.id, '--name', 'c', code=1)
    assert 'row bad1: reads: fastq/nope.fq is not in' in result.stderr
    assert "row bad2: threads: 'many' is not an integer" in result.stderr
    assert 'nothing was launched' in result.stderr
    assert list(api.tasks.query(project=project.id)) == []
    partial = sbg.json('batch', 'launch', sheet, '--app', app.id,
                       '--project', project.id, '--name', 'c',
                       '--allow-partial')
    assert partial['counts'] == {'create': 3}
    assert [p['key'] for p in partial['problems']] == ['bad1', 'bad2']


@pytest.mark.sbg_emulator(task_seconds=1)
def test_failures_retry_and_abort(sbg, setting, tmp_path):
    api, project, app = setting
    sheet = write_sheet(tmp_path / 'samples.csv', sample_rows(2, files=2))
    sbg('batch', 'launch', sheet, '--app', app.id, '--project', project.id,
        '--name', 'c')
    [folder] = api.files.query(project=project.id, names=['fastq'])
    [gone] = [f for f in folder.list_files() if f.name == 's01.fastq']
    gone.delete()
    sbg('batch', 'watch', 'c', '--project', project.id, '--period', '0.2',
        code=1)
    failures = sbg.json('batch', 'failures', 'c', '--project', project.id)
    assert [(f['key'], f['job']) for f in failures] == [('s0001',
                                                         'counter')]
    assert f'File {gone.id} not found' in failures[0]['stderr']
    text = sbg('batch', 'failures', 'c', '--project', project.id).stdout
    assert text.startswith('== s0001 (task ')
    retried = sbg.json('batch', 'retry', 'c', '--project', project.id,
                       '--status', 'FAILED', '--max-attempts', '2')
    # its file is gone: the platform keeps the new attempt as a draft
    assert [(row['name'], row['status']) for row in retried] == [
        ('c - s0001', 'DRAFT')]
    status = sbg.json('batch', 'status', 'c', '--project', project.id)
    assert status['counts'] == {'COMPLETED': 1, 'DRAFT': 1}
    assert sbg.json('batch', 'abort', 'c', '--project', project.id) == []
    status = sbg.json('batch', 'status', 'c', '--project', project.id)
    assert status['counts'] == {'COMPLETED': 1, 'FAILED': 1}


@pytest.mark.parametrize('verb', ['status', 'watch', 'retry', 'abort',
                                  'outputs', 'failures'])
def test_an_unknown_batch_is_not_found(sbg, setting, verb):
    api, project, app = setting
    result = sbg('batch', verb, 'nothing', '--project', project.id, code=3)
    assert result.stderr == \
        f'sbg: error: No batch nothing in {project.id}.\n'
