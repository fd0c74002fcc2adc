"""Folder transfer plans: what moves, what is skipped, created, deleted,
and why (pure logic, no HTTP)."""
import os

import pytest

from sevenbridges.errors import ValidationError
from sevenbridges.models.file import File
from sevenbridges.transfer.plan import (
    Action,
    Compare,
    Direction,
    IfExists,
    PlanEntry,
    TransferPlan,
    free_name,
    plan_entries,
)
from sevenbridges.transfer.tree import (
    LocalFile,
    RemoteRoot,
    Selection,
    Tree,
    is_partial_download,
    scan_local,
)

#: Epoch seconds of the remote files' ``modified_on``.
REMOTE_TIME = 1767225600.0   # 2026-01-01T00:00:00Z


def remote_file(path, size, modified='2026-01-01T00:00:00Z'):
    return File(id=f'id-{path}', name=path.rsplit('/', 1)[-1], size=size,
                modified_on=modified, type='file')


def remote_folder(path):
    return File(id=f'id-{path}', name=path.rsplit('/', 1)[-1],
                type='folder')


def local_file(path, size, mtime=REMOTE_TIME - 60):
    return LocalFile(path, f'/data/{path}', size, mtime)


def tree(files=(), folders=(), kept=(), empty_taken=()):
    """A tree of given files and folders, as a scan leaves it."""
    made = Tree(root='/data')
    for item in files:
        made.files[item.path if isinstance(item, LocalFile) else
                   item.id[3:]] = item
    for path in folders:
        made.folders[path] = remote_folder(path)
    made.kept = set(kept)
    occupied = {path.rsplit('/', 1)[0] for path in made.files
                if '/' in path} | {path.rsplit('/', 1)[0]
                                   for path in made.folders if '/' in path}
    occupied -= set(empty_taken)
    return made.finish(Selection(), occupied, [])


def summary(entries):
    return [(entry.action, entry.path, entry.target, entry.reason,
             entry.size) for entry in entries]


def test_a_first_upload_moves_every_file_and_creates_the_folders():
    local = tree([local_file('a/b/x.txt', 3), local_file('top.txt', 5),
                  local_file('a/zero.bin', 0)],
                 folders=['a', 'a/b', 'empty'], empty_taken=['empty'])
    entries = plan_entries(Direction.UPLOAD, local, tree(), IfExists.SKIP)
    assert summary(entries) == [
        ('create folder', 'a', 'a', 'new', 0),
        ('create folder', 'a/b', 'a/b', 'new', 0),
        ('upload', 'a/b/x.txt', 'a/b/x.txt', 'new', 3),
        ('upload', 'a/zero.bin', 'a/zero.bin', 'new', 0),
        ('create folder', 'empty', 'empty', 'new', 0),
        ('upload', 'top.txt', 'top.txt', 'new', 5)]
    assert entries[2].local == local.files['a/b/x.txt']
    assert entries[2].remote is None and entries[0].folder


def test_a_copy_skips_overwrites_or_renames_what_exists():
    local = tree([local_file('a.txt', 3), local_file('b.txt', 4)])
    remote = tree([remote_file('a.txt', 9), remote_file('1_a.txt', 1)])
    assert summary(plan_entries(Direction.UPLOAD, local, remote,
                                IfExists.SKIP)) == [
        ('skip', 'a.txt', 'a.txt', 'exists', 3),
        ('upload', 'b.txt', 'b.txt', 'new', 4)]
    overwrite = plan_entries(Direction.UPLOAD, local, remote,
                             IfExists.OVERWRITE)
    assert summary(overwrite)[0] == ('upload', 'a.txt', 'a.txt', 'replaces',
                                     3)
    assert overwrite[0].remote is remote.files['a.txt']
    assert summary(plan_entries(Direction.UPLOAD, local, remote,
                                IfExists.RENAME))[0] == (
        'upload', 'a.txt', '2_a.txt', 'exists: renamed', 3)


def test_free_names_follow_the_platform_numbering():
    assert free_name('x.txt', {'x.txt'}) == '1_x.txt'
    assert free_name('x.txt', {'x.txt', '1_x.txt', '2_x.txt'}) == '3_x.txt'


@pytest.mark.parametrize('compare, expected', [
    (Compare.EXISTS, ['skip', 'skip', 'skip']),
    (Compare.SIZE, ['upload', 'skip', 'skip']),
    (Compare.MTIME, ['upload', 'upload', 'skip']),
])
def test_a_sync_compares_size_then_time(compare, expected):
    local = tree([local_file('size.txt', 10),
                  local_file('newer.txt', 3, mtime=REMOTE_TIME + 5),
                  local_file('same.txt', 3, mtime=REMOTE_TIME + 0.9)])
    remote = tree([remote_file('size.txt', 9), remote_file('newer.txt', 3),
                   remote_file('same.txt', 3)])
    entries = plan_entries(Direction.UPLOAD, local, remote, compare,
                           sync=True)
    assert [entry.path for entry in entries] == ['newer.txt', 'same.txt',
                                                 'size.txt']
    assert sorted([entry.action for entry in entries]) == sorted(expected)
    reasons = {entry.path: entry.reason for entry in entries}
    if compare == Compare.MTIME:
        assert reasons == {'size.txt': 'changed: size',
                           'newer.txt': 'changed: newer', 'same.txt': 'same'}


