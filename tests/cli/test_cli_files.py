"""``sbg projects create``, ``mkdir``, ``rm``, ``cp``, ``mv`` and ``cat``
against the emulator: output, exit status and the platform's state after;
bad input fails with its status and changes nothing."""
import json
import os

import pytest

from sevenbridges.cli import exits

SECOND_GROUP = {'billing_groups': [{'name': 'Second Grant',
                                    'owner': 'rfranklin'}]}
NEWCOMER = {'users': [{'username': 'newcomer', 'email': 'new@example.org',
                       'token': 'newcomer-token'}]}


def listing(api, project, parent=None):
    """``{name: (type, size, id)}`` of a project's root or a folder."""
    where = {'parent': parent} if parent is not None else {'project': project}
    return {f.name: (f.type, f.size, f.id)
            for f in api.files.query(**where).all()}


def put(api, tmp_path, content, name, **where):
    source = tmp_path / 'source'
    source.write_bytes(content)
    return api.files.upload(str(source), file_name=name, **where).result()


def content_of(sbg, path):
    return sbg('cat', path).stdout_bytes


def storage_requests(emulator):
    return [r for r in emulator.requests if r['listener'] == 'storage']


# -- projects create ----------------------------------------------------------

def test_projects_create_with_the_users_one_billing_group(sbg, sbg_api):
    group = sbg_api.billing_groups.query()[0]
    made = sbg.json('projects', 'create', 'My Study', '--description',
                    'Pilot')
    assert (made['id'], made['name'], made['billing_group'],
            made['description']) == ('rfranklin/my-study', 'My Study',
                                     group.id, 'Pilot')
    assert sbg_api.projects.get('rfranklin/my-study').billing_group == \
        group.id
    shown = sbg('projects', 'create', 'My Study').stdout
    assert 'id:' in shown and 'rfranklin/my-study-1' in shown
    assert {'rfranklin/my-study', 'rfranklin/my-study-1'} <= {
        row['id'] for row in sbg.json('projects', 'ls')}


@pytest.mark.sbg_emulator(preload=SECOND_GROUP)
def test_projects_create_asks_which_of_several_billing_groups(sbg,
                                                              sbg_api):
    groups = {g.name: g.id for g in sbg_api.billing_groups.query().all()}
    refused = sbg('projects', 'create', 'pilot', code=exits.USAGE)
    assert refused.stderr.startswith('sbg: error: you have 2 billing '
                                     'groups: pass --billing-group, one of ')
    assert len(refused.stderr.splitlines()) == 1
    assert all(group_id in refused.stderr for group_id in groups.values())
    assert not list(sbg_api.projects.query(name='pilot').all())
    made = sbg.json('projects', 'create', 'pilot', '--billing-group',
                    groups['Second Grant'])
    assert made['billing_group'] == groups['Second Grant']


@pytest.mark.sbg_emulator(preload=NEWCOMER)
def test_projects_create_without_a_billing_group(sbg):
    refused = sbg('--token', 'newcomer-token', 'projects', 'create', 'x',
                  code=exits.ERROR)
    assert refused.stderr == ('sbg: error: you have no billing group to '
                              'pay for a project\n')


# -- mkdir --------------------------------------------------------------------

def test_mkdir_makes_a_folder_and_with_p_the_ones_above(sbg, sbg_api,
                                                       project):
    made = sbg.json('mkdir', f'{project.id}/reads')
    reads = listing(sbg_api, project)['reads']
    assert made == [{'path': f'{project.id}/reads', 'id': reads[2]}]
    assert reads[0] == 'folder'
    assert sbg('mkdir', f'{project.id}/runs').stdout == ''
    deep = sbg.json('mkdir', '-p', f'{project.id}/runs/r1/lane 2')
    r1 = listing(sbg_api, project, listing(sbg_api, project)['runs'][2])
    lane = listing(sbg_api, project, r1['r1'][2])['lane 2']
    assert deep == [{'path': f'{project.id}/runs/r1/lane 2', 'id': lane[2]}]
    assert sbg.json('mkdir', '-p', f'{project.id}/runs/r1/lane 2') == deep


