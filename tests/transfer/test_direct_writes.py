"""Downloads written with ``O_DIRECT`` where the file is on a block device:
aligned blocks go straight to the disk, tails and everything else through
the page cache, refusals fall back, and the file's room is reserved first.
"""
import errno
import os
import tempfile

import pytest

from sevenbridges import errors
from sevenbridges.models.file import File
from sevenbridges.transfer._fileio import (
    DIRECT_ALIGNMENT,
    PositionalFile,
    new_buffer,
)
from tests.transfer.conftest import MIB

PART = 5 * MIB
BLOCK = 3 * DIRECT_ALIGNMENT

#: File sizes of every class of tail: none, shorter than a page, a page
#: and a byte, a whole number of blocks and pages, one byte short.
SIZES = [DIRECT_ALIGNMENT - 1, DIRECT_ALIGNMENT, DIRECT_ALIGNMENT + 1,
         BLOCK, BLOCK + 1, 2 * BLOCK - 1, 2 * BLOCK + DIRECT_ALIGNMENT]


def on_block_device(path):
    return bool(os.major(os.stat(path).st_dev))


@pytest.fixture
def direct_disk(tmp_path, file_io):
    """A folder where ``O_DIRECT`` writes are taken (else the test
    skips)."""
    if file_io != 'positional' or not hasattr(os, 'O_DIRECT'):
        pytest.skip('no positional O_DIRECT writes on this system')
    if not on_block_device(tmp_path):
        pytest.skip('the temporary folder is not on a block device')
    probe = tmp_path / 'probe'
    probe.write_bytes(b'')
    with PositionalFile(str(probe), writable=True, direct=True) as target:
        if not target.direct:
            pytest.skip('the file system refuses O_DIRECT')
    probe.unlink()
    return tmp_path


@pytest.fixture
def pwrites(monkeypatch):
    """Every ``os.pwrite``: ``[(descriptor, length, offset)]``."""
    calls, pwrite = [], os.pwrite

    def spy(descriptor, data, offset):
        calls.append((descriptor, len(data), offset))
        return pwrite(descriptor, data, offset)

    monkeypatch.setattr(os, 'pwrite', spy)
    return calls


def pattern(size):
    return bytes((index * 13 + 5) % 251 for index in range(size))


def write_in_blocks(path, content, **options):
    """Write ``content`` into a new file at ``path`` from aligned buffers of
    ``BLOCK`` bytes, the last block first; the file (closed) and its
    ordinary descriptor (while it was open)."""
    path.write_bytes(b'')
    buffer = new_buffer(BLOCK, aligned=True)
    target = PositionalFile(str(path), writable=True, **options)
    with target:
        for offset in reversed(range(0, len(content), BLOCK)):
            block = content[offset:offset + BLOCK]
            buffer[:len(block)] = block
            target.write_at(buffer[:len(block)], offset)
        shared = target._shared.fileno()
    return target, shared


@pytest.mark.parametrize('size', SIZES)
def test_aligned_blocks_go_direct_and_tails_through_the_page_cache(
        direct_disk, pwrites, size):
    path = direct_disk / 'data.bin'
    content = pattern(size)
    _, shared = write_in_blocks(path, content, direct=True)
    assert path.read_bytes() == content
    direct = [call for call in pwrites if call[0] != shared]
    assert all(not length % DIRECT_ALIGNMENT and not offset %
               DIRECT_ALIGNMENT for _, length, offset in direct)
    assert sum(length for _, length, _ in direct) == \
        size - size % DIRECT_ALIGNMENT
    buffered = [call for call in pwrites if call not in direct]
    assert [(length, offset) for _, length, offset in buffered] == (
        [(size % DIRECT_ALIGNMENT, size - size % DIRECT_ALIGNMENT)]
        if size % DIRECT_ALIGNMENT else [])


