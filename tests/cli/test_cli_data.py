"""``sbg upload``, ``sbg download`` and ``sbg sync`` against the emulator:
files and trees, reports, re-runs, failures."""
import json
import os

from sevenbridges.cli import exits


def make_tree(root):
    (root / 'reads' / 'S1').mkdir(parents=True)
    (root / 'empty').mkdir()
    (root / 'notes.txt').write_text('hello\n')
    (root / 'reads' / 'S1' / 'r 1.fq').write_bytes(b'A' * 3000)
    (root / 'reads' / 'ünï.fq').write_bytes(b'')
    return root


def test_upload_files_then_again_skips_them(sbg, sbg_api, project,
                                            tmp_path):
    a, b = tmp_path / 'a.txt', tmp_path / 'b.txt'
    a.write_bytes(b'a' * 10)
    b.write_bytes(b'b' * 20)
    first = json.loads(sbg('upload', a, b, project.id, '--json').stdout)
    assert (first['moved'], first['skipped'], first['bytes_moved']) == (
        2, 0, 30)
    again = json.loads(sbg('upload', a, b, project.id, '--json').stdout)
    assert (again['moved'], again['skipped']) == (0, 2)
    a.write_bytes(b'A' * 11)
    sbg('upload', a, project.id, '--if-exists', 'overwrite')
    renamed = json.loads(sbg('upload', a, project.id, '--if-exists',
                             'rename', '--json').stdout)
    assert renamed['files'][0]['path'] == '1_a.txt'
    names = {f.name: f.size for f in sbg_api.files.query(project=project)}
    assert names == {'a.txt': 11, 'b.txt': 20, '1_a.txt': 11}


def test_upload_a_folder_needs_r_and_lands_under_its_name(
        sbg, sbg_api, project, tmp_path):
    tree = make_tree(tmp_path / 'run1')
    refused = sbg('upload', tree, project.id, code=exits.USAGE)
    assert 'is a folder: use -r' in refused.stderr
    result = sbg('upload', '-r', tree, project.id)
    assert result.stdout.startswith('upload: 3 files moved (')
    rows = sbg.json('ls', '-R', f'{project.id}/run1')
    assert sorted(r['name'] for r in rows) == [
        'empty/', 'notes.txt', 'reads/', 'reads/S1/', 'reads/S1/r 1.fq',
        'reads/ünï.fq']
    again = json.loads(sbg('upload', '-r', tree, project.id,
                           '--json').stdout)
    assert (again['moved'], again['skipped']) == (0, 3)
    assert [(f['path'], f['status'], f['size']) for f in again['files']] == [
        ('notes.txt', 'skipped', 6), ('reads/S1/r 1.fq', 'skipped', 3000),
        ('reads/ünï.fq', 'skipped', 0)]
    plan = json.loads(sbg('sync', '--dry-run', '--compare', 'size', tree,
                          f'{project.id}/run1', '--json').stdout)
    assert {(e['path'], e['action'], e['size']) for e in plan['entries']
            if e['action'] == 'skip'} == {
        ('notes.txt', 'skip', 6), ('reads/S1/r 1.fq', 'skip', 3000),
        ('reads/ünï.fq', 'skip', 0)}


def test_download_a_file_and_a_tree(sbg, sbg_api, project, tmp_path):
    tree = make_tree(tmp_path / 'run1')
    sbg('upload', '-r', tree, project.id, '--exclude', 'reads/S1/*')
    local = tmp_path / 'local'
    one = local / 'renamed.txt'
    sbg('download', f'{project.id}/run1/notes.txt', one)
    assert one.read_text() == 'hello\n'
    refused = sbg('download', f'{project.id}/run1', local, code=exits.USAGE)
    assert 'is a folder: use -r' in refused.stderr
    report = json.loads(sbg('download', '-r', f'{project.id}/run1', local,
                            '--json').stdout)
    assert report['moved'] == 2
    got = sorted(str(p.relative_to(local / 'run1')) +
                 ('/' if p.is_dir() else '')
                 for p in (local / 'run1').rglob('*'))
    remote = sorted(r['name'] for r in sbg.json('ls', '-R',
                                                 f'{project.id}/run1'))
    assert got == remote
    assert 'reads/ünï.fq' in got and 'reads/S1/r 1.fq' not in got
    by_id = sbg_api.files.query(project=project, names=['run1'])[0]
    notes = sbg_api.files.query(parent=by_id, names=['notes.txt'])[0]
    sbg('download', notes.id, local / 'by-id.txt')
    assert (local / 'by-id.txt').read_text() == 'hello\n'


