"""The ``sbg://`` filesystem against the emulator: what each operation
asks of the API (counted in the emulator's log), what it answers, and what
the platform holds afterwards."""
import datetime
import errno
import os
import pickle
import tempfile

import fsspec
import pytest

from sevenbridges.fs import SevenBridgesFileSystem, files
from sevenbridges.transfer import upload
from tests.fs.conftest import api_requests

MIB = 1024 * 1024
SCROLL = ('GET', '/v2/files/scroll')


def add_files(emulator, folder_path, project, count, content=b'x'):
    """``count`` files ``f0000``... put straight into the emulator's state
    (fast), in the project's root or the folder ``folder_path``."""
    files = emulator.state.files
    folder = files.root_folder(project.id)
    if folder_path:
        folder = files.folder_at(
            {'username': 'rfranklin'}, folder, folder_path)
    for number in range(count):
        files.add_file(project.id, folder, f'f{number:04}', content=content)


def platform_names(api, project, parent=None):
    where = {'parent': parent} if parent else {'project': project.id}
    return sorted(f.name for f in api.files.query(api=api, **where).all())


# -- listings -----------------------------------------------------------------

def test_ls_asks_one_request_per_page_and_info_comes_from_it(
        emulator, sbg_fs, project):
    add_files(emulator, '', project, 2001, content=b'12345')
    before = len(emulator.requests)
    listed = sbg_fs.ls(project.id)
    assert api_requests(emulator, before) == [SCROLL] * 3   # 1000 a page
    assert len(listed) == 2001
    first = listed[0]
    assert first['name'] == f'{project.id}/f0000'
    assert (first['size'], first['type']) == (5, 'file')
    assert set(first) == {'name', 'size', 'type', 'id', 'created',
                          'modified', 'metadata', 'tags'}
    assert isinstance(first['modified'], datetime.datetime)
    before = len(emulator.requests)
    for item in listed[:50]:
        assert sbg_fs.size(item['name']) == 5
        assert sbg_fs.isfile(item['name']) and sbg_fs.exists(item['name'])
        assert sbg_fs.modified(item['name']) == item['modified']
        assert sbg_fs.created(item['name']) == item['created']
    assert api_requests(emulator, before) == []


def test_glob_and_find_ask_one_request_per_folder_page(
        emulator, sbg_fs, project):
    for number in range(5):
        add_files(emulator, f'runs/r{number}', project, 3)
    sbg_fs.pipe_file(f'{project.id}/runs/r0/a.csv', b'a')
    sbg_fs.pipe_file(f'{project.id}/runs/r3/b.csv', b'b')
    sbg_fs.invalidate_cache()
    before = len(emulator.requests)
    found = sbg_fs.glob(f'sbg://{project.id}/**/*.csv')
    assert found == [f'{project.id}/runs/r0/a.csv',
                     f'{project.id}/runs/r3/b.csv']
    # the project's root, runs, and its five folders: one page each, and
    # the project's own info
    assert sorted(api_requests(emulator, before)) == sorted(
        [SCROLL] * 7 + [('GET', f'/v2/projects/{project.id}')])
    before = len(emulator.requests)
    assert len(sbg_fs.find(project.id)) == 17
    assert api_requests(emulator, before) == []             # cached


def test_the_root_lists_projects_and_an_owner_its_projects(
        sbg_fs, project):
    assert project.id in sbg_fs.ls('', detail=False)
    assert project.id in sbg_fs.ls('sbg://rfranklin', detail=False)
    info = sbg_fs.info(project.id)
    assert (info['type'], info['id']) == ('directory', project.id)
    assert sbg_fs.isdir('rfranklin') and sbg_fs.isdir('')


