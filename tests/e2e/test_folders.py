"""Folder trees up and down through the emulator: nested, empty, unicode
and space names, an empty file, a file of several parts, links left out,
include/exclude, names that exist, one failing file among good ones, and
big folders served page by page."""
import os

import pytest

from sevenbridges.errors import Conflict, SbgError
from sevenbridges.transfer import retries
from sevenbridges.transfer.report import FolderTransferError

MIB = 1024 * 1024
PART = 5 * MIB
UNICODE = 'sp ace/ünï cödé'


@pytest.fixture(autouse=True)
def quick_and_isolated(monkeypatch, tmp_path):
    """Upload journals in the test's folder; quick part retries."""
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    monkeypatch.setattr(retries, 'BASE_DELAY', 0.01)


@pytest.fixture
def project(sbg_api):
    group = sbg_api.billing_groups.query()[0]
    return sbg_api.projects.create(name='trees', billing_group=group)


def make_tree(root):
    """A local tree; its files (relative path: bytes)."""
    files = {'top.txt': b'top', 'a/x.txt': b'x' * 100, 'a/b/zero.bin': b'',
             'a/big.bin': os.urandom(3 * PART + 7),
             f'{UNICODE}/é è.txt': 'unicode ✓'.encode()}
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    (root / 'empty').mkdir()
    (root / 'link.txt').symlink_to(root / 'top.txt')
    return files


def local_files(root):
    """``{relative path: bytes}`` below ``root``, and its empty folders."""
    found, empty = {}, []
    for folder, folders, names in os.walk(root):
        relative = os.path.relpath(folder, root).replace(os.sep, '/')
        if not folders and not names:
            empty.append(relative)
        for name in names:
            path = name if relative == '.' else f'{relative}/{name}'
            with open(os.path.join(folder, name), 'rb') as fp:
                found[path] = fp.read()
    return found, empty


def storage(emulator, method):
    return [r for r in emulator.requests
            if r['listener'] == 'storage' and r['method'] == method]


def inits(emulator):
    return [r for r in emulator.requests if r['method'] == 'POST'
            and r['path'] == '/v2/upload/multipart']


def test_a_tree_goes_up_and_comes_back_the_same(sbg_api, sbg_emulator,
                                                project, tmp_path):
    source = tmp_path / 'source'
    files = make_tree(source)
    seen = []
    report = sbg_api.folders.upload(source, project=project, part_size=PART,
                                    progress=seen.append)
    assert sorted(o.path for o in report.moved) == sorted(files)
    assert report.bytes_moved == sum(map(len, files.values()))
    assert sorted(o.path for o in report.folders_created) == [
        'a/', 'a/b/', 'empty/', 'sp ace/', f'{UNICODE}/']
    assert report.failed == [] and report.ok
    assert report.notes == [('link.txt', 'skipped: symbolic link')]
    # one storage PUT per part: 4 for the large file, 1 for each other
    assert len(storage(sbg_emulator, 'PUT')) == 4 + 4
    assert [p.bytes_done for p in seen] == sorted(p.bytes_done for p in seen)
    assert (seen[-1].files_done, seen[-1].files_total, seen[-1].bytes_done) \
        == (5, 5, report.bytes_moved)

    remote = {path: file for path, file in sbg_api.folders.walk_files(
        project=project, include_folders=True)}
    assert {path: file.size for path, file in remote.items()
            if not file.is_folder()} == {path: len(content) for path, content
                                         in files.items()}
    assert sorted(path for path, file in remote.items()
                  if file.is_folder()) == ['a', 'a/b', 'empty', 'sp ace',
                                           UNICODE]

    target = tmp_path / 'back'
    report = sbg_api.folders.download(target, project=project,
                                      part_size=PART)
    assert sorted(o.path for o in report.moved) == sorted(files)
    back, empty = local_files(target)
    assert back == files and empty == ['empty']
    big = remote['a/big.bin']
    ranged = [r for r in storage(sbg_emulator, 'GET')
              if r['path'] == f'/files/{big.id}'
              and r['headers']['Range'] != 'bytes=0-0']
    assert len(ranged) == 4


def test_a_folder_tree_of_a_folder(sbg_api, project, tmp_path):
    source = tmp_path / 'source'
    (source / 'in').mkdir(parents=True)
    (source / 'in' / 'r.txt').write_text('r')
    folder = sbg_api.files.create_folder('landing', project=project)
    report = sbg_api.folders.upload(source, parent=folder)
    assert [o.path for o in report.moved] == ['in/r.txt']
    assert [path for path, _ in sbg_api.folders.walk_files(
        project=project)] == ['landing/in/r.txt']
    report = sbg_api.folders.download(tmp_path / 'back', parent=folder.id)
    assert local_files(tmp_path / 'back')[0] == {'in/r.txt': b'r'}