def test_sync_both_ways_with_dry_run_and_delete(sbg, sbg_api, project,
                                                tmp_path):
    tree = make_tree(tmp_path / 'work')
    dest = f'{project.id}/mirror'
    missing = sbg('sync', '--dry-run', tree, dest, code=exits.NOT_FOUND)
    assert 'mirror does not exist' in missing.stderr
    sbg('sync', tree, dest)
    (tree / 'notes.txt').write_text('hello again, longer\n')
    (tree / 'new.txt').write_text('new\n')
    os.remove(tree / 'reads' / 'ünï.fq')
    plan = json.loads(sbg('sync', '--dry-run', tree, dest,
                          '--json').stdout)
    actions = {e['path']: e['action'] for e in plan['entries']}
    assert actions['notes.txt'] == 'upload'
    assert actions['new.txt'] == 'upload'
    assert actions['reads/ünï.fq'] != 'delete'
    deleting = json.loads(sbg('sync', '--dry-run', '--delete', tree, dest,
                              '--json').stdout)
    assert {e['path']: e['action'] for e in deleting['entries']}[
        'reads/ünï.fq'] == 'delete'
    done = json.loads(sbg('sync', '--delete', tree, dest, '--json').stdout)
    assert (done['moved'], len([f for f in done['files']
                                if f['status'] == 'deleted'])) == (2, 1)
    back = tmp_path / 'back'
    pulled = json.loads(sbg('sync', dest, back, '--json').stdout)
    assert pulled['moved'] == 3
    assert (back / 'notes.txt').read_text() == 'hello again, longer\n'
    assert json.loads(sbg('sync', dest, back, '--json').stdout)[
        'moved'] == 0


def test_a_failed_file_exits_5_and_names_it(sbg, sbg_emulator, project,
                                            tmp_path):
    tree = make_tree(tmp_path / 'run1')
    sbg_emulator.faults.add(listener='storage', method='PUT', status=500,
                            times=1000, path='/parts/')
    result = sbg('upload', '-r', tree, project.id, code=exits.TRANSFER)
    assert 'failed' in result.stdout
    errors = [line for line in result.stderr.splitlines()
              if line.startswith('sbg: error: ')]
    assert errors and any('r 1.fq' in line for line in errors)


def test_same_named_files_renamed_into_one_folder(sbg, sbg_api, project,
                                                  tmp_path):
    source = tmp_path / 'x.txt'
    source.write_text('root\n')
    sbg_api.files.upload(str(source), project=project).result()
    reads = sbg_api.files.create_folder('reads', project=project)
    source.write_text('reads\n')
    sbg_api.files.upload(str(source), parent=reads).result()
    local = tmp_path / 'local'
    local.mkdir()
    (local / 'x.txt').write_text('local\n')
    report = json.loads(sbg('download', f'{project.id}/x.txt',
                            f'{project.id}/reads/x.txt', local,
                            '--if-exists', 'rename', '--json').stdout)
    assert [(f['path'], f['status']) for f in report['files']] == [
        ('1_x.txt', 'moved'), ('2_x.txt', 'moved')]
    assert {p.name: p.read_text() for p in local.iterdir()} == {
        'x.txt': 'local\n', '1_x.txt': 'root\n', '2_x.txt': 'reads\n'}