def test_unaligned_offsets_are_written_through_the_page_cache(
        direct_disk, pwrites):
    path = direct_disk / 'data.bin'
    path.write_bytes(b'')
    buffer = new_buffer(BLOCK, aligned=True)
    buffer[:] = pattern(BLOCK)
    with PositionalFile(str(path), writable=True, direct=True) as target:
        target.write_at(buffer, 1)
        shared = target._shared.fileno()
    assert path.read_bytes() == b'\0' + pattern(BLOCK)
    assert pwrites == [(shared, BLOCK, 1)]


def test_no_direct_writes_on_tmpfs(tmp_path):
    """tmpfs takes O_DIRECT (Linux 6.6 and later) but writes through its
    page cache all the same: the file is written as any other."""
    if not os.path.isdir('/dev/shm') or on_block_device('/dev/shm'):
        pytest.skip('no tmpfs at /dev/shm')
    path = tmp_path / 'data.bin'     # for its name only
    shm = f'/dev/shm/sbg-direct-{os.getpid()}-{path.parent.name}'
    try:
        content = pattern(2 * BLOCK + 1)
        open(shm, 'wb').close()
        target, _ = write_in_blocks(type(path)(shm), content, direct=True)
        assert not target.direct
        with open(shm, 'rb') as fp:
            assert fp.read() == content
    finally:
        os.remove(shm)


def test_direct_refused_at_open_falls_back(direct_disk, monkeypatch):
    opened = os.open

    def refuse_direct(path, flags, *args):
        if flags & os.O_DIRECT:
            raise OSError(errno.EINVAL, 'Invalid argument')
        return opened(path, flags, *args)

    monkeypatch.setattr(os, 'open', refuse_direct)
    path = direct_disk / 'data.bin'
    content = pattern(2 * BLOCK + 7)
    target, _ = write_in_blocks(path, content, direct=True)
    assert not target.direct
    assert path.read_bytes() == content


def test_direct_refused_at_a_write_falls_back_for_good(direct_disk,
                                                       monkeypatch):
    pwrite, refused = os.pwrite, []

    def refuse(descriptor, data, offset):
        if descriptor == target._direct:
            refused.append(offset)
            raise OSError(errno.EINVAL, 'Invalid argument')
        return pwrite(descriptor, data, offset)

    monkeypatch.setattr(os, 'pwrite', refuse)
    path = direct_disk / 'data.bin'
    path.write_bytes(b'')
    content = pattern(3 * BLOCK)
    target = PositionalFile(str(path), writable=True, direct=True)
    buffer = new_buffer(BLOCK, aligned=True)
    with target:
        for offset in range(0, len(content), BLOCK):
            buffer[:] = content[offset:offset + BLOCK]
            target.write_at(buffer, offset)
        assert not target.direct
    assert refused == [0]
    assert path.read_bytes() == content


def test_other_errors_of_a_direct_write_are_raised(direct_disk,
                                                   monkeypatch):
    pwrite = os.pwrite

    def failing(descriptor, data, offset):
        if descriptor == target._direct:
            raise OSError(errno.EIO, 'Input/output error')
        return pwrite(descriptor, data, offset)

    monkeypatch.setattr(os, 'pwrite', failing)
    path = direct_disk / 'data.bin'
    path.write_bytes(b'')
    target = PositionalFile(str(path), writable=True, direct=True)
    with target, pytest.raises(OSError) as raised:
        target.write_at(new_buffer(BLOCK, aligned=True), 0)
    assert raised.value.errno == errno.EIO


def test_aligned_buffers_start_on_a_page():
    import ctypes
    view = new_buffer(BLOCK, aligned=True)
    address = ctypes.addressof(ctypes.c_char.from_buffer(view))
    assert address % DIRECT_ALIGNMENT == 0 and len(view) == BLOCK


# -- reserving the file's room ------------------------------------------------