def test_mkdir_refuses_and_changes_nothing(sbg, sbg_api, project,
                                           tmp_path):
    put(sbg_api, tmp_path, b'x', 'notes.txt', project=project)
    sbg('mkdir', f'{project.id}/reads')
    before = listing(sbg_api, project)
    taken = sbg('mkdir', f'{project.id}/reads', code=exits.USAGE)
    assert taken.stderr == f'sbg: error: {project.id}/reads exists\n'
    assert sbg('mkdir', f'{project.id}/notes.txt',
               code=exits.USAGE).stderr.endswith('notes.txt exists\n')
    missing = sbg('mkdir', f'{project.id}/runs/r1', code=exits.NOT_FOUND)
    assert missing.stderr == f'sbg: error: {project.id}/runs does not ' \
                             'exist\n'
    blocked = sbg('mkdir', '-p', f'{project.id}/notes.txt/sub',
                  code=exits.USAGE)
    assert blocked.stderr == (f'sbg: error: {project.id}/notes.txt is a '
                              'file, not a folder\n')
    sbg('mkdir', project.id, code=exits.USAGE)
    sbg('mkdir', 'rfranklin/no-such-project/x', code=exits.NOT_FOUND)
    both = sbg('mkdir', f'{project.id}/new', f'{project.id}/reads',
               code=exits.USAGE)
    assert 'reads exists' in both.stderr
    assert listing(sbg_api, project) == before


# -- rm -----------------------------------------------------------------------

@pytest.fixture
def run1(sbg_api, project, tmp_path):
    """``run1/`` with ``a.txt``, ``reads/r1.fq``, ``reads/r2.fq``; and
    ``top.txt`` at the root."""
    folder = sbg_api.files.create_folder('run1', project=project)
    reads = sbg_api.files.create_folder('reads', parent=folder)
    put(sbg_api, tmp_path, b'a', 'a.txt', parent=folder)
    put(sbg_api, tmp_path, b'r1', 'r1.fq', parent=reads)
    put(sbg_api, tmp_path, b'r2', 'r2.fq', parent=reads)
    put(sbg_api, tmp_path, b'top', 'top.txt', project=project)
    return folder


def test_rm_of_a_folder_needs_r_and_an_answer(sbg, sbg_api, project, run1):
    before = listing(sbg_api, project)
    refused = sbg('rm', f'{project.id}/run1', code=exits.USAGE)
    assert refused.stderr == f'sbg: error: {project.id}/run1 is a folder: ' \
                             'use -r\n'
    declined = sbg('rm', '-r', f'{project.id}/run1', input='n\n',
                   code=exits.ERROR)
    assert declined.stderr == (
        f'Remove {project.id}/run1/ and everything in it (3 files, 1 '
        'folders)? [y/N]: n\n'
        'sbg: error: nothing removed (answer y, or pass --yes)\n')
    unanswered = sbg('rm', '-r', f'{project.id}/run1', code=exits.ERROR)
    assert 'nothing removed' in unanswered.stderr
    assert listing(sbg_api, project) == before
    assert len(list(sbg_api.folders.walk_files(parent=run1))) == 3
    done = sbg('rm', '-r', f'{project.id}/run1', '--json', input='y\n')
    assert json.loads(done.stdout) == {'removed': [  # files, then folders
        f'{project.id}/run1/reads/r1.fq', f'{project.id}/run1/reads/r2.fq',
        f'{project.id}/run1/a.txt', f'{project.id}/run1/reads/',
        f'{project.id}/run1/']}
    assert done.stderr.endswith(f'removed {project.id}/run1/ (3 files, 1 '
                                'folders)\n')
    assert set(listing(sbg_api, project)) == {'top.txt'}


def test_rm_files_and_a_tree_with_yes(sbg, sbg_api, project, run1):
    reads = listing(sbg_api, project, run1.id)['reads'][2]
    result = sbg('rm', '-r', '--yes', f'{project.id}/top.txt', reads)
    assert result.stdout == ''
    assert set(listing(sbg_api, project)) == {'run1'}
    assert set(listing(sbg_api, project, run1.id)) == {'a.txt'}
    sbg('rm', f'{project.id}/run1/a.txt')
    assert listing(sbg_api, project, run1.id) == {}
    empty = sbg('rm', '-r', f'{project.id}/run1', '--json')
    assert json.loads(empty.stdout) == {'removed': [f'{project.id}/run1/']}
    assert listing(sbg_api, project) == {}


def test_rm_refuses_and_changes_nothing(sbg, sbg_api, project, run1):
    before = listing(sbg_api, project)
    missing = sbg('rm', '-r', '--yes', f'{project.id}/top.txt',
                  f'{project.id}/nope', code=exits.NOT_FOUND)
    assert missing.stderr == f'sbg: error: {project.id}/nope does not ' \
                             'exist\n'
    whole = sbg('rm', '-r', '--yes', project.id, code=exits.USAGE)
    assert whole.stderr == (f'sbg: error: {project.id} is a project: sbg '
                            'rm removes files and folders\n')
    sbg('rm', '--yes', f'{project.id}/top.txt', f'{project.id}/run1',
        code=exits.USAGE)
    other = sbg_api.files.create_folder('other', project=project)
    sbg_api.files.create_folder('empty', parent=other)
    two = sbg('rm', '-r', f'{project.id}/run1', f'{project.id}/other',
              input='\n', code=exits.ERROR)
    assert two.stderr.splitlines()[:3] == [
        f'  {project.id}/run1/: 3 files, 1 folders',
        f'  {project.id}/other/: 0 files, 1 folders',
        'Remove these 2 folders and everything in them? [y/N]: ']
    assert listing(sbg_api, project) == dict(before, other=(
        'folder', 0, other.id))


