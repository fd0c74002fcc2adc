"""The part sizes of a folder download: the tree's large files together
in about as many parts as the pool has workers."""
import pytest

from sevenbridges.emulator import Emulator
from sevenbridges.transfer.parts import download_part_size, tree_part_size
from tests.transfer.conftest import MIB


@pytest.mark.parametrize('file_size,large_bytes,workers,expected', [
    (64 * MIB, 4 * 64 * MIB, 16, 16 * MIB),     # 16 parts in all
    (64 * MIB, 64 * MIB, 16, 8 * MIB),          # one file: its own size
    (64 * MIB, 20 * 64 * MIB, 16, 16 * MIB),    # at least 4 parts a file
    (512 * MIB, 512 * MIB, 16, 32 * MIB),       # 16 parts
    (4 * 2 ** 30, 4 * 2 ** 30, 16, 64 * MIB),   # at most 64 MiB
    (3 * MIB, 4 * 64 * MIB, 16, 8 * MIB),       # a small file: one part
    (64 * MIB, 4 * 64 * MIB, 0, 16 * MIB),      # no workers said: one
])
def test_tree_part_size(file_size, large_bytes, workers, expected):
    assert tree_part_size(file_size, large_bytes, workers) == expected
    assert expected >= download_part_size(file_size)


def test_a_folder_download_sizes_its_parts_for_the_tree(tmp_path):
    size = 40 * MIB
    source = tmp_path / 'source' / 'big'
    source.mkdir(parents=True)
    contents = {}
    for number in range(2):
        contents[number] = bytes([number + 1]) * size
        (source / f'{number}.bin').write_bytes(contents[number])
    with Emulator() as emulator:
        api = emulator.api(download_max_workers=1)
        group = api.billing_groups.query()[0]
        project = api.projects.create(name='parts', billing_group=group)
        api.folders.upload(str(tmp_path / 'source'), project=project)
        before = len(emulator.requests)
        report = api.folders.download(str(tmp_path / 'back'),
                                      project=project)
        ranges = sorted(entry['headers'].get('Range')
                        for entry in emulator.requests[before:]
                        if entry['listener'] == 'storage'
                        and entry['method'] == 'GET')
    assert len(report.moved) == 2
    for number in range(2):
        assert (tmp_path / 'back' / 'big' / f'{number}.bin').read_bytes() \
            == contents[number]
    # 80 MiB over one worker, at most a quarter of each file: 10 MiB parts
    part = 10 * MIB
    expected = [f'bytes={start}-{start + part - 1}'
                for start in range(0, size, part)]
    assert ranges == sorted(expected * 2 + ['bytes=0-0'] * 2)  # 2 probes
