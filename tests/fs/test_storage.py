"""Reads received straight into the ``bytes`` returned
(:func:`sevenbridges.fs.storage.filled_bytes`): the object, its content
at the sizes around the threshold, the failure of one part among many,
and the fallback where CPython's C-API is not there."""
import os
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from sevenbridges.fs import storage

KIB = 1024
MIB = 1024 * KIB


@pytest.fixture(params=['c-api', 'fallback'])
def allocation(request, monkeypatch):
    """Every test twice: with the C-API, and without it."""
    if request.param == 'fallback':
        monkeypatch.setattr(storage, '_C_API', None)
    return request.param


@pytest.fixture
def small_parts(monkeypatch):
    """Parts of 256 KiB: a read of a few MiB goes in many parallel parts."""
    monkeypatch.setattr(storage, 'PART', 256 * KIB)


def _fill_with(pattern):
    def fill(view):
        assert view.format == 'B' and not view.readonly
        for offset in range(0, len(view), len(pattern)):
            chunk = pattern[:len(view) - offset]
            view[offset:offset + len(chunk)] = chunk
    return fill


@pytest.mark.parametrize('length', [
    0, 1, 7, storage.DIRECT_MIN - 1, storage.DIRECT_MIN,
    storage.DIRECT_MIN + 1, 3 * MIB + 5])
def test_filled_bytes_is_exactly_bytes_with_what_was_filled(
        allocation, length):
    pattern = bytes(range(251))
    result = storage.filled_bytes(length, _fill_with(pattern))
    assert type(result) is bytes
    expected = (pattern * (length // len(pattern) + 1))[:length]
    assert result == expected
    assert hash(result) == hash(expected)


def test_filled_bytes_gives_a_new_object_each_time():
    fill = _fill_with(b'a')
    first = storage.filled_bytes(2 * MIB, fill)
    second = storage.filled_bytes(2 * MIB, _fill_with(b'b'))
    assert first is not second
    assert first == b'a' * 2 * MIB and second == b'b' * 2 * MIB


def test_a_fill_that_raises_raises_and_returns_nothing(allocation):
    def fill(view):
        view[:3] = b'abc'
        raise ValueError('no more')

    with pytest.raises(ValueError, match='no more'):
        storage.filled_bytes(2 * MIB, fill)
    # what was filled is gone with the object: later objects are new
    assert storage.filled_bytes(2 * MIB, _fill_with(b'z')) == b'z' * 2 * MIB


def test_without_the_c_api_a_bytearray_is_filled_and_copied(monkeypatch):
    monkeypatch.setattr(storage, '_C_API', None)
    seen = []
    storage.filled_bytes(2 * MIB, lambda view: seen.append(view.obj))
    assert type(seen[0]) is bytearray


def test_large_fills_go_into_the_returned_object_itself():
    if storage._C_API is None:
        pytest.skip('not CPython')
    seen = []

    def fill(view):
        seen.append(view.obj.owner)
        view[:] = b'q' * len(view)

    result = storage.filled_bytes(2 * MIB, fill)
    assert seen[0] is result


@pytest.mark.parametrize('start, end', [
    (None, None), (0, storage.DIRECT_MIN), (1, storage.DIRECT_MIN + 2),
    (5, None), (-(storage.DIRECT_MIN + 1), None), (100, 3 * MIB - 100)])
def test_cat_file_reads_into_bytes_in_parallel_parts(
        allocation, small_parts, sbg_fs, project, start, end):
    content = os.urandom(3 * MIB + 11)
    path = f'{project.id}/data.bin'
    sbg_fs.pipe_file(path, content)
    result = sbg_fs.cat_file(path, start, end)
    assert type(result) is bytes
    assert result == content[start:end]
    assert sbg_fs.cat_ranges([path, path], [0, 3 * MIB], [2 * MIB, None]) \
        == [content[:2 * MIB], content[3 * MIB:]]


def test_an_open_file_reads_ranges_into_bytes(allocation, sbg_fs, project):
    content = os.urandom(3 * MIB)
    path = f'{project.id}/data.bin'
    sbg_fs.pipe_file(path, content)
    with sbg_fs.open(path, 'rb', block_size=2 * MIB,
                     cache_type='none') as f:
        f.seek(10)
        block = f.read(2 * MIB)
    assert block == content[10:10 + 2 * MIB]


def test_a_failing_part_among_many_raises_its_error(
        allocation, small_parts, emulator, sbg_fs, project):
    content = os.urandom(3 * MIB)
    path = f'{project.id}/data.bin'
    sbg_fs.pipe_file(path, content)
    sbg_fs.info(path)
    emulator.faults.add(listener='storage', method='GET', status=404,
                        times=1)
    with pytest.raises(FileNotFoundError):
        sbg_fs.cat_file(path)
    assert sbg_fs.cat_file(path) == content          # nothing broke


def test_no_read_runs_once_a_failed_parallel_read_has_raised(
        allocation, monkeypatch):
    """The parts still running when one fails are waited for, those not
    started are cancelled: nothing writes into the memory afterwards."""
    monkeypatch.setattr(storage, 'PART', 64 * KIB)
    length = 40 * 64 * KIB
    release = threading.Event()
    started, finished = [], []

    def read_range(session, url, start, into, path, timeout=None):
        started.append(start)
        if start == 0:
            # the first part fails while the others still read; they are
            # let go a while later
            threading.Timer(0.3, release.set).start()
            raise OSError('part 1 failed')
        release.wait()
        into[:] = b'y' * len(into)
        finished.append(start)

    monkeypatch.setattr(storage, 'read_range', read_range)
    with ThreadPoolExecutor(2) as pool:
        with pytest.raises(OSError, match='part 1 failed'):
            storage.read_parallel(None, None, 0, length, 'p', pool)
        # when the error left, every part that had started had finished
        assert release.is_set()
        assert sorted(finished) == sorted(started[1:])
        count = len(started)
    assert len(started) == count            # nothing started afterwards
    assert count < 40                       # the rest was cancelled