def test_rm_of_a_tree_and_what_is_in_it_removes_each_once(sbg, sbg_api,
                                                          project, run1):
    nested = sbg('rm', '-r', '--yes', f'{project.id}/run1/reads/r1.fq',
                 f'{project.id}/run1', f'{project.id}/run1/reads', '--json')
    assert json.loads(nested.stdout)['removed'][-1] == f'{project.id}/run1/'
    assert len(json.loads(nested.stdout)['removed']) == 5
    assert set(listing(sbg_api, project)) == {'top.txt'}


# -- cp and mv ----------------------------------------------------------------

@pytest.fixture
def files(sbg_api, project, tmp_path):
    """``a.txt`` ('alpha') at the root; ``dest/b.txt`` ('old')."""
    dest = sbg_api.files.create_folder('dest', project=project)
    a = put(sbg_api, tmp_path, b'alpha', 'a.txt', project=project)
    b = put(sbg_api, tmp_path, b'old', 'b.txt', parent=dest)
    return a, dest, b


def test_cp_copies_on_the_platform(sbg, sbg_emulator, sbg_api, project,
                                   files):
    a, dest, _ = files
    stored = len(storage_requests(sbg_emulator))
    copied = sbg.json('cp', f'{project.id}/a.txt', f'{project.id}/dest')
    inside = listing(sbg_api, project, dest.id)
    assert copied == [{'source': f'{project.id}/a.txt',
                       'target': f'{project.id}/dest/a.txt',
                       'status': 'copied', 'id': inside['a.txt'][2],
                       'detail': ''}]
    assert inside['a.txt'][2] != a.id
    renamed = sbg('cp', a.id, f'{project.id}/dest/c.txt').stdout
    assert renamed == f'copied {a.id} -> {project.id}/dest/c.txt\n'
    assert len(storage_requests(sbg_emulator)) == stored  # no byte moved
    assert content_of(sbg, f'{project.id}/dest/c.txt') == b'alpha'
    assert set(listing(sbg_api, project)) == {'a.txt', 'dest'}
    assert set(listing(sbg_api, project, dest.id)) == {'a.txt', 'b.txt',
                                                       'c.txt'}


def test_cp_never_replaces_unless_asked(sbg, sbg_api, project, files):
    a, dest, b = files
    before = listing(sbg_api, project, dest.id)
    taken = sbg('cp', f'{project.id}/a.txt', f'{project.id}/dest/b.txt',
                code=exits.USAGE)
    assert taken.stderr == (f'sbg: error: {project.id}/dest/b.txt exists '
                            '(--if-exists overwrite replaces it, rename '
                            'keeps both)\n')
    assert listing(sbg_api, project, dest.id) == before
    skipped = sbg.json('cp', '--if-exists', 'skip', f'{project.id}/a.txt',
                       f'{project.id}/dest/b.txt')
    assert (skipped[0]['status'], skipped[0]['id']) == ('skipped', b.id)
    kept = sbg.json('cp', '--if-exists', 'rename', f'{project.id}/a.txt',
                    f'{project.id}/dest/b.txt')
    assert kept[0]['target'] == f'{project.id}/dest/1_b.txt'
    assert content_of(sbg, f'{project.id}/dest/1_b.txt') == b'alpha'
    replaced = sbg.json('cp', '--if-exists', 'overwrite',
                        f'{project.id}/a.txt', f'{project.id}/dest/b.txt')
    after = listing(sbg_api, project, dest.id)
    assert set(after) == {'b.txt', '1_b.txt'}
    assert replaced[0]['id'] == after['b.txt'][2] != b.id
    assert content_of(sbg, f'{project.id}/dest/b.txt') == b'alpha'
    assert content_of(sbg, f'{project.id}/a.txt') == b'alpha'


