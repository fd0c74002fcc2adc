"""A resumed transfer is of the same bytes: download journals record the
file and its version, upload journals the source and the target; an upload
part counts as done only once reported and journaled."""
import json
import os

import pytest

import sevenbridges as sbg
from sevenbridges import errors
from sevenbridges.models.file import File
from sevenbridges.transfer import journals
from sevenbridges.transfer.download import Download
from sevenbridges.transfer.upload import Upload
from tests.transfer.conftest import MIB

PART = 5 * MIB
SIZE = 4 * PART + 3


@pytest.fixture
def serial_client(platform):
    """One part at a time, so that an interrupted transfer has stored
    exactly the first parts."""
    return sbg.Api(url=platform.url, token=platform.token,
                   upload_max_workers=1, download_max_workers=1)


def content(seed, size=SIZE):
    pattern = bytes((index * seed + 1) % 256 for index in range(256))
    return (pattern * (size // 256 + 1))[:size]


def ranges_fetched(platform):
    return [entry['headers'].get('Range')
            for entry in platform.requests('storage', 'GET')]


def interrupt(platform, monkeypatch, start, method, path, keep):
    """Run a transfer that stops for good after two parts and leaves behind
    what a killed process does (``keep``: the transfer methods that would
    clean up, made to do nothing)."""
    def fail_from_now_on(progress):
        if progress.parts_done == 2:
            platform.fail('storage', method, path, 500, times=1000)

    with monkeypatch.context() as patch:
        for owner, name in keep:
            patch.setattr(owner, name, lambda self: None)
        transfer = start()
        transfer.add_progress_callback(fail_from_now_on)
        transfer.start()
        with pytest.raises(errors.SbgError):
            transfer.wait()
    platform.faults.clear()
    platform.log.clear()


def interrupt_download(platform, monkeypatch, start_download):
    """A download killed after two parts: its temporary file and journal
    stay."""
    interrupt(platform, monkeypatch, start_download, 'GET', '/objects/',
              [(Download, '_remove_temporary_files')])


def file_download(client, file_id, target, **known):
    return File(api=client, id=file_id, **known).download(
        str(target), chunk_size=PART, retry=1, wait=False)


def interrupted_download(client, platform, monkeypatch, tmp_path):
    """A file of the platform whose download into ``tmp_path/out.bin`` was
    killed after two parts: ``(file id, target)``."""
    file_id = platform.add_file('a.bin', content(3))
    target = tmp_path / 'out.bin'
    interrupt_download(platform, monkeypatch, lambda: file_download(
        client, file_id, target))
    return file_id, target


def test_a_download_of_another_file_of_the_same_size_starts_over(
        serial_client, platform, monkeypatch, tmp_path):
    first = platform.add_file('a.bin', content(3))
    second = platform.add_file('b.bin', content(5))
    target = tmp_path / 'out.bin'
    interrupt_download(platform, monkeypatch, lambda: file_download(
        serial_client, first, target))
    assert not target.exists()
    File(api=serial_client, id=second).download(str(target), chunk_size=PART)
    assert target.read_bytes() == content(5)
    assert f'bytes=0-{PART - 1}' in ranges_fetched(platform)
    assert set(os.listdir(tmp_path)) - {'cache'} == {'out.bin', 'platform'}


def test_a_download_continues_only_the_same_version(serial_client, platform,
                                                    monkeypatch, tmp_path):
    file_id, target = interrupted_download(serial_client, platform,
                                           monkeypatch, tmp_path)
    File(api=serial_client, id=file_id).download(str(target), chunk_size=PART)
    assert target.read_bytes() == content(3)
    assert f'bytes=0-{PART - 1}' not in ranges_fetched(platform)
    assert len(ranges_fetched(platform)) == 1 + 3  # probe + 3 parts left

    target.unlink()
    interrupt_download(platform, monkeypatch, lambda: file_download(
        serial_client, file_id, target))
    platform.replace(file_id, content(7))       # a new version, same size
    File(api=serial_client, id=file_id).download(str(target), chunk_size=PART)
    assert target.read_bytes() == content(7)
    assert f'bytes=0-{PART - 1}' in ranges_fetched(platform)


@pytest.mark.parametrize('known_after,continues', [
    ({'size': SIZE, 'modified_on': '2024-01-01T00:00:00Z'}, True),
    ({'size': SIZE, 'modified_on': '2024-02-02T00:00:00Z'}, False),
    ({}, False),
])
def test_without_a_storage_version_the_files_size_and_date_decide(
        serial_client, platform, monkeypatch, tmp_path, known_after,
        continues):
    platform.versioned = False
    file_id = platform.add_file('a.bin', content(3))
    target = tmp_path / 'out.bin'
    known = {'size': SIZE, 'modified_on': '2024-01-01T00:00:00Z'}
    interrupt_download(platform, monkeypatch, lambda: file_download(
        serial_client, file_id, target, **known))
    File(api=serial_client, id=file_id, **known_after).download(
        str(target), chunk_size=PART)
    assert target.read_bytes() == content(3)
    started_over = f'bytes=0-{PART - 1}' in ranges_fetched(platform)
    assert started_over is not continues


def test_the_journal_records_file_version_and_layout(client, platform,
                                                     tmp_path, monkeypatch):
    file_id = platform.add_file('a.bin', content(3))
    target = tmp_path / 'out.bin'
    written = []
    original = journals.write_journal

    def spy(path, data):
        written.append(json.loads(json.dumps(data)))
        original(path, data)

    monkeypatch.setattr(journals, 'write_journal', spy)
    File(api=client, id=file_id).download(str(target), chunk_size=PART)
    etag = platform.files[file_id]['etag']
    assert written[0] == {'file': file_id, 'version': f'etag:"{etag}"',
                           'size': SIZE, 'part_size': PART, 'parts': []}
    assert written[-1]['parts'] == [1, 2, 3, 4, 5]


def test_a_file_that_changes_during_a_download_fails_at_once(
        serial_client, platform, tmp_path):
    file_id = platform.add_file('a.bin', content(3))
    target = tmp_path / 'out.bin'
    download = File(api=serial_client, id=file_id).download(
        str(target), chunk_size=PART, wait=False)

    def change(progress):
        if progress.parts_done == 1:
            platform.replace(file_id, content(9))

    download.add_progress_callback(change)
    download.start()
    with pytest.raises(errors.SbgError, match='changed on the storage'):
        download.wait()
    assert len(ranges_fetched(platform)) == 1 + 2  # no retry of part 2
    assert set(os.listdir(tmp_path)) - {'cache'} == {'platform'}


# -- uploads ----------------------------------------------------------------------

def interrupt_upload(platform, monkeypatch, start_upload):
    """An upload killed after two parts: its journal and its multipart
    upload on the server stay."""
    interrupt(platform, monkeypatch, start_upload, 'PUT', '/parts/',
              [(Upload, '_abort'), (Upload, '_forget')])


def part_numbers_sent(platform):
    return sorted(int(entry['path'].rsplit('/', 1)[1])
                  for entry in platform.requests('storage', 'PUT'))


def upload_to(client, source, **destination):
    return client.files.upload(str(source), part_size=PART, retry=1,
                               wait=False, **(destination or
                                              {'project': 'u/p'}))


def test_an_upload_continues_for_the_same_source_and_target(
        serial_client, platform, monkeypatch, make_file):
    source = make_file(SIZE)
    interrupt_upload(platform, monkeypatch,
                     lambda: upload_to(serial_client, source))
    uploaded = serial_client.files.upload(str(source), project='u/p',
                                          part_size=PART).result()
    assert platform.content(uploaded.id) == source.read_bytes()
    assert part_numbers_sent(platform) == [3, 4, 5]
    assert platform.requests('api', 'POST', r'/upload/multipart$') == []


@pytest.mark.parametrize('change', ['content', 'target'])
def test_an_upload_starts_over_for_another_source_or_target(
        serial_client, platform, monkeypatch, make_file, change):
    source = make_file(SIZE)
    interrupt_upload(platform, monkeypatch,
                     lambda: upload_to(serial_client, source))
    destination = {'project': 'u/p'}
    if change == 'content':    # same path and size, another modification
        source.write_bytes(content(11))
        stat = os.stat(source)
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10 ** 9))
    else:
        destination = {'project': 'u/other'}
    uploaded = serial_client.files.upload(str(source), part_size=PART,
                                          **destination).result()
    assert platform.content(uploaded.id) == source.read_bytes()
    assert part_numbers_sent(platform) == [1, 2, 3, 4, 5]
    assert len(platform.requests('api', 'POST', r'/upload/multipart$')) == 1


