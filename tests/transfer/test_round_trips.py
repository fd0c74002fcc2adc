"""Uploads and downloads against a real local HTTP platform."""
import os

import pytest

from sevenbridges import errors
from sevenbridges.models.enums import TransferState
from sevenbridges.models.file import File
from sevenbridges.transfer import journals, parts
from sevenbridges.transfer._fileio import IO_CHUNK, PositionalFile
from sevenbridges.transfer.download import Download
from sevenbridges.transfer.parts import download_part_size
from sevenbridges.transfer.upload import CodePackageUpload, Upload
from tests.transfer.conftest import MIB

PART = 5 * MIB


@pytest.mark.parametrize('size', [0, 1, PART - 1, PART, PART + 1,
                                  3 * PART + 17])
def test_byte_exact_round_trip(client, platform, make_file, tmp_path, size):
    source = make_file(size)
    upload = client.files.upload(str(source), project='u/p', part_size=PART)
    assert upload.status == TransferState.COMPLETED
    uploaded = upload.result()
    assert isinstance(uploaded, File) and uploaded.size == size
    assert platform.content(uploaded.id) == source.read_bytes()
    expected_parts = max(1, -(-size // PART))
    puts = platform.requests('storage', 'PUT')
    assert len(puts) == expected_parts
    lengths = sorted(int(p['headers']['Content-Length']) for p in puts)
    assert 0 not in lengths or size == 0
    target = tmp_path / 'downloaded.bin'
    assert uploaded.download(str(target), chunk_size=PART) is None
    assert target.read_bytes() == source.read_bytes()
    # nothing stray: no temporary file, no journal left behind
    assert sorted(set(os.listdir(tmp_path)) - {'cache'}) == [
        'downloaded.bin', 'platform', 'source.bin']
    uploads = tmp_path / 'cache' / 'sevenbridges' / 'uploads'
    assert not uploads.exists() or not os.listdir(uploads)


def test_the_token_never_reaches_storage(client, platform, make_file,
                                          tmp_path):
    source = make_file(2 * PART + 5)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=PART).result()
    uploaded.download(str(tmp_path / 'out'), chunk_size=PART)
    storage = platform.requests('storage')
    assert storage and all('X-SBG-Auth-Token' not in r['headers']
                           and 'Authorization' not in r['headers']
                           for r in storage)
    assert all(r['headers'].get('X-SBG-Auth-Token') == platform.token
               for r in platform.requests('api'))


def test_api_sequence_of_an_upload(client, platform, make_file):
    source = make_file(PART + 3)
    client.files.upload(str(source), parent='folder1', overwrite=True,
                        file_name='renamed.bin', part_size=PART)
    calls = [(r['method'], r['path']) for r in platform.requests('api')]
    upload_id = calls[1][1].split('/')[4]
    assert calls[0] == ('POST', '/v2/upload/multipart')
    assert platform.requests('api')[0]['query'] == {'overwrite': ['True']}
    assert sorted(calls[1:5]) == sorted([
        ('GET', f'/v2/upload/multipart/{upload_id}/part/1'),
        ('GET', f'/v2/upload/multipart/{upload_id}/part/2'),
        ('POST', f'/v2/upload/multipart/{upload_id}/part/'),
        ('POST', f'/v2/upload/multipart/{upload_id}/part/')])
    assert calls[5] == ('POST', f'/v2/upload/multipart/{upload_id}/complete')


def test_retries_failed_and_expired_parts(client, platform, make_file):
    platform.fail('storage', 'PUT', r'/parts/\w+/2$', 500, times=2)
    platform.fail('storage', 'PUT', r'/parts/\w+/1$', 403)
    source = make_file(2 * PART + 1)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=PART).result()
    assert platform.content(uploaded.id) == source.read_bytes()
    url_requests = platform.requests('api', 'GET', r'/part/1$')
    assert len(url_requests) == 2  # a new URL after the refusal
    assert len(platform.requests('api', 'GET', r'/part/2$')) == 3


def test_a_part_that_keeps_failing_fails_the_upload(client, platform,
                                                     make_file):
    platform.fail('storage', 'PUT', r'/parts/\w+/2$', 500, times=100)
    source = make_file(2 * PART + 1)
    seen = []
    upload = client.files.upload(str(source), project='u/p', part_size=PART,
                                 retry=3, wait=False)
    upload.add_callback(callback=lambda s: seen.append(('done', s)),
                        errorback=lambda s: seen.append(('error', s)))
    upload.start()
    with pytest.raises(errors.SbgError, match='part 2 .* after 3 attempts'):
        upload.wait()
    assert upload.status == TransferState.FAILED
    with pytest.raises(errors.SbgError):
        upload.result()
    assert seen == [('error', 'FAILED')]
    assert platform.requests('api', 'DELETE', r'/upload/multipart/\w+$')
    assert platform.requests('api', 'POST', 'complete') == []
    assert not os.listdir(journals.cache_dir() + '/uploads')


def init_bodies(platform, pattern=r'/upload/multipart$'):
    return [entry['body'] for entry in platform.requests('api', 'POST',
                                                         pattern)]