def test_listings_expire_and_writes_drop_the_ones_they_change(
        emulator, project):
    fs = SevenBridgesFileSystem(endpoint=emulator.url, token=emulator.token,
                                listings_expiry_time=3600,
                                skip_instance_cache=True)
    assert SevenBridgesFileSystem(
        endpoint=emulator.url, token=emulator.token,
        skip_instance_cache=True).dircache.listings_expiry_time == 60
    assert fs.ls(project.id) == []
    add_files(emulator, '', project, 1)              # behind its back
    assert fs.ls(project.id) == []                    # kept
    fs.pipe_file(f'{project.id}/new', b'n')           # through it
    assert sorted(fs.ls(project.id, detail=False)) == [
        f'{project.id}/f0000', f'{project.id}/new']
    fs.rm(f'{project.id}/new')
    assert fs.ls(project.id, detail=False) == [f'{project.id}/f0000']
    fs.cp_file(f'{project.id}/f0000', f'{project.id}/copy')
    assert sorted(fs.ls(project.id, detail=False)) == [
        f'{project.id}/copy', f'{project.id}/f0000']
    fs.mv(f'{project.id}/copy', f'{project.id}/moved')
    assert sorted(fs.ls(project.id, detail=False)) == [
        f'{project.id}/f0000', f'{project.id}/moved']


def test_ukey_changes_with_the_file(sbg_fs, project):
    path = f'{project.id}/a.txt'
    sbg_fs.pipe_file(path, b'one')
    first = sbg_fs.ukey(path)
    assert sbg_fs.ukey(path) == first
    sbg_fs.pipe_file(path, b'other')
    assert sbg_fs.ukey(path) != first


# -- reads --------------------------------------------------------------------

def test_reads_seek_by_ranges_with_one_url_per_open_file(
        emulator, sbg_fs, project):
    content = os.urandom(3 * MIB + 11)
    path = f'{project.id}/data.bin'
    sbg_fs.pipe_file(path, content)
    before = len(emulator.requests)
    with sbg_fs.open(path, 'rb', block_size=MIB, cache_type='none') as f:
        f.seek(2 * MIB)
        assert f.read(10) == content[2 * MIB:2 * MIB + 10]
        f.seek(5)
        assert f.read(3) == content[5:8]
        f.seek(-4, 2)
        assert f.read() == content[-4:]
    api = api_requests(emulator, before)
    assert [entry for entry in api if entry[1].endswith('download_info')] \
        == [('GET', f'/v2/files/{sbg_fs.info(path)["id"]}/download_info')]
    ranges = [entry['headers'].get('Range') for entry in
              emulator.requests[before:] if entry['listener'] == 'storage']
    assert ranges == [f'bytes={2 * MIB}-{2 * MIB + 9}', 'bytes=5-7',
                      f'bytes={len(content) - 4}-{len(content) - 1}']
    assert sbg_fs.cat_file(path, start=-6) == content[-6:]
    assert sbg_fs.cat_file(path, 10, 20) == content[10:20]
    assert sbg_fs.cat_ranges([path, path], [0, 100], [4, 104]) == [
        content[:4], content[100:104]]


def test_storage_requests_never_carry_the_token(emulator, sbg_fs, project):
    path = f'{project.id}/data.bin'
    sbg_fs.pipe_file(path, b'secret bytes')
    before = len(emulator.requests)
    assert sbg_fs.cat_file(path) == b'secret bytes'
    storage = [entry for entry in emulator.requests[before:]
               if entry['listener'] == 'storage']
    assert storage and all('X-SBG-Auth-Token' not in entry['headers']
                           for entry in storage)


def test_an_expired_url_is_renewed_once(emulator, sbg_fs, project):
    path = f'{project.id}/data.bin'
    sbg_fs.pipe_file(path, b'0123456789')
    with sbg_fs.open(path, 'rb', cache_type='none') as f:
        assert f.read(2) == b'01'
        emulator.faults.add(listener='storage', method='GET', status=403,
                            times=1)
        before = len(emulator.requests)
        assert f.read(3) == b'234'
    assert [entry for entry in api_requests(emulator, before)
            if entry[1].endswith('/download_info')] == [
        ('GET', f'/v2/files/{sbg_fs.info(path)["id"]}/download_info')]


