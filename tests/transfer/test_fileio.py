"""Reads and writes at offsets from many threads, with the system's
positional calls and (the ``seek`` run of ``file_io``) without them."""
import os
from concurrent.futures import ThreadPoolExecutor

import pytest

from sevenbridges.transfer._fileio import PositionalFile, new_buffer


def write_blocks(path, count):
    """Write ``count`` blocks of 1,000 bytes into a new file at ``path``
    from 8 threads, each at its offset; the blocks and the file written."""
    path.write_bytes(b'')
    blocks = [bytes([index]) * 1000 for index in range(count)]
    with PositionalFile(str(path), writable=True) as target, \
            ThreadPoolExecutor(8) as pool:
        list(pool.map(lambda index: target.write_at(
            memoryview(blocks[index]), index * 1000), range(count)))
    return blocks, target


def test_threads_write_and_read_at_offsets(tmp_path, file_io):
    path = tmp_path / 'data.bin'
    blocks, target = write_blocks(path, 32)
    assert target._positional is (file_io == 'positional')
    assert path.read_bytes() == b''.join(blocks)

    def read(index):
        view = new_buffer(1000)
        assert source.read_into(view, index * 1000) == 1000
        return bytes(view)

    with PositionalFile(str(path)) as source, ThreadPoolExecutor(8) as pool:
        assert list(pool.map(read, range(32))) == blocks
        assert source.read_into(new_buffer(10), 32 * 1000) == 0


def test_close_closes_every_threads_handle(tmp_path):
    path = tmp_path / 'data.bin'
    path.write_bytes(b'abc')
    source = PositionalFile(str(path))
    with ThreadPoolExecutor(3) as pool:
        list(pool.map(lambda _: source.read_into(new_buffer(3), 0), range(9)))
    handles = list(source._handles)
    source.close()
    assert handles and all(handle.closed for handle in handles)
    os.remove(path)             # nothing holds it open (Windows would care)


def test_writes_to_one_file_are_made_one_at_a_time(tmp_path, file_io,
                                                   pwrite_overlap):
    """Threads wait on a lock rather than in the kernel on the inode's
    (where they spin); the bytes all land."""
    if file_io != 'positional':
        pytest.skip('the seek run writes through handles, not os.pwrite')
    path = tmp_path / 'data.bin'
    blocks, _ = write_blocks(path, 64)
    assert pwrite_overlap == [1]
    assert path.read_bytes() == b''.join(blocks)
