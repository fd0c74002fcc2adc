"""The temporary file of a file open for writing
(:class:`sevenbridges.fs.spill.Spill`): what is written arrives whole and
in order, in bounded memory; a failing disk fails the write and leaves
nothing."""
import array
import errno
import os

import pytest

from sevenbridges.fs import SevenBridgesFileSystem, spill
from sevenbridges.transfer._fileio import PositionalFile

KIB = 1024


@pytest.fixture
def small_blocks(monkeypatch):
    """Blocks of 8 KiB (still whole pages, as O_DIRECT wants)."""
    monkeypatch.setattr(spill, 'BLOCK', 8 * KIB)


def test_a_small_file_is_written_on_close_without_the_thread(tmp_path):
    written = spill.Spill(str(tmp_path))
    assert written.write(b'abc') == 3
    assert written.write(bytearray(b'de')) == 2
    assert written.size == 5
    written.close()
    assert written._thread is None
    with open(written.name, 'rb') as fp:
        assert fp.read() == b'abcde'
    written.discard()
    assert os.listdir(tmp_path) == []


def test_an_empty_spill_is_an_empty_file(tmp_path):
    written = spill.Spill(str(tmp_path))
    written.close()
    assert os.path.getsize(written.name) == 0
    written.discard()


@pytest.mark.parametrize('direct', [False, True])
def test_blocks_arrive_whole_and_in_order_in_bounded_memory(
        small_blocks, monkeypatch, tmp_path, direct):
    monkeypatch.setattr(spill, 'DIRECT', direct)
    content = os.urandom(200 * KIB + 123)
    written = spill.Spill(str(tmp_path))
    sizes = [1, 4095, 8 * KIB, 3, 20 * KIB + 7, 100 * KIB]
    offset = 0
    for size in sizes:
        assert written.write(memoryview(content)[offset:offset + size]) \
            == size
        offset += size
    written.write(content[offset:])
    assert written.size == len(content)
    written.close()
    assert len(written._blocks) <= spill.BLOCKS
    assert not written._thread.is_alive()
    with open(written.name, 'rb') as fp:
        assert fp.read() == content
    written.discard()
    assert os.listdir(tmp_path) == []


def test_any_bytes_like_object_is_taken_and_str_is_refused(
        small_blocks, tmp_path):
    numbers = array.array('i', range(5000))
    written = spill.Spill(str(tmp_path))
    assert written.write(numbers) == len(numbers) * numbers.itemsize
    with pytest.raises(TypeError):
        written.write('text')
    written.close()
    with open(written.name, 'rb') as fp:
        assert fp.read() == numbers.tobytes()
    written.discard()
    with pytest.raises(ValueError):
        written.write(b'late')


def _full_disk(monkeypatch):
    def write_at(self, view, offset):
        raise OSError(errno.ENOSPC, 'No space left on device')
    monkeypatch.setattr(PositionalFile, 'write_at', write_at)


def test_a_full_disk_fails_a_later_write_or_the_close(
        small_blocks, monkeypatch, tmp_path):
    _full_disk(monkeypatch)
    written = spill.Spill(str(tmp_path))
    with pytest.raises(OSError) as raised:
        for _ in range(64):
            written.write(bytes(8 * KIB))
        written.close()
    assert raised.value.errno == errno.ENOSPC
    written.discard()
    assert os.listdir(tmp_path) == []


def test_a_write_to_a_full_disk_uploads_nothing_and_leaves_nothing(
        small_blocks, monkeypatch, emulator, project, tmp_path):
    fs = SevenBridgesFileSystem(endpoint=emulator.url, token=emulator.token,
                                spill_dir=str(tmp_path),
                                skip_instance_cache=True)
    _full_disk(monkeypatch)
    path = f'{project.id}/full.bin'
    with pytest.raises(OSError):
        with fs.open(path, 'wb') as target:
            for _ in range(64):
                target.write(bytes(8 * KIB))
    assert os.listdir(tmp_path) == []
    assert not fs.exists(path)
    with pytest.raises(OSError):
        fs.pipe_file(path, bytes(64 * KIB))
    assert os.listdir(tmp_path) == []
    assert not fs.exists(path)


def test_a_large_write_goes_through_the_thread_and_uploads_whole(
        small_blocks, emulator, project, tmp_path):
    fs = SevenBridgesFileSystem(endpoint=emulator.url, token=emulator.token,
                                spill_dir=str(tmp_path),
                                skip_instance_cache=True)
    content = os.urandom(300 * KIB + 5)
    path = f'{project.id}/spilled.bin'
    with fs.open(path, 'wb') as target:
        for start in range(0, len(content), 7 * KIB):
            target.write(content[start:start + 7 * KIB])
        assert target._spill._thread is not None
    assert os.listdir(tmp_path) == []
    assert fs.cat_file(path) == content