def test_a_download_sync_takes_the_newer_remote_file():
    local = tree([local_file('old.txt', 3, mtime=REMOTE_TIME - 1),
                  local_file('edited.txt', 3, mtime=REMOTE_TIME + 60)])
    remote = tree([remote_file('old.txt', 3), remote_file('edited.txt', 3),
                   remote_file('new.txt', 7)])
    assert summary(plan_entries(Direction.DOWNLOAD, local, remote,
                                Compare.MTIME, sync=True)) == [
        ('skip', 'edited.txt', 'edited.txt', 'same', 3),
        ('download', 'new.txt', 'new.txt', 'new', 7),
        ('download', 'old.txt', 'old.txt', 'changed: newer', 3)]


def test_what_only_the_target_has_is_listed_and_deleted_only_when_asked():
    local = tree([local_file('keep/a.txt', 1)], folders=['keep'])
    remote = tree([remote_file('keep/a.txt', 1), remote_file('gone.txt', 2),
                   remote_file('old/x.txt', 1),
                   remote_file('held/y.txt', 1)],
                  folders=['keep', 'old', 'held', 'old/deeper'],
                  kept={'held'})
    listed = plan_entries(Direction.UPLOAD, local, remote, Compare.MTIME,
                          sync=True)
    assert summary(listed) == [
        ('skip', 'gone.txt', 'gone.txt', 'only on the platform', 2),
        ('skip', 'held/y.txt', 'held/y.txt', 'only on the platform', 1),
        ('skip', 'keep/a.txt', 'keep/a.txt', 'same', 1),
        ('skip', 'old/x.txt', 'old/x.txt', 'only on the platform', 1)]
    deleted = plan_entries(Direction.UPLOAD, local, remote, Compare.MTIME,
                           delete=True, sync=True)
    assert [(entry.action, entry.path, entry.folder) for entry in deleted
            if entry.action == Action.DELETE] == [
        ('delete', 'gone.txt', False), ('delete', 'held/y.txt', False),
        ('delete', 'old', True), ('delete', 'old/deeper', True),
        ('delete', 'old/x.txt', False)]
    assert [entry.remote for entry in deleted if entry.path == 'old'] == \
        [remote.folders['old']]


def test_a_copy_does_not_list_what_only_the_target_has():
    remote = tree([remote_file('x.txt', 1)])
    assert plan_entries(Direction.UPLOAD, tree(), remote,
                        IfExists.SKIP) == []


def test_a_file_and_a_folder_of_one_name_conflict():
    local = tree([local_file('clash', 1), local_file('dir/x', 1)],
                 folders=['dir'])
    remote = tree([remote_file('dir', 4)], folders=['clash'])
    assert summary(plan_entries(Direction.UPLOAD, local, remote,
                                Compare.MTIME, delete=True, sync=True)) == [
        ('conflict', 'clash', 'clash', 'a folder of this name is in the way',
         1),
        ('conflict', 'dir', 'dir', 'a file of this name is in the way', 0),
        ('upload', 'dir/x', 'dir/x', 'new', 1)]


def test_the_selection_takes_included_paths_that_are_not_excluded():
    everything = Selection()
    assert everything('a/b.txt')
    selection = Selection(include=['reads/*', '*.bam'],
                          exclude=['*.tmp', 'reads/skip/*'])
    assert selection('reads/a.fastq') and selection('x/y.bam')
    assert not selection('other.txt')
    assert not selection('reads/a.tmp')          # by name, anywhere
    assert not selection('reads/skip/a.fastq')
    assert Selection(exclude=['.DS_Store'])('a/b.txt')
    assert not Selection(exclude=['.DS_Store'])('a/.DS_Store')
    with pytest.raises(ValidationError, match='include must be a list'):
        Selection(include='*.txt')
    with pytest.raises(ValidationError, match='exclude must be a list of '
                                              'glob patterns'):
        Selection(exclude=['ok', 3])


def test_the_remote_root_is_a_project_or_a_folder():
    assert RemoteRoot(project='u/p').where() == {'project': 'u/p'}
    assert RemoteRoot(parent=remote_folder('x')).where() == \
        {'parent': 'id-x'}
    assert str(RemoteRoot(parent='f1')) == 'folder f1'
    for project, parent in ((None, None), ('u/p', 'f1')):
        with pytest.raises(ValidationError, match='project or a parent'):
            RemoteRoot(project, parent)