def test_sign_returns_the_storage_url(sbg_fs, project):
    import requests
    path = f'{project.id}/a.txt'
    sbg_fs.pipe_file(path, b'signed')
    assert requests.get(sbg_fs.sign(path)).content == b'signed'


def test_get_file_downloads_whole_and_large_reads_go_in_parallel(
        emulator, sbg_fs, project, tmp_path):
    content = os.urandom(130 * MIB + 3)
    path = f'{project.id}/big.bin'
    sbg_fs.pipe_file(path, content)
    target = tmp_path / 'sub' / 'big.bin'
    sbg_fs.get_file(path, str(target))
    assert target.read_bytes() == content
    before = len(emulator.requests)
    assert sbg_fs.cat_file(path) == content
    storage = [entry for entry in emulator.requests[before:]
               if entry['listener'] == 'storage']
    assert len(storage) == 3                          # 64 MiB ranges


# -- writes ---------------------------------------------------------------------

def test_a_write_of_unknown_size_spills_to_disk_and_uploads_on_close(
        api, sbg_fs, project, tmp_path):
    spill = tmp_path / 'spill'
    spill.mkdir()
    fs = SevenBridgesFileSystem(endpoint=sbg_fs.api.url,
                                token=sbg_fs.api.token,
                                spill_dir=str(spill),
                                skip_instance_cache=True)
    chunks = [os.urandom(MIB) for _ in range(12)]
    path = f'{project.id}/out/stream.bin'
    with fs.open(path, 'wb', block_size=5 * MIB) as target:
        for chunk in chunks:
            target.write(chunk)
        assert not fs.exists(path)        # nothing until close
        assert len(os.listdir(spill)) == 1
    assert os.listdir(spill) == []
    assert fs.cat_file(path) == b''.join(chunks)
    assert fs.info(path)['size'] == 12 * MIB


def test_a_spill_is_read_back_with_direct_reads_and_a_local_file_is_not(
        sbg_fs, project, tmp_path, monkeypatch):
    opened = []
    real = upload.PositionalFile

    def spy(path, **kwargs):
        opened.append(kwargs.get('direct_reads'))
        return real(path, **kwargs)

    monkeypatch.setattr(upload, 'PositionalFile', spy)
    data = os.urandom(3 * MIB + 5)
    with sbg_fs.open(f'{project.id}/spilled.bin', 'wb') as target:
        target.write(data)
    local = tmp_path / 'local.bin'
    local.write_bytes(data)
    sbg_fs.put_file(str(local), f'{project.id}/put.bin')
    assert opened == [True, False]
    assert sbg_fs.cat_file(f'{project.id}/spilled.bin') == data


class _FullDisk:
    """A temporary file on a disk that fills after ``room`` bytes."""

    def __init__(self, room, flushes=True, **kwargs):
        self._file = _real_temporary_file(**kwargs)
        self.name = self._file.name
        self._room = room
        self._flushes = flushes     # False: what is buffered fails at close

    def write(self, data):
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, 'No space left on device')
        self._room -= len(data)
        return self._file.write(data)

    def close(self):
        self._file.close()
        if not self._flushes:
            self._flushes = True
            raise OSError(errno.ENOSPC, 'No space left on device')


_real_temporary_file = tempfile.NamedTemporaryFile


@pytest.mark.parametrize('how', ['write', 'close', 'unclosed'])
def test_a_write_to_a_full_disk_raises_uploads_nothing_and_leaves_nothing(
        sbg_fs, project, tmp_path, monkeypatch, how):
    monkeypatch.setattr(
        files, 'Spill',
        lambda folder: _FullDisk(3 * MIB, flushes=how != 'close',
                                 dir=folder, delete=False))
    fs = SevenBridgesFileSystem(endpoint=sbg_fs.api.url,
                                token=sbg_fs.api.token,
                                spill_dir=str(tmp_path),
                                skip_instance_cache=True)
    path = f'{project.id}/full.bin'
    with pytest.raises(OSError) as raised:
        if how == 'unclosed':     # no ``with``: the file is dropped anyway
            target = fs.open(path, 'wb', block_size=MIB)
            target.write(bytes(4 * MIB))
        else:
            with fs.open(path, 'wb', block_size=MIB) as target:
                target.write(bytes(2 * MIB))
                if how == 'write':
                    target.write(bytes(2 * MIB))
    assert raised.value.errno == errno.ENOSPC
    if how == 'unclosed':
        assert target.closed
        target.close()              # nothing left to upload
    assert os.listdir(tmp_path) == []
    assert not fs.exists(path)


