"""A transfer of one part moves it in its own thread, with a buffer the
size of the file: no hand-over to the client's pool, no MiB to allocate
for a small file. Larger transfers keep their parts on the pool."""
import threading

import pytest

from sevenbridges.errors import SbgError
from sevenbridges.models.enums import TransferState
from sevenbridges.models.file import File
from sevenbridges.transfer import scheduling
from sevenbridges.transfer._fileio import IO_CHUNK
from sevenbridges.transfer.download import DPartedFile
from sevenbridges.transfer.parts import buffer_size
from sevenbridges.transfer.upload import Upload
from tests.transfer.conftest import MIB


class RefusingPool:
    """A pool that must not be used."""
    _max_workers = 4

    def submit(self, *args, **kwargs):
        raise AssertionError('a part of a one-part transfer went to a pool')


def threads_of_parts(monkeypatch, parted_class):
    """The threads that moved the parts of transfers of ``parted_class``."""
    seen = []
    transfer = parted_class._transfer

    def recorded(self, part):
        seen.append(threading.current_thread())
        return transfer(self, part)

    monkeypatch.setattr(parted_class, '_transfer', recorded)
    return seen


def test_a_small_upload_moves_its_part_in_its_own_thread(
        client, platform, make_file, monkeypatch):
    source = make_file(10_000)
    client.upload_pool = RefusingPool()
    seen = threads_of_parts(monkeypatch, Upload._parted_file_class)
    upload = client.files.upload(str(source), project='p', wait=False)
    upload.start()
    upload.wait()
    assert seen == [upload]
    assert platform.content(upload.result().id) == source.read_bytes()


def test_a_small_download_moves_its_part_in_its_own_thread(
        client, platform, tmp_path, monkeypatch):
    file_id = platform.add_file('a.bin', b'x' * 10_000)
    client.download_pool = RefusingPool()
    seen = threads_of_parts(monkeypatch, DPartedFile)
    download = File(api=client, id=file_id).download(
        str(tmp_path / 'a.bin'), wait=False)
    download.start()
    download.wait()
    assert seen == [download]
    assert (tmp_path / 'a.bin').read_bytes() == b'x' * 10_000


def test_a_failed_part_of_one_fails_the_transfer_as_on_the_pool(
        client, platform, make_file):
    platform.fail('storage', 'PUT', '', 500, times=5)
    upload = client.files.upload(str(make_file(100)), project='p',
                                 retry=2, wait=False)
    upload.start()
    with pytest.raises(SbgError, match='Failed to upload part 1 of '
                                       'source.bin after 2 attempts'):
        upload.wait()
    assert upload.status == TransferState.FAILED
    assert len(platform.requests('storage', 'PUT')) == 2


def test_parts_of_larger_transfers_stay_on_the_pool(client, make_file):
    parts = [(1, 0, 5 * MIB), (2, 5 * MIB, 1)]
    scheduler = scheduling.PartScheduler(parts, client.upload_pool,
                                         lambda part: part)
    assert scheduler.pool is client.upload_pool
    single = scheduling.PartScheduler(parts[:1], client.upload_pool,
                                      lambda part: part)
    assert single.pool is scheduling.IN_THIS_THREAD
    future = single.pool.submit(lambda part: part[2], parts[0])
    assert future.done() and future.result() == 5 * MIB


def test_the_buffers_are_the_size_of_a_small_file():
    assert buffer_size(0) == 1
    assert buffer_size(10_000) == 10_001  # one byte shows a longer body
    assert buffer_size(IO_CHUNK) == IO_CHUNK
    assert buffer_size(64 * MIB) == IO_CHUNK