def test_a_source_that_changes_during_an_upload_fails_it(
        serial_client, platform, make_file):
    source = make_file(SIZE)
    upload = upload_to(serial_client, source)

    def touch(progress):
        if progress.parts_done == 1:
            stat = os.stat(source)
            os.utime(source, ns=(stat.st_atime_ns,
                                 stat.st_mtime_ns + 10 ** 9))

    upload.add_progress_callback(touch)
    upload.start()
    with pytest.raises(errors.SbgError, match='changed while it was uploaded'):
        upload.wait()
    assert platform.requests('api', 'POST', 'complete') == []
    assert platform.requests('api', 'DELETE')


def test_a_part_is_done_once_reported_then_journaled(client, platform,
                                                     make_file):
    source = make_file(SIZE)
    upload = upload_to(client, source)
    seen = []

    def check(progress):
        journal = journals.read_journal(upload._journal)
        server = platform.uploads[upload._upload_id]
        journaled = {int(number) for number in journal['parts']}
        reported = set(server['reported'])
        seen.append((progress.parts_done, len(journaled)))
        assert journaled <= reported
        assert len(journaled) >= progress.parts_done

    upload.add_progress_callback(check)
    upload.start()
    upload.wait()
    assert [done for done, _ in seen] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize('size,journaled', [(PART, False), (PART + 1, True)])