def test_the_servers_part_size_replaces_the_asked_one(client, platform,
                                                       make_file):
    platform.suggested_part_size = 6 * MIB
    source = make_file(13 * MIB)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=1024).result()
    assert platform.content(uploaded.id) == source.read_bytes()
    assert init_bodies(platform) == [{'name': 'source.bin', 'size': 13 * MIB,
                                      'part_size': 1024, 'project': 'u/p'}]
    lengths = sorted(int(put['headers']['Content-Length'])
                     for put in platform.requests('storage', 'PUT'))
    assert lengths == [MIB, 6 * MIB, 6 * MIB]


def test_part_sizes_are_sent_as_asked(client, platform, make_file):
    source = make_file(3000)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=1024).result()
    assert platform.content(uploaded.id) == source.read_bytes()
    assert init_bodies(platform)[0]['part_size'] == 1024
    assert len(platform.requests('storage', 'PUT')) == 3
    huge = make_file(10, name='huge.bin')
    client.files.upload(str(huge), project='u/p', part_size=6 * 1024 ** 3)
    assert init_bodies(platform)[1]['part_size'] == 6 * 1024 ** 3


def test_a_code_package_of_a_few_bytes_in_one_byte_parts(client, platform,
                                                         make_file):
    source = make_file(5, name='code.zip')
    upload = CodePackageUpload(str(source), 'automation-1', part_size=1,
                               api=client)
    upload.start()
    upload.wait()
    assert platform.content(upload.result().id) == source.read_bytes()
    assert init_bodies(platform, r'/automation/upload$') == [
        {'name': 'code.zip', 'size': 5, 'automation_id': 'automation-1',
         'part_size': 1}]
    assert len(platform.requests('storage', 'PUT')) == 5


@pytest.mark.parametrize('answer', [-1, 'big', 2.5])
def test_a_server_part_size_that_cannot_work_fails_and_aborts(
        client, platform, make_file, answer):
    platform.suggested_part_size = answer
    source = make_file(6 * MIB)
    upload = client.files.upload(str(source), project='u/p', wait=False)
    upload.start()
    with pytest.raises(errors.SbgError, match='part size that cannot work'):
        upload.wait()
    assert platform.requests('api', 'DELETE')
    assert platform.requests('storage') == []


@pytest.mark.parametrize('part_size', [0, -1, 1.5, '5', True])
def test_part_sizes_that_are_not_positive_integers_are_refused(
        client, platform, make_file, part_size):
    source = make_file(6 * MIB)
    with pytest.raises(errors.ValidationError,
                       match='part_size must be a positive number of bytes'):
        Upload(str(source), project='u/p', part_size=part_size, api=client)
    assert platform.log == []


def test_the_default_part_size_grows_to_fit_ten_thousand_parts():
    assert parts.part_size_to_ask(1024) == 32 * MIB
    assert parts.part_size_to_ask(1024 ** 4) == 105 * MIB
    assert parts.part_size_to_ask(1024 ** 4, 50 * MIB) == 50 * MIB
    with pytest.raises(errors.SbgError, match='Maximum file size'):
        parts.part_size_to_ask(6 * 1024 ** 4)
    assert parts.part_layout(21, 10) == [(1, 0, 10), (2, 10, 10),
                                            (3, 20, 1)]
    assert parts.part_layout(0, 10) == [(1, 0, 0)]
    assert parts.count_parts(21, 10) == 3
    assert parts.count_parts(0, 10) == 1


def test_parts_are_read_in_blocks_into_one_buffer(client, platform,
                                                  make_file, monkeypatch):
    # without sendfile (see test_zero_copy): parts are read, then sent
    monkeypatch.delattr(os, 'sendfile')
    reads = []
    original = PositionalFile.read_into

    def spy(self, view, offset):
        reads.append((len(view), view.obj))
        return original(self, view, offset)

    monkeypatch.setattr(PositionalFile, 'read_into', spy)
    source = make_file(3 * PART)
    client.files.upload(str(source), project='u/p', part_size=PART)
    assert max(length for length, _ in reads) <= IO_CHUNK
    assert sum(length for length, _ in reads) == 3 * PART
    assert len({id(buffer) for _, buffer in reads}) <= 3  # one per part


def test_code_package_upload(client, platform, make_file):
    source = make_file(PART + 1, name='code.zip')
    upload = CodePackageUpload(str(source), 'automation-1', api=client,
                               part_size=PART)
    upload.start()
    upload.wait()
    assert platform.content(upload.result().id) == source.read_bytes()
    init = platform.requests('api', 'POST', r'/automation/upload$')[0]
    assert init['query'] == {}
    assert all(r['path'].startswith('/v2/automation/upload')
               for r in platform.requests('api'))
    empty = make_file(0, name='empty.zip')
    with pytest.raises(errors.SbgError, match='File size must not be 0.'):
        CodePackageUpload(str(empty), 'automation-1', api=client)