def test_cp_and_mv_refuse_bad_input_and_change_nothing(sbg, sbg_api,
                                                       project, files):
    _, dest, _ = files
    before = (listing(sbg_api, project), listing(sbg_api, project, dest.id))
    for verb in ('cp', 'mv'):
        folder = sbg(verb, f'{project.id}/dest', f'{project.id}/x',
                     code=exits.USAGE)
        assert folder.stderr == f'sbg: error: {project.id}/dest is a ' \
                                'folder, not a file\n'
        sbg(verb, f'{project.id}/nope', f'{project.id}/dest',
            code=exits.NOT_FOUND)
        by_id = sbg(verb, dest.id, f'{project.id}/x', code=exits.USAGE)
        assert by_id.stderr == f'sbg: error: {dest.id} is a folder, not a ' \
                               'file\n'
        sbg(verb, f'{project.id}/a.txt', f'{project.id}/nowhere/x',
            code=exits.NOT_FOUND)
        sbg(verb, f'{project.id}/a.txt', 'rfranklin/no-project/x',
            code=exits.NOT_FOUND)
        same = sbg(verb, f'{project.id}/a.txt', f'{project.id}/a.txt',
                   '--if-exists', 'overwrite', code=exits.USAGE)
        assert 'are the same file' in same.stderr
        several = sbg(verb, f'{project.id}/a.txt', f'{project.id}/dest/b.txt',
                      f'{project.id}/dest/b.txt', code=exits.USAGE)
        assert 'is a file: several files go into a folder' in several.stderr
        sbg(verb, f'{project.id}/a.txt', f'{project.id}/dest/b.txt',
            f'{project.id}/dest', code=exits.USAGE)  # b.txt taken
        sbg(verb, f'{project.id}/a.txt', f'{project.id}/a.txt',
            f'{project.id}/dest', code=exits.USAGE)  # two to one name
        sbg(verb, f'{project.id}/a.txt', project.id, code=exits.USAGE)
    assert (listing(sbg_api, project),
            listing(sbg_api, project, dest.id)) == before


def test_mv_moves_renames_and_replaces(sbg, sbg_emulator, sbg_api, project,
                                       files):
    a, dest, b = files
    stored = len(storage_requests(sbg_emulator))
    moved = sbg.json('mv', f'{project.id}/a.txt', f'{project.id}/dest')
    assert (moved[0]['status'], moved[0]['id']) == ('moved', a.id)
    assert set(listing(sbg_api, project)) == {'dest'}
    assert sbg('mv', f'{project.id}/dest/a.txt',
               f'{project.id}/dest/c.txt').stdout == (
        f'moved {project.id}/dest/a.txt -> {project.id}/dest/c.txt\n')
    taken = sbg('mv', f'{project.id}/dest/c.txt',
                f'{project.id}/dest/b.txt', code=exits.USAGE)
    assert 'dest/b.txt exists' in taken.stderr
    assert set(listing(sbg_api, project, dest.id)) == {'b.txt', 'c.txt'}
    sbg('mv', '--if-exists', 'overwrite', f'{project.id}/dest/c.txt',
        f'{project.id}/dest/b.txt')
    assert listing(sbg_api, project, dest.id) == {
        'b.txt': ('file', 5, a.id)}
    assert content_of(sbg, f'{project.id}/dest/b.txt') == b'alpha'
    sbg('mv', a.id, project.id)
    assert listing(sbg_api, project) == {
        'dest': ('folder', 0, dest.id), 'b.txt': ('file', 5, a.id)}
    assert len(storage_requests(sbg_emulator)) == stored + 1  # the cat


# -- cat ----------------------------------------------------------------------

def test_cat_streams_files_to_standard_output(sbg, sbg_api, project,
                                              tmp_path):
    big = os.urandom(3 * 2 ** 20 + 17)
    put(sbg_api, tmp_path, big, 'big.bin', project=project)
    small = put(sbg_api, tmp_path, b'tail\n', 'small.txt', project=project)
    assert content_of(sbg, f'{project.id}/big.bin') == big
    both = sbg('cat', f'{project.id}/big.bin', small.id)
    assert both.stdout_bytes == big + b'tail\n'
    assert both.stderr == ''
    put(sbg_api, tmp_path, b'', 'empty', project=project)
    assert content_of(sbg, f'{project.id}/empty') == b''


def test_cat_refuses_before_writing_anything(sbg, sbg_api, project,
                                             tmp_path):
    put(sbg_api, tmp_path, b'x', 'x.txt', project=project)
    sbg_api.files.create_folder('reads', project=project)
    folder = sbg('cat', f'{project.id}/x.txt', f'{project.id}/reads',
                 code=exits.USAGE)
    assert (folder.stdout, folder.stderr) == (
        '', f'sbg: error: {project.id}/reads is a folder, not a file\n')
    missing = sbg('cat', f'{project.id}/x.txt', f'{project.id}/nope',
                  code=exits.NOT_FOUND)
    assert missing.stdout == ''
    assert sbg('cat', project.id, code=exits.USAGE).stderr == (
        f'sbg: error: {project.id} is a project, not a file\n')