def test_only_uploads_of_several_parts_keep_a_journal(
        client, platform, tmp_path, monkeypatch, size, journaled):
    source = tmp_path / 'source.bin'
    source.write_bytes(content(3, size))
    written = []
    monkeypatch.setattr(journals, 'write_journal',
                        lambda path, data: written.append(sorted(
                            data['parts'])))
    upload = client.files.upload(str(source), project='u/p', part_size=PART)
    assert upload.result().size == size
    # a journal is written at the start and after each stored part
    if journaled:
        assert len(written) == 3 and written[0] == [] and \
            written[-1] == [1, 2]
    else:
        assert written == []
    assert len(platform.requests('storage', 'PUT')) == (2 if journaled
                                                        else 1)


def test_a_download_of_no_asked_part_size_continues_with_the_journals(
        serial_client, platform, monkeypatch, tmp_path):
    # A folder download sizes its parts by what is left to download, so a
    # run that continues may choose another size than the journal's.
    file_id, target = interrupted_download(serial_client, platform,
                                           monkeypatch, tmp_path)
    File(api=serial_client, id=file_id).download(str(target))
    assert target.read_bytes() == content(3)
    assert ranges_fetched(platform) == [
        'bytes=0-0', f'bytes={2 * PART}-{3 * PART - 1}',
        f'bytes={3 * PART}-{4 * PART - 1}', f'bytes={4 * PART}-{SIZE - 1}']


def test_a_download_of_another_asked_part_size_starts_over(
        serial_client, platform, monkeypatch, tmp_path):
    file_id, target = interrupted_download(serial_client, platform,
                                           monkeypatch, tmp_path)
    File(api=serial_client, id=file_id).download(str(target),
                                                 chunk_size=PART + MIB)
    assert target.read_bytes() == content(3)
    assert f'bytes=0-{PART + MIB - 1}' in ranges_fetched(platform)