def test_a_failed_write_leaves_nothing(sbg_fs, project, api):
    path = f'{project.id}/half.bin'
    with pytest.raises(RuntimeError):
        with sbg_fs.open(path, 'wb') as target:
            target.write(b'half of it')
            raise RuntimeError('the writer failed')
    assert platform_names(api, project) == []


def test_xb_and_create_refuse_an_existing_name_on_the_server(
        api, sbg_fs, project):
    path = f'{project.id}/once.txt'
    first = sbg_fs.open(path, 'xb')
    second = sbg_fs.open(path, 'xb')      # both see a free name
    first.write(b'first')
    second.write(b'second')
    first.close()
    with pytest.raises(FileExistsError):
        second.close()
    assert sbg_fs.cat_file(path) == b'first'
    with pytest.raises(FileExistsError):
        sbg_fs.pipe_file(path, b'third', mode='create')
    with pytest.raises(FileExistsError):
        sbg_fs.open(path, 'xb')
    assert sbg_fs.cat_file(path) == b'first'
    assert platform_names(api, project) == ['once.txt']


def test_writes_make_the_folders_above_and_put_file_uploads(
        api, sbg_fs, project, tmp_path):
    local = tmp_path / 'local.txt'
    local.write_bytes(b'local bytes')
    sbg_fs.put_file(str(local), f'{project.id}/a/b/local.txt')
    assert sbg_fs.cat_file(f'{project.id}/a/b/local.txt') == b'local bytes'
    assert sbg_fs.isdir(f'{project.id}/a/b')
    with pytest.raises(FileExistsError):
        sbg_fs.put_file(str(local), f'{project.id}/a/b/local.txt',
                        mode='create')
    sbg_fs.touch(f'{project.id}/a/empty')
    assert sbg_fs.info(f'{project.id}/a/empty')['size'] == 0
    assert sbg_fs.cat_file(f'{project.id}/a/empty') == b''


# -- folders, copies and moves ---------------------------------------------------

def test_copies_and_moves_are_made_by_the_platform(
        emulator, api, sbg_fs, project):
    sbg_fs.pipe_file(f'{project.id}/a.txt', b'A')
    sbg_fs.pipe_file(f'{project.id}/b.txt', b'B')
    sbg_fs.mkdir(f'{project.id}/dir')
    before = len(emulator.requests)
    sbg_fs.cp_file(f'{project.id}/a.txt', f'{project.id}/dir/a.txt')
    assert [entry for entry in emulator.requests[before:]
            if entry['listener'] == 'storage'] == []
    assert ('POST', f'/v2/files/{sbg_fs.info(project.id + "/a.txt")["id"]}'
                    f'/actions/copy') in api_requests(emulator, before)
    # a copy onto a file replaces it
    sbg_fs.cp_file(f'{project.id}/b.txt', f'{project.id}/dir/a.txt')
    assert sbg_fs.cat_file(f'{project.id}/dir/a.txt') == b'B'
    assert sbg_fs.ls(f'{project.id}/dir', detail=False) == [
        f'{project.id}/dir/a.txt']
    moved_id = sbg_fs.info(f'{project.id}/a.txt')['id']
    before = len(emulator.requests)
    sbg_fs.mv(f'{project.id}/a.txt', f'{project.id}/dir/moved.txt')
    assert ('POST', f'/v2/files/{moved_id}/actions/move') in \
        api_requests(emulator, before)
    assert sbg_fs.info(f'{project.id}/dir/moved.txt')['id'] == moved_id
    assert not sbg_fs.exists(f'{project.id}/a.txt')
    # a folder moves with what it holds
    sbg_fs.mv(f'{project.id}/dir', f'{project.id}/elsewhere')
    assert sorted(sbg_fs.find(f'{project.id}')) == [
        f'{project.id}/b.txt', f'{project.id}/elsewhere/a.txt',
        f'{project.id}/elsewhere/moved.txt']
    assert not sbg_fs.exists(f'{project.id}/dir')