def test_names_that_exist_are_skipped_overwritten_or_renamed(
        sbg_api, sbg_emulator, project, tmp_path):
    source = tmp_path / 'source'
    source.mkdir()
    (source / 'a.txt').write_text('first')
    (source / 'b.txt').write_text('b')
    sbg_api.folders.upload(source, project=project)
    before = len(sbg_emulator.requests)
    again = sbg_api.folders.upload(source, project=project)
    assert again.moved == [] and sorted(
        (o.path, o.detail) for o in again.skipped) == [
        ('a.txt', 'exists'), ('b.txt', 'exists')]
    assert not [r for r in sbg_emulator.requests[before:]
                if r['listener'] == 'storage' or r['method'] == 'POST']

    (source / 'a.txt').write_text('second, longer')
    replaced = sbg_api.folders.upload(source, project=project,
                                      include=['a.txt'],
                                      if_exists='overwrite')
    assert [o.path for o in replaced.moved] == ['a.txt']
    renamed = sbg_api.folders.upload(source, project=project,
                                     include=['a.txt'], if_exists='rename')
    assert [(o.path, o.detail) for o in renamed.moved] == [
        ('a.txt', 'as 1_a.txt')]
    sizes = {path: f.size for path, f in sbg_api.folders.walk_files(
        project=project)}
    assert sizes == {'a.txt': 14, '1_a.txt': 14, 'b.txt': 1}

    target = tmp_path / 'back'
    target.mkdir()
    (target / 'b.txt').write_text('local')
    report = sbg_api.folders.download(target, project=project,
                                      if_exists='rename')
    assert sorted(o.path for o in report.moved) == ['1_a.txt', 'a.txt',
                                                    'b.txt']
    assert (target / 'b.txt').read_text() == 'local'
    assert (target / '1_b.txt').read_text() == 'b'


def test_include_and_exclude_choose_the_files(sbg_api, project, tmp_path):
    source = tmp_path / 'source'
    make_tree(source)
    report = sbg_api.folders.upload(source, project=project,
                                    include=['a/*', '*.txt'],
                                    exclude=['*.bin', 'sp ace/*'])
    assert sorted(o.path for o in report.moved) == ['a/x.txt', 'top.txt']
    assert [o.path for o in report.folders_created] == ['a/']
    sbg_api.folders.upload(source, project=project)
    target = tmp_path / 'back'
    report = sbg_api.folders.download(target, project=project,
                                      exclude=['a/*'])
    assert sorted(local_files(target)[0]) == [f'{UNICODE}/é è.txt',
                                              'top.txt']


def test_a_failing_upload_does_not_stop_the_others(sbg_api, sbg_emulator,
                                                   project, tmp_path):
    source = tmp_path / 'source'
    files = make_tree(source)
    sbg_emulator.faults.add(listener='api', method='POST',
                            path='/upload/multipart$', status=500, times=1)
    with pytest.raises(FolderTransferError) as raised:
        sbg_api.folders.upload(source, project=project, part_size=PART)
    report = raised.value.report
    assert len(report.failed) == 1 and len(report.moved) == len(files) - 1
    failed = report.failed[0]
    assert failed.path in files and isinstance(failed.error, SbgError)
    assert str(raised.value).splitlines() == [
        f'1 of {len(files)} files failed to upload:',
        f'  {failed.path}: {failed.detail}']
    assert 'Injected fault' in failed.detail
    landed = {path for path, _ in sbg_api.folders.walk_files(
        project=project)}
    assert landed == set(files) - {failed.path}

    before = len(inits(sbg_emulator))
    report = sbg_api.folders.upload(source, project=project, part_size=PART)
    assert [o.path for o in report.moved] == [failed.path]
    assert len(inits(sbg_emulator)) == before + 1