def test_reserve_allocates_the_size(tmp_path):
    if not hasattr(os, 'posix_fallocate'):
        pytest.skip('no posix_fallocate')
    path = tmp_path / 'data.bin'
    path.write_bytes(b'')
    with PositionalFile(str(path), writable=True) as target:
        target.reserve(3 * MIB)
    assert path.stat().st_size == 3 * MIB
    with PositionalFile(str(path), writable=True) as target:
        target.reserve(MIB, offset=4 * MIB)     # a range past the end
    assert path.stat().st_size == 5 * MIB
    assert path.read_bytes() == bytes(5 * MIB)


@pytest.mark.parametrize('code', [errno.EOPNOTSUPP, errno.EINVAL,
                                  errno.ENODEV])
def test_reserve_where_the_file_system_cannot_does_nothing(
        tmp_path, monkeypatch, code):
    def unsupported(descriptor, offset, length):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, 'posix_fallocate', unsupported, raising=False)
    path = tmp_path / 'data.bin'
    path.write_bytes(b'abc')
    with PositionalFile(str(path), writable=True) as target:
        target.reserve(3 * MIB)
    assert path.read_bytes() == b'abc'


def test_reserve_without_room_raises(tmp_path, monkeypatch):
    def full(descriptor, offset, length):
        raise OSError(errno.ENOSPC, 'No space left on device')

    monkeypatch.setattr(os, 'posix_fallocate', full, raising=False)
    path = tmp_path / 'data.bin'
    path.write_bytes(b'')
    with PositionalFile(str(path), writable=True) as target, \
            pytest.raises(OSError) as raised:
        target.reserve(3 * MIB)
    assert raised.value.errno == errno.ENOSPC


# -- downloads ----------------------------------------------------------------

@pytest.fixture
def uploaded(client, make_file):
    """Upload a file of ``size`` bytes; the source and the File."""
    def upload(size):
        source = make_file(size)
        return source, client.files.upload(
            str(source), project='u/p', part_size=PART).result()

    return upload


@pytest.fixture
def direct_opens(monkeypatch):
    """The paths opened with ``O_DIRECT``."""
    opened, calls = os.open, []

    def spy(path, flags, *args):
        if flags & getattr(os, 'O_DIRECT', 0):
            calls.append(path)
        return opened(path, flags, *args)

    monkeypatch.setattr(os, 'open', spy)
    return calls


@pytest.mark.parametrize('tail', [0, 1, DIRECT_ALIGNMENT - 1,
                                  DIRECT_ALIGNMENT, DIRECT_ALIGNMENT + 1,
                                  MIB + 3])
def test_downloads_of_every_tail_are_byte_exact(direct_disk, uploaded,
                                                direct_opens, tail):
    source, file = uploaded(2 * PART + tail)
    target = direct_disk / 'copy.bin'
    file.download(str(target), chunk_size=PART)
    assert target.read_bytes() == source.read_bytes()
    assert len(direct_opens) == 1          # the temporary file
    assert sorted(os.listdir(direct_disk)) == ['cache', 'copy.bin',
                                               'platform', 'source.bin']


def test_parts_off_the_pages_are_written_through_the_page_cache(
        tmp_path, uploaded, direct_opens):
    source, file = uploaded(2 * PART + 5)
    target = tmp_path / 'copy.bin'
    file.download(str(target), chunk_size=PART + 1)
    assert target.read_bytes() == source.read_bytes()
    assert direct_opens == []


def test_a_file_of_one_part_is_written_through_the_page_cache(
        tmp_path, uploaded, direct_opens):
    source, file = uploaded(PART - 1)
    target = tmp_path / 'copy.bin'
    file.download(str(target), chunk_size=PART)
    assert target.read_bytes() == source.read_bytes()
    assert direct_opens == []