def test_rm_recursive_deletes_files_in_bulk_then_folders(
        emulator, api, sbg_fs, project):
    for name in ('t/a', 't/b', 't/sub/c', 'keep'):
        sbg_fs.pipe_file(f'{project.id}/{name}', b'.')
    before = len(emulator.requests)
    sbg_fs.rm(f'{project.id}/t', recursive=True)
    sent = api_requests(emulator, before)
    assert sent.count(('POST', '/v2/bulk/files/delete')) == 1
    assert len([e for e in sent if e[0] == 'DELETE']) == 2   # sub, t
    assert platform_names(api, project) == ['keep']


def test_mkdir_makes_real_folders_and_projects_only_when_asked(
        api, sbg_fs, project):
    sbg_fs.makedirs(f'{project.id}/x/y/z')
    assert sbg_fs.isdir(f'{project.id}/x/y/z')
    sbg_fs.makedirs(f'{project.id}/x/y', exist_ok=True)
    with pytest.raises(PermissionError):
        sbg_fs.mkdir('rfranklin/brand-new')
    assert not sbg_fs.exists('rfranklin/brand-new')
    sbg_fs.mkdir('rfranklin/brand-new', create_project=True)
    assert api.projects.get('rfranklin/brand-new').name == 'brand-new'
    assert sbg_fs.isdir('rfranklin/brand-new')
    sbg_fs.rmdir(f'{project.id}/x/y/z')
    assert not sbg_fs.exists(f'{project.id}/x/y/z')


# -- bad input ------------------------------------------------------------------

@pytest.fixture
def tree(sbg_fs, project):
    """``file.txt``, ``folder/inner.txt`` in a project."""
    sbg_fs.pipe_file(f'{project.id}/file.txt', b'keep me')
    sbg_fs.pipe_file(f'{project.id}/folder/inner.txt', b'inner')
    return project.id