def test_upload_constructor_checks(client, tmp_path):
    with pytest.raises(errors.SbgError, match='Project or parent'):
        Upload('x', api=client)
    with pytest.raises(errors.SbgError, match='mutually exclusive.'):
        Upload('x', project='p', parent='f', api=client)
    with pytest.raises(errors.SbgError, match='File path is not valid.'):
        Upload('', project='p', api=client)
    with pytest.raises(errors.SbgError, match='is not a path to a valid'):
        Upload(str(tmp_path / 'missing'), project='p', api=client)
    (tmp_path / 'f').write_bytes(b'x')
    with pytest.raises(errors.SbgError, match='Api instance not provided!'):
        Upload(str(tmp_path / 'f'), project='p')


# -- downloads --------------------------------------------------------------------

def stored(platform, size):
    pattern = bytes(range(253))
    return platform.add_file('data.bin', (pattern * (size // 253 + 1))[:size])


def download_url(client, file_id):
    return File(api=client, id=file_id).download_info().url


def test_download_retries_and_verifies_ranges(client, platform, tmp_path):
    file_id = stored(platform, 3 * PART + 9)
    target = tmp_path / 'out.bin'
    platform.fail('storage', 'GET', '/objects/', 503, times=1)
    download = Download(download_url(client, file_id), str(target),
                        part_size=PART, api=client)
    platform.fail('storage', 'GET', '/objects/', 500, times=1)
    platform.fail('storage', 'GET', '/objects/', None, times=1,
                  truncate=True)
    platform.fail('storage', 'GET', '/objects/', None, times=1,
                  ignore_range=True)
    download.start()
    download.wait()
    assert target.read_bytes() == platform.content(file_id)
    assert download.status == TransferState.COMPLETED
    assert download.progress == 100.0
    assert sorted(set(os.listdir(tmp_path)) - {'cache'}) == ['out.bin',
                                                           'platform']


def test_failed_download_leaves_no_file(client, platform, tmp_path):
    file_id = stored(platform, 2 * PART)
    url = download_url(client, file_id)
    target = tmp_path / 'out.bin'
    errors_seen = []
    download = Download(url, str(target), part_size=PART, retry_count=2,
                        api=client)
    platform.fail('storage', 'GET', '/objects/', 500, times=100)
    download.add_callback(errorback=errors_seen.append)
    download.start()
    with pytest.raises(errors.SbgError, match='Download failed!'):
        download.wait()
    assert download.status == TransferState.FAILED
    assert isinstance(errors_seen[0], errors.SbgError)
    assert sorted(set(os.listdir(tmp_path)) - {'cache'}) == ['platform']


def test_download_of_an_empty_file(client, platform, tmp_path):
    file_id = stored(platform, 0)
    target = tmp_path / 'empty.bin'
    File(api=client, id=file_id).download(str(target))
    assert target.read_bytes() == b''


def test_download_to_a_bare_name_in_the_working_folder(
        client, platform, tmp_path, monkeypatch):
    file_id = stored(platform, 2 * PART + 1)
    work = tmp_path / 'work'
    work.mkdir()
    monkeypatch.chdir(work)
    File(api=client, id=file_id).download('here.bin', chunk_size=PART)
    assert (work / 'here.bin').read_bytes() == platform.content(file_id)
    assert os.listdir(work) == ['here.bin']


def test_download_refuses_an_existing_target(client, platform, tmp_path):
    file_id = stored(platform, 10)
    target = tmp_path / 'exists.bin'
    target.write_bytes(b'keep me')
    with pytest.raises(errors.LocalFileAlreadyExists):
        File(api=client, id=file_id).download(str(target))
    File(api=client, id=file_id).download(str(target), overwrite=True)
    assert target.read_bytes() == platform.content(file_id)


def test_download_constructor_checks(client):
    with pytest.raises(errors.SbgError, match='Api instance missing.'):
        Download('http://127.0.0.1:1/x', 'out')
    with pytest.raises(errors.SbgError, match='Part size is too small!'):
        Download('http://127.0.0.1:1/x', 'out', part_size=1024, api=client)


def test_default_download_parts_grow_with_the_file():
    assert [download_part_size(size) for size in (
        0, 10, 256 * MIB, 512 * MIB, 512 * MIB + 1, 4096 * MIB,
        100 * 1024 * MIB)] == [8 * MIB, 8 * MIB, 8 * MIB, 16 * MIB,
                               17 * MIB, 64 * MIB, 64 * MIB]


def test_content_and_stream(client, platform):
    file_id = platform.add_file('hello.txt', 'Hello, genome!'.encode())
    file = File(api=client, id=file_id)
    assert file.content() == 'Hello, genome!'
    assert b''.join(file.stream(part_size=4)) == b'Hello, genome!'


@pytest.mark.parametrize('workers', [1, 2])
def test_more_parts_than_workers(platform, make_file, tmp_path, workers):
    import sevenbridges as sbg
    client = sbg.Api(url=platform.url, token=platform.token,
                     upload_max_workers=workers,
                     download_max_workers=workers)
    source = make_file(5 * PART + 3)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=PART).result()
    assert len(platform.requests('storage', 'PUT')) == 6
    target = tmp_path / 'out.bin'
    uploaded.download(str(target), chunk_size=PART)
    assert target.read_bytes() == source.read_bytes()
    assert len(platform.requests('storage', 'GET')) == 7  # probe + 6 parts