def test_a_local_scan_leaves_out_links_special_files_and_partial_downloads(
        tmp_path):
    root = tmp_path / 'data'
    (root / 'a' / 'b').mkdir(parents=True)
    (root / 'empty').mkdir()
    (root / 'sp ace ü').mkdir()
    (root / 'a' / 'x.txt').write_text('xyz')
    (root / 'sp ace ü' / 'é.txt').write_text('é')
    (root / 'a' / 'b' / 'zero').write_bytes(b'')
    (root / 'link').symlink_to(root / 'a' / 'x.txt')
    os.mkfifo(root / 'pipe')
    target = str(root / 'a' / 'big.bin')
    digest = __import__('hashlib').sha1(target.encode()).hexdigest()[:10]
    (root / 'a' / f'big.bin.{digest}').write_bytes(b'partial')
    (root / 'a' / f'big.bin.{digest}.parts').write_text('{}')
    (root / 'a' / 'big.bin.0123456789').write_text('a file like any')
    scanned = scan_local(str(root), Selection(), ignore=is_partial_download)
    assert sorted(scanned.files) == ['a/b/zero', 'a/big.bin.0123456789',
                                     'a/x.txt', 'sp ace ü/é.txt']
    assert scanned.files['a/x.txt'] == LocalFile(
        'a/x.txt', str(root / 'a' / 'x.txt'), 3,
        os.stat(root / 'a' / 'x.txt').st_mtime)
    assert sorted(scanned.folders) == ['a', 'a/b', 'empty', 'sp ace ü']
    assert scanned.reproduce == {'a', 'a/b', 'empty', 'sp ace ü'}
    assert scanned.kept == {'a'}       # it holds the partial download
    assert sorted(scanned.notes) == [('link', 'skipped: symbolic link'),
                                     ('pipe', 'skipped: not a regular file')]


def test_a_selection_decides_which_empty_folders_are_reproduced(tmp_path):
    (tmp_path / 'reads').mkdir()
    (tmp_path / 'other').mkdir()
    (tmp_path / 'other' / 'x.txt').write_text('x')
    scanned = scan_local(str(tmp_path), Selection(include=['reads*']))
    assert scanned.files == {} and scanned.reproduce == {'reads'}
    assert scanned.kept == {'other'}


def test_partial_downloads_are_told_by_their_digest():
    target = '/data/a/b.bin'
    digest = __import__('hashlib').sha1(target.encode()).hexdigest()[:10]
    assert is_partial_download(f'{target}.{digest}')
    assert is_partial_download(f'{target}.{digest}.parts')
    assert not is_partial_download(f'{target}.0123456789')
    assert not is_partial_download(target)


def test_a_plan_reads_as_a_list_and_as_a_table():
    entries = [PlanEntry(Action.CREATE_FOLDER, 'a', 'a', 'new', folder=True),
               PlanEntry(Action.UPLOAD, 'a/x<y>.txt', 'a/x<y>.txt', 'new',
                         size=3 * 1024 * 1024),
               PlanEntry(Action.SKIP, 'b.txt', 'b.txt', 'exists'),
               PlanEntry(Action.UPLOAD, 'c.txt', '1_c.txt', 'exists: renamed',
                         size=10)]
    plan = TransferPlan(None, Direction.UPLOAD, '/data',
                        RemoteRoot(project='u/p'), entries, {},
                        [('link', 'skipped: symbolic link')])
    assert [entry.path for entry in plan.transfers] == ['a/x<y>.txt',
                                                        'c.txt']
    assert plan.bytes_to_move == 3 * 1024 * 1024 + 10
    assert repr(plan) == (
        '<TransferPlan: upload of 2 files (3.0 MiB), 1 folders to create, '
        '0 to delete, 1 skipped, 0 conflicts; from /data to project u/p>')
    assert str(plan).splitlines() == [
        'upload of 2 files (3.0 MiB), 1 folders to create, 0 to delete, 1 '
        'skipped, 0 conflicts; from /data to project u/p',
        '  create folder a/  (new)',
        '  upload        a/x<y>.txt  (new, 3.0 MiB)',
        '  upload        c.txt -> 1_c.txt  (exists: renamed, 10 B)',
        '  skip          b.txt  (exists)',
        '  note: link: skipped: symbolic link']
    html = plan._repr_html_()
    assert html.startswith('<table><caption style="text-align:left"><b>'
                           'TransferPlan: upload of 2 files')
    assert 'a/x&lt;y&gt;.txt' in html and '<y>' not in html
    assert '4 of 4 entries shown; left out: link (skipped: symbolic ' \
           'link)' in html


def test_what_a_download_moves_is_the_platform_file():
    local = tree([local_file('a.txt', 3)])
    remote = tree([remote_file('a.txt', 700)])
    entries = plan_entries(Direction.DOWNLOAD, local, remote,
                           IfExists.OVERWRITE)
    assert summary(entries) == [('download', 'a.txt', 'a.txt', 'replaces',
                                 700)]
    assert entries[0].local == local.files['a.txt']