def test_a_failing_download_does_not_stop_the_others(sbg_api, sbg_emulator,
                                                     project, tmp_path):
    source = tmp_path / 'source'
    files = make_tree(source)
    sbg_api.folders.upload(source, project=project)
    remote = dict(sbg_api.folders.walk_files(project=project))
    broken = remote['a/x.txt']
    sbg_emulator.faults.add(listener='storage', method='GET',
                            path=f'/files/{broken.id}$', status=500,
                            times=None)
    target = tmp_path / 'back'
    with pytest.raises(FolderTransferError) as raised:
        sbg_api.folders.download(target, project=project, retry=2)
    assert [o.path for o in raised.value.report.failed] == ['a/x.txt']
    back, _ = local_files(target)
    assert back == {path: content for path, content in files.items()
                    if path != 'a/x.txt'}


def test_a_file_where_a_folder_is_conflicts(sbg_api, project, tmp_path):
    source = tmp_path / 'source'
    (source / 'data').mkdir(parents=True)
    (source / 'data' / 'in.txt').write_text('x')
    (source / 'ok.txt').write_text('ok')
    sbg_api.files.create_folder('ok.txt', project=project)
    with pytest.raises(FolderTransferError, match='ok.txt: conflict: a '
                                                  'folder of this name'):
        sbg_api.folders.upload(source, project=project)


def test_big_folders_are_listed_page_by_page(sbg_api, sbg_emulator,
                                             project):
    files = sbg_emulator.state.files
    folder = sbg_api.files.create_folder('big', project=project)
    names = [f'f{number:04d}.txt' for number in range(250)]
    for name in names:
        files.add_file(project.id, folder.id, name, content=b'1')
    listed = [f.name for f in folder.list_files(limit=100).all()]
    assert listed == names
    scrolled = [f.name for f in sbg_api.files.query(
        parent=folder, limit=60, cont_token='init').all()]
    assert scrolled == names
    page = folder.list_files(offset=240, limit=100)
    assert page.total == 250 and [f.name for f in page] == names[240:]
    assert [f.name for f in sbg_api.files.query(
        parent=folder, names=['f0007.txt', 'f0249.txt'])] == [
        'f0007.txt', 'f0249.txt']
    with pytest.raises(Conflict):
        sbg_api.files.create_folder('f0100.txt', parent=folder)
    with pytest.raises(SbgError, match='not empty'):
        folder.delete()
    copy = sbg_api.files.get(files.named_children(folder.id,
                                                  'f0001.txt')[0]['id'])
    assert copy.copy_to_folder(folder).name == '1_f0001.txt'


def test_a_tree_reads_the_proxy_settings_once_per_origin(
        sbg_api, project, tmp_path, monkeypatch):
    import requests
    read = requests.sessions.get_environ_proxies
    origins = []

    def counted(url, no_proxy=None):
        origins.append(url.split('/')[2])
        return read(url, no_proxy=no_proxy)

    monkeypatch.setattr(requests.sessions, 'get_environ_proxies', counted)
    for number in range(12):
        (tmp_path / 'many' / f'd{number % 3}').mkdir(parents=True,
                                                      exist_ok=True)
        (tmp_path / 'many' / f'd{number % 3}' / f'{number}.txt').write_text(
            str(number))
    sbg_api.folders.upload(str(tmp_path / 'many'), project=project)
    sbg_api.folders.download(str(tmp_path / 'back'), project=project)
    assert local_files(tmp_path / 'back')[0] == local_files(
        tmp_path / 'many')[0]
    # each of plan, upload and download reads each origin it meets once
    # (the API, the storage), not once for each of its ~80 requests
    assert len(origins) <= 6 and len(set(origins)) == 2, origins


def test_a_small_file_of_a_tree_comes_down_in_one_storage_request(
        sbg_api, sbg_emulator, project, tmp_path):
    files = make_tree(tmp_path / 'src')
    sbg_api.folders.upload(str(tmp_path / 'src'), project=project)
    before = len(storage(sbg_emulator, 'GET'))
    sbg_api.folders.download(str(tmp_path / 'back'), project=project,
                             part_size=PART)
    assert local_files(tmp_path / 'back')[0] == files
    gets = storage(sbg_emulator, 'GET')[before:]
    ranges = sorted(request['headers'].get('Range') for request in gets)
    # no size probe for the files of one part (the listing told their
    # size), none at all for the empty one; the file of 4 parts probes
    small = [len(content) for path, content in files.items()
             if 0 < len(content) <= PART]
    big = [f'bytes={start}-{start + PART - 1}'
           for start in range(0, 3 * PART, PART)]
    expected = [f'bytes=0-{size - 1}' for size in small] + ['bytes=0-0'] + \
        big + [f'bytes={3 * PART}-{3 * PART + 6}']
    assert ranges == sorted(expected)
