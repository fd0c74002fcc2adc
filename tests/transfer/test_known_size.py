"""A download of a file whose size a listing told (``Download.
_with_options`` with ``known_size``, what folder transfers use): one part
is one ranged GET, without the size probe; the answer must still be of
that size. Downloads of one part keep no journal, downloads of several
do."""
import os

import pytest

from sevenbridges.errors import SbgError
from sevenbridges.models.file import File
from sevenbridges.transfer import journals
from sevenbridges.transfer.download import Download
from sevenbridges.transfer.options import TransferOptions
from tests.transfer.conftest import MIB

PART = 5 * MIB


def content(size):
    return bytes(index % 251 for index in range(size))


def storage_gets(platform):
    return [entry['headers'].get('Range')
            for entry in platform.requests('storage', 'GET')]


def known(client, platform, file_id, size, target, part_size=None):
    url = File(api=client, id=file_id).download_info().url
    return Download._with_options(TransferOptions(part_size), url,
                                  str(target), api=client, known_size=size)


@pytest.mark.parametrize('size', [0, 1, 1000, PART])
def test_one_part_of_a_known_size_is_one_get(client, platform, tmp_path,
                                             size):
    file_id = platform.add_file('a.bin', content(size))
    download = known(client, platform, file_id, size, tmp_path / 'a.bin',
                     part_size=PART)
    download.run()
    assert (tmp_path / 'a.bin').read_bytes() == content(size)
    assert storage_gets(platform) == ([] if size == 0 else
                                      [f'bytes=0-{size - 1}'])
    assert sorted(os.listdir(tmp_path)) == sorted(['a.bin', 'platform'])


def test_several_parts_of_a_known_size_are_probed_first(client, platform,
                                                         tmp_path):
    size = 2 * PART + 1
    file_id = platform.add_file('a.bin', content(size))
    known(client, platform, file_id, size, tmp_path / 'a.bin',
          part_size=PART).run()
    assert (tmp_path / 'a.bin').read_bytes() == content(size)
    gets = storage_gets(platform)
    assert gets[0] == 'bytes=0-0' and len(gets) == 4


@pytest.mark.parametrize('told', [10, 30])
def test_a_file_of_another_size_than_told_fails_and_leaves_nothing(
        client, platform, tmp_path, told):
    file_id = platform.add_file('a.bin', content(20))
    download = known(client, platform, file_id, told, tmp_path / 'a.bin',
                     part_size=PART)
    with pytest.raises(SbgError, match='changed on the storage'):
        download.run()
    assert sorted(os.listdir(tmp_path)) == ['platform']
    # a changed file is not retried: one GET
    assert len(storage_gets(platform)) == 1


def test_a_whole_answer_of_another_size_than_told_is_not_retried(
        client, platform, tmp_path):
    file_id = platform.add_file('a.bin', content(20))
    platform.fail('storage', 'GET', '/objects/', None, times=6,
                  ignore_range=True)
    download = known(client, platform, file_id, 10, tmp_path / 'a.bin',
                     part_size=PART)
    with pytest.raises(SbgError, match='changed on the storage'):
        download.run()
    assert len(storage_gets(platform)) == 1


@pytest.mark.parametrize('size,journaled', [(PART, False), (PART + 1, True)])
def test_only_downloads_of_several_parts_keep_a_journal(
        client, platform, tmp_path, monkeypatch, size, journaled):
    file_id = platform.add_file('a.bin', content(size))
    written = []
    monkeypatch.setattr(journals, 'write_journal',
                        lambda path, data: written.append(path))
    File(api=client, id=file_id).download(str(tmp_path / 'a.bin'),
                                          chunk_size=PART)
    assert (tmp_path / 'a.bin').read_bytes() == content(size)
    # at the start and after each part; none for one part
    assert len(written) == (3 if journaled else 0)


@pytest.mark.parametrize('stale_journal', [
    '{"parts": [1]}',   # of an earlier version
    '{"parts": [1',     # unreadable
])
def test_a_one_part_download_removes_a_journal_of_an_earlier_version(
        client, platform, tmp_path, stale_journal):
    file_id = platform.add_file('a.bin', content(100))
    download = File(api=client, id=file_id).download(
        str(tmp_path / 'a.bin'), wait=False)
    stale = f'{download._temp_file}.parts'
    with open(stale, 'w') as fp:
        fp.write(stale_journal)
    download.start()
    download.wait()
    assert not os.path.exists(stale)
    assert (tmp_path / 'a.bin').read_bytes() == content(100)
