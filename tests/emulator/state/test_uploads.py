"""The emulator's multipart uploads: parts received side by side are
written into the upload's file one at a time (threads wait on a Python
lock, not spinning on the file's inode lock), and the file is whole. The
SDK against the real emulator over HTTP."""
import os

from sevenbridges.emulator import Emulator

MIB = 1024 * 1024


def test_parts_of_one_upload_are_written_one_at_a_time(tmp_path,
                                                         pwrite_overlap):
    source = tmp_path / 'source.bin'
    source.write_bytes(os.urandom(30 * MIB))
    with Emulator(data_dir=str(tmp_path / 'emulator')) as emulator:
        api = emulator.api(upload_max_workers=6)
        project = api.projects.create(
            name='uploads', billing_group=api.billing_groups.query()[0])
        uploaded = api.files.upload(str(source), project=project,
                                    part_size=5 * MIB).result()
        assert pwrite_overlap == [1]
        uploaded.download(str(tmp_path / 'copy.bin'))
    assert (tmp_path / 'copy.bin').read_bytes() == source.read_bytes()