def test_bad_paths_raise_the_builtin_errors_and_change_nothing(
        emulator, api, sbg_fs, project, tree, tmp_path):
    def snapshot():
        return (sorted(sbg_fs.find(tree, withdirs=True, refresh=True)),
                sbg_fs.cat_file(f'{tree}/file.txt'))

    sbg_fs.invalidate_cache()
    before = snapshot()
    cases = [
        (FileNotFoundError, lambda: sbg_fs.info(f'{tree}/nothing')),
        (FileNotFoundError, lambda: sbg_fs.ls(f'{tree}/nothing')),
        (FileNotFoundError, lambda: sbg_fs.open(f'{tree}/nothing')),
        (FileNotFoundError, lambda: sbg_fs.cat_file(f'{tree}/no/thing')),
        (FileNotFoundError, lambda: sbg_fs.info('rfranklin/no-project')),
        (FileNotFoundError, lambda: sbg_fs.ls('rfranklin/no-project')),
        (FileNotFoundError,
         lambda: sbg_fs.pipe_file('rfranklin/no-project/a', b'a')),
        (FileNotFoundError, lambda: sbg_fs.rm(f'{tree}/nothing')),
        (FileNotFoundError, lambda: sbg_fs.cp_file(f'{tree}/nothing',
                                                   f'{tree}/copy')),
        (FileNotFoundError,
         lambda: sbg_fs.get_file(f'{tree}/nothing', str(tmp_path / 'x'))),
        (FileNotFoundError, lambda: sbg_fs.mkdir(f'{tree}/a/b',
                                                 create_parents=False)),
        (FileNotFoundError, lambda: sbg_fs.ls('nobody-at-all')),
        (FileExistsError, lambda: sbg_fs.mkdir(tree)),
        (PermissionError, lambda: sbg_fs.mkdir('rfranklin/not-asked')),
        (PermissionError, lambda: sbg_fs.mkdir('rfranklin')),
        (PermissionError, lambda: sbg_fs.pipe_file('rfranklin/a', b'a')),
        (PermissionError, lambda: sbg_fs.rm(tree, recursive=True)),
        (PermissionError, lambda: sbg_fs.rmdir(tree)),
        (IsADirectoryError, lambda: sbg_fs.open(tree, 'wb')),
        (IsADirectoryError, lambda: sbg_fs.open(f'{tree}/folder', 'rb')),
        (IsADirectoryError, lambda: sbg_fs.open(f'{tree}/folder', 'wb')),
        (IsADirectoryError, lambda: sbg_fs.cat_file(f'{tree}/folder')),
        (IsADirectoryError, lambda: sbg_fs.rm(f'{tree}/folder')),
        (IsADirectoryError, lambda: sbg_fs.rm_file(f'{tree}/folder')),
        (IsADirectoryError, lambda: sbg_fs.pipe_file(f'{tree}/folder', b'')),
        (IsADirectoryError, lambda: sbg_fs.sign(f'{tree}/folder')),
        (IsADirectoryError, lambda: sbg_fs.cp_file(f'{tree}/file.txt',
                                                   f'{tree}/folder')),
        (NotADirectoryError, lambda: sbg_fs.open(f'{tree}/file.txt/x',
                                                 'wb')),
        (NotADirectoryError, lambda: sbg_fs.mkdir(f'{tree}/file.txt/x')),
        (NotADirectoryError, lambda: sbg_fs.rmdir(f'{tree}/file.txt')),
        (FileExistsError, lambda: sbg_fs.open(f'{tree}/file.txt', 'xb')),
        (FileExistsError, lambda: sbg_fs.mkdir(f'{tree}/folder')),
        (FileExistsError, lambda: sbg_fs.mkdir(f'{tree}/file.txt')),
        (FileExistsError, lambda: sbg_fs.makedirs(f'{tree}/file.txt',
                                                  exist_ok=True)),
        (OSError, lambda: sbg_fs.rmdir(f'{tree}/folder')),
        (ValueError, lambda: sbg_fs.open(f'{tree}/file.txt', 'ab')),
        (ValueError, lambda: sbg_fs.pipe_file(f'{tree}/n', b'', mode='x')),
        (ValueError, lambda: sbg_fs.mkdir('rfranklin/Not Derived',
                                          create_project=True)),
        (TypeError, lambda: sbg_fs.pipe_file(f'{tree}/n', 'text')),
    ]
    for error, call in cases:
        with pytest.raises(error):
            call()
    assert snapshot() == before
    assert not os.path.exists(tmp_path / 'x')
    assert 'rfranklin/no-project' not in sbg_fs.ls('', detail=False,
                                                   refresh=True)


def test_constructor_arguments_are_checked(emulator):
    for arguments in ({'endpoint': 5}, {'token': b'bytes'},
                      {'proxies': 'http://proxy'}, {'timeout': 'long'}):
        with pytest.raises(TypeError, match=next(iter(arguments))):
            SevenBridgesFileSystem(skip_instance_cache=True, **arguments)


# -- settings, pickles and secrets ----------------------------------------------

def test_the_token_never_shows(emulator):
    fs = SevenBridgesFileSystem(endpoint=emulator.url, token=emulator.token,
                                skip_instance_cache=True)
    for text in (repr(fs), str(fs), fs.to_json(include_password=False),
                 str(fs.to_dict(include_password=False))):
        assert emulator.token not in text
    assert emulator.url in repr(fs)


