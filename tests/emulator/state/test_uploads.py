"""The emulator's multipart uploads: parts received side by side are
written into the upload's file one at a time (threads wait on a Python
lock, not spinning on the file's inode lock), and the file is whole. The
SDK against the real emulator over HTTP."""
import os
import threading
import time

from sevenbridges.emulator import Emulator

MIB = 1024 * 1024


def test_parts_of_one_upload_are_written_one_at_a_time(tmp_path,
                                                         monkeypatch):
    pwrite = getattr(os, 'pwrite', None)
    if pwrite is None:
        return  # no positional writes to spy on (Windows)
    active, most, lock = [0], [0], threading.Lock()

    def spy(descriptor, data, offset):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.001)   # widen the window an overlap would show in
        try:
            return pwrite(descriptor, data, offset)
        finally:
            with lock:
                active[0] -= 1

    source = tmp_path / 'source.bin'
    source.write_bytes(os.urandom(30 * MIB))
    with Emulator(data_dir=str(tmp_path / 'emulator')) as emulator:
        api = emulator.api(upload_max_workers=6)
        project = api.projects.create(
            name='uploads', billing_group=api.billing_groups.query()[0])
        monkeypatch.setattr(os, 'pwrite', spy)
        uploaded = api.files.upload(str(source), project=project,
                                    part_size=5 * MIB).result()
        monkeypatch.setattr(os, 'pwrite', pwrite)
        uploaded.download(str(tmp_path / 'copy.bin'))
    assert most[0] == 1
    assert (tmp_path / 'copy.bin').read_bytes() == source.read_bytes()