def test_a_download_without_room_fails_before_its_parts(
        direct_disk, uploaded, platform, monkeypatch):
    source, file = uploaded(2 * PART)

    def full(descriptor, offset, length):
        raise OSError(errno.ENOSPC, 'No space left on device')

    monkeypatch.setattr(os, 'posix_fallocate', full, raising=False)
    before = len(platform.requests('storage', 'GET'))
    target = direct_disk / 'copy.bin'
    with pytest.raises(errors.SbgError, match='No room for 10485760 bytes'):
        File(api=file._api, id=file.id).download(str(target),
                                                  chunk_size=PART)
    # the size probe only, no part
    assert len(platform.requests('storage', 'GET')) - before == 1
    assert sorted(os.listdir(direct_disk)) == ['cache', 'platform',
                                               'source.bin']


def test_a_download_where_preallocation_is_not_supported(
        direct_disk, uploaded, monkeypatch):
    source, file = uploaded(2 * PART + 1)

    def unsupported(descriptor, offset, length):
        raise OSError(errno.EOPNOTSUPP, 'Operation not supported')

    monkeypatch.setattr(os, 'posix_fallocate', unsupported, raising=False)
    target = direct_disk / 'copy.bin'
    file.download(str(target), chunk_size=PART)
    assert target.read_bytes() == source.read_bytes()


# -- direct reads (the filesystem's temporary files, read back by uploads) ----

@pytest.fixture
def preadvs(monkeypatch):
    """Every ``os.preadv``: ``[(descriptor, length, offset)]``."""
    calls, preadv = [], os.preadv

    def spy(descriptor, buffers, offset):
        calls.append((descriptor, len(buffers[0]), offset))
        return preadv(descriptor, buffers, offset)

    monkeypatch.setattr(os, 'preadv', spy)
    return calls


@pytest.mark.parametrize('size', SIZES)
def test_direct_reads_read_aligned_blocks_with_o_direct_and_never_send(
        direct_disk, preadvs, size):
    path = direct_disk / 'source.bin'
    data = os.urandom(size)
    path.write_bytes(data)
    with PositionalFile(str(path), direct_reads=True) as source:
        assert source.reads_direct and not source.sends
        buffer = new_buffer(BLOCK, aligned=True)
        got = bytearray()
        while len(got) < size:
            # whole blocks, then the tail's length (as a part's reader)
            view = buffer[:min(BLOCK, size - len(got))]
            count = source.read_into(view, len(got))
            got += view[:count]
        direct = source._reads_descriptor
    assert bytes(got) == data
    assert [(length, offset) for descriptor, length, offset in preadvs
            if descriptor == direct] == [
        (BLOCK, offset) for offset in range(0, size - BLOCK + 1, BLOCK)] + (
        [(size % BLOCK, size - size % BLOCK)]
        if size % BLOCK and not size % DIRECT_ALIGNMENT else [])


def test_a_refused_direct_read_falls_back_for_good(direct_disk, monkeypatch):
    path = direct_disk / 'source.bin'
    data = os.urandom(2 * BLOCK)
    path.write_bytes(data)
    preadv = os.preadv
    with PositionalFile(str(path), direct_reads=True) as source:
        direct = source._reads_descriptor

        def refusing(descriptor, buffers, offset):
            if descriptor == direct:
                raise OSError(errno.EINVAL, 'Invalid argument')
            return preadv(descriptor, buffers, offset)

        monkeypatch.setattr(os, 'preadv', refusing)
        buffer = new_buffer(BLOCK, aligned=True)
        assert source.read_into(buffer, BLOCK) == BLOCK
        assert bytes(buffer) == data[BLOCK:]
        assert not source.reads_direct


def test_direct_reads_in_memory_are_ordinary_reads():
    if not os.path.isdir('/dev/shm'):
        pytest.skip('no tmpfs at /dev/shm')
    with tempfile.NamedTemporaryFile(dir='/dev/shm') as file:
        file.write(b'x' * 10)
        file.flush()
        with PositionalFile(file.name, direct_reads=True) as source:
            assert not source.reads_direct
            view = new_buffer(10)
            assert source.read_into(view, 0) == 10
            assert bytes(view) == b'x' * 10