def test_settings_are_resolved_as_api_resolves_them(emulator, monkeypatch,
                                                    project):
    monkeypatch.setenv('SB_API_ENDPOINT', emulator.url)
    monkeypatch.setenv('SB_AUTH_TOKEN', emulator.token)
    fs = fsspec.filesystem('sbg', skip_instance_cache=True)
    assert project.id in fs.ls('rfranklin', detail=False)
    assert fs.to_dict() == {
        'cls': 'sevenbridges.fs.filesystem:SevenBridgesFileSystem',
        'protocol': 'sbg', 'args': []}
    session = fsspec.filesystem('sevenbridges', endpoint=emulator.url,
                                session_id=emulator.session_id(),
                                skip_instance_cache=True)
    assert project.id in session.ls('rfranklin', detail=False)
    assert emulator.session_id() not in session.to_json(
        include_password=False)


def test_the_filesystem_and_an_open_file_pickle_without_the_url(
        emulator, sbg_fs, project):
    path = f'{project.id}/data.bin'
    content = os.urandom(MIB)
    sbg_fs.pipe_file(path, content)
    rebuilt = pickle.loads(pickle.dumps(sbg_fs))
    assert rebuilt.cat_file(path) == content
    with sbg_fs.open(path, 'rb') as f:
        f.seek(100)
        assert f.read(10) == content[100:110]
        assert f.signed_url._url is not None
        pickled = pickle.dumps(f)
    assert b'signature=' not in pickled and b'/files/' not in pickled
    reopened = pickle.loads(pickled)
    assert reopened.tell() == 110
    assert reopened.read(5) == content[110:115]
    reopened.close()


# -- whole trees ------------------------------------------------------------------

def test_a_whole_folder_goes_up_and_down_as_one_folder_transfer(
        monkeypatch, sbg_fs, project, tmp_path):
    source = tmp_path / 'source'
    (source / 'sub' / 'deep').mkdir(parents=True)
    files = {'a.txt': b'a', 'sub/b.txt': b'b' * 100,
             'sub/deep/c.bin': os.urandom(6 * MIB)}
    for name, content in files.items():
        (source / name).write_bytes(content)
    calls = []
    folders = sbg_fs.api.folders
    for verb in ('upload', 'download'):
        original = getattr(folders, verb)
        monkeypatch.setattr(folders, verb, lambda *args, _o=original,
                            _v=verb, **kwargs: calls.append(_v) or
                            _o(*args, **kwargs))
    sbg_fs.mkdir(f'{project.id}/up')
    sbg_fs.put(str(source), f'{project.id}/up', recursive=True)
    assert sorted(sbg_fs.find(f'{project.id}/up')) == [
        f'{project.id}/up/source/{name}' for name in sorted(files)]
    target = tmp_path / 'down'
    sbg_fs.get(f'{project.id}/up/source', str(target), recursive=True)
    for name, content in files.items():
        assert (target / name).read_bytes() == content
    assert calls == ['upload', 'download']
    # a second run replaces what is there
    (source / 'a.txt').write_bytes(b'changed')
    sbg_fs.put(str(source) + '/', f'{project.id}/up/source', recursive=True)
    assert sbg_fs.cat_file(f'{project.id}/up/source/a.txt') == b'changed'


def test_fsspec_keeps_one_instance_per_settings_of_the_environment(
        emulator, monkeypatch):
    monkeypatch.setenv('SB_API_ENDPOINT', emulator.url)
    monkeypatch.setenv('SB_AUTH_TOKEN', emulator.token)
    first = fsspec.filesystem('sbg')
    assert fsspec.filesystem('sbg') is first
    monkeypatch.setenv('SB_AUTH_TOKEN', 'another-token')
    other = fsspec.filesystem('sbg')
    assert other is not first and other.api.token == 'another-token'


# -- writes of a known size ----------------------------------------------------------

@pytest.fixture
def no_spill(monkeypatch):
    """Any temporary file fails the test."""
    def refused(*args, **kwargs):
        raise AssertionError('a temporary file was made')

    for name in ('NamedTemporaryFile', 'TemporaryFile', 'mkstemp'):
        monkeypatch.setattr(tempfile, name, refused)


