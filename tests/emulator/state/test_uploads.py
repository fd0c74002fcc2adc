"""The emulator's multipart uploads: parts received side by side are
written into the upload's file, large parts on a block device with
``O_DIRECT`` side by side (each into its blocks, allocated first), the
others through the page cache one at a time (threads wait on a Python
lock, not spinning on the file's inode lock); the file is whole. The SDK
against the real emulator over HTTP."""
import errno
import os

import pytest

from sevenbridges.emulator import Emulator
from sevenbridges.transfer._fileio import DIRECT_MINIMUM

MIB = 1024 * 1024


@pytest.fixture
def direct_opens(monkeypatch):
    """The paths opened with ``O_DIRECT`` (skips where there is none)."""
    flag = getattr(os, 'O_DIRECT', None)
    if flag is None:
        pytest.skip('no O_DIRECT on this system')
    opened, paths = os.open, []

    def spy(path, flags, *args):
        if flags & flag:
            paths.append(path)
        return opened(path, flags, *args)

    monkeypatch.setattr(os, 'open', spy)
    return paths


@pytest.fixture
def reserved(monkeypatch):
    """The sizes that ``os.posix_fallocate`` reserved (skips where there
    is none)."""
    fallocate = getattr(os, 'posix_fallocate', None)
    if fallocate is None:
        pytest.skip('no posix_fallocate on this system')
    sizes = []

    def spy(descriptor, offset, length):
        sizes.append((offset, length))
        return fallocate(descriptor, offset, length)

    monkeypatch.setattr(os, 'posix_fallocate', spy)
    return sizes


def round_trip(tmp_path, size, part_size):
    """Upload ``size`` random bytes in parts of ``part_size`` to an emulator
    with its data in ``tmp_path``, download them; the upload's id."""
    source = tmp_path / 'source.bin'
    source.write_bytes(os.urandom(size))
    with Emulator(data_dir=str(tmp_path / 'emulator')) as emulator:
        api = emulator.api(upload_max_workers=6)
        project = api.projects.create(
            name='uploads', billing_group=api.billing_groups.query()[0])
        uploaded = api.files.upload(str(source), project=project,
                                    part_size=part_size).result()
        uploaded.download(str(tmp_path / 'copy.bin'))
    assert (tmp_path / 'copy.bin').read_bytes() == source.read_bytes()
    return uploaded


def test_parts_through_the_page_cache_are_written_one_at_a_time(
        tmp_path, pwrite_overlap, monkeypatch):
    opened = os.open

    def refuse_direct(path, flags, *args):
        if flags & getattr(os, 'O_DIRECT', 0):
            raise OSError(errno.EINVAL, 'Invalid argument')
        return opened(path, flags, *args)

    monkeypatch.setattr(os, 'open', refuse_direct)
    round_trip(tmp_path, 30 * MIB, 5 * MIB)
    assert pwrite_overlap == [1]


def test_large_parts_on_a_block_device_are_written_direct(
        tmp_path, direct_opens, reserved):
    if not os.major(os.stat(tmp_path).st_dev):
        pytest.skip('the temporary folder is not on a block device')
    uploads = str(tmp_path / 'emulator')
    size = 3 * DIRECT_MINIMUM + 5
    round_trip(tmp_path, size, DIRECT_MINIMUM)
    # the three full parts (the last is small), then the download's file
    received = [path for path in direct_opens if path.startswith(uploads)]
    assert len(received) == 3
    assert len(direct_opens) == 4
    # each full part's blocks, and the download's file
    assert sorted(reserved) == [(0, DIRECT_MINIMUM), (0, size),
                                (DIRECT_MINIMUM, DIRECT_MINIMUM),
                                (2 * DIRECT_MINIMUM, DIRECT_MINIMUM)]


def test_small_parts_are_written_through_the_page_cache(
        tmp_path, direct_opens, reserved):
    round_trip(tmp_path, 6 * MIB + 1, 5 * MIB)
    uploads = str(tmp_path / 'emulator')
    assert [path for path in direct_opens if path.startswith(uploads)] == []
    assert reserved == []