def upload_requests(emulator, since):
    return [request for request in api_requests(emulator, since)
            if request[1].startswith('/v2/upload/')]


def test_a_write_of_known_size_streams_its_parts(emulator, sbg_fs, project,
                                                 no_spill):
    chunks = [os.urandom(MIB) for _ in range(12)]
    path = f'{project.id}/out/sized.bin'
    before = len(emulator.requests)
    with sbg_fs.open(path, 'wb', size=12 * MIB,
                     block_size=5 * MIB) as target:
        assert upload_requests(emulator, before) == [
            ('POST', '/v2/upload/multipart')]       # started at open
        for chunk in chunks:
            target.write(chunk)
    sent = upload_requests(emulator, before)
    base = '/'.join(sent[1][1].split('/')[:5])      # .../multipart/ID
    assert sorted(sent[1:-1]) == sorted(
        [('GET', f'{base}/part/{number}') for number in (1, 2, 3)]
        + [('POST', f'{base}/part/')] * 3)
    assert sent[-1] == ('POST', f'{base}/complete')
    assert sbg_fs.cat_file(path) == b''.join(chunks)
    assert sbg_fs.info(path)['size'] == 12 * MIB


def test_pipe_file_of_a_large_value_makes_no_temporary_file(
        sbg_fs, project, no_spill):
    value = os.urandom(11 * MIB + 7)
    path = f'{project.id}/piped.bin'
    sbg_fs.pipe_file(path, value, block_size=5 * MIB)
    assert sbg_fs.cat_file(path) == value
    sbg_fs.touch(f'{project.id}/empty')
    assert sbg_fs.cat_file(f'{project.id}/empty') == b''


@pytest.mark.parametrize('how', ['short', 'over', 'failed block'])
def test_a_write_of_the_wrong_size_replaces_nothing_and_creates_nothing(
        api, sbg_fs, project, no_spill, how):
    kept = f'{project.id}/kept.bin'
    sbg_fs.pipe_file(kept, b'the original')
    error = RuntimeError if how == 'failed block' else ValueError
    for path in (kept, f'{project.id}/new.bin'):
        with pytest.raises(error):
            with sbg_fs.open(path, 'wb', size=6 * MIB,
                             block_size=5 * MIB) as target:
                target.write(bytes(5 * MIB + 1))     # a part is stored
                if how == 'over':
                    target.write(bytes(MIB))
                elif how == 'failed block':
                    raise RuntimeError('the writer failed')
    assert sbg_fs.cat_file(kept) == b'the original'
    assert platform_names(api, project) == ['kept.bin']


def test_a_write_of_known_size_in_a_transaction_is_made_at_its_commit(
        sbg_fs, project):
    path = f'{project.id}/later.bin'
    with sbg_fs.transaction:
        with sbg_fs.open(path, 'wb', size=5) as target:
            target.write(b'later')
        assert not sbg_fs.exists(path)      # parts stored, not completed
    assert sbg_fs.cat_file(path) == b'later'
    dropped = f'{project.id}/dropped.bin'
    with pytest.raises(RuntimeError):
        with sbg_fs.transaction:
            with sbg_fs.open(dropped, 'wb', size=4) as target:
                target.write(b'drop')
            raise RuntimeError('the transaction failed')   # discarded
    assert not sbg_fs.exists(dropped)


def test_xb_of_known_size_refuses_an_existing_name(api, sbg_fs, project):
    path = f'{project.id}/once.bin'
    first = sbg_fs.open(path, 'xb', size=5)
    second = sbg_fs.open(path, 'xb', size=6)     # both see a free name
    first.write(b'first')
    first.close()
    second.write(b'second')
    with pytest.raises(FileExistsError):
        second.close()                     # refused again at completion
    with pytest.raises(FileExistsError):
        sbg_fs.open(path, 'xb', size=5)
    assert sbg_fs.cat_file(path) == b'first'
    assert platform_names(api, project) == ['once.bin']
