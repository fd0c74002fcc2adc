"""Transfers against the emulator: the platform corrects part sizes, and a
download resumes only the same version of a file."""
import os

import pytest

from sevenbridges.emulator import Emulator
from sevenbridges.models.enums import PartSize
from sevenbridges.models.file import File

MIB = PartSize.MB


@pytest.fixture(scope='module')
def emulator():
    with Emulator() as running:
        yield running


@pytest.fixture
def api(emulator):
    return emulator.api()


@pytest.fixture
def project(api):
    group = api.billing_groups.query()[0]
    return api.projects.create(name=f'transfers-{os.urandom(4).hex()}',
                               billing_group=group)


def test_tiny_part_sizes_are_corrected_by_the_platform(api, project,
                                                       tmp_path):
    source = tmp_path / 'reads.bin'
    source.write_bytes(os.urandom(6 * MIB + 5))
    uploaded = api.files.upload(str(source), project=project,
                                part_size=1024).result()
    target = tmp_path / 'copy.bin'
    uploaded.download(str(target))
    assert target.read_bytes() == source.read_bytes()


def test_a_code_package_of_a_few_bytes_with_one_byte_parts(api, tmp_path):
    automation = api.automations.create(name=f'a-{os.urandom(4).hex()}')
    code = tmp_path / 'code.zip'
    code.write_bytes(b'PK\x03\x04code')
    package = automation.add_package(version='1', file_path=str(code),
                                     schema={}, part_size=1)
    assert package.location
    stored = File(api=api, id=package.location)
    assert stored.content() == 'PK\x03\x04code'


def uploaded_and_unstarted_download(api, project, tmp_path):
    """A file of three 5 MiB parts on the emulator, and a download of it
    that has not started: ``(source, uploaded, target, download)``."""
    source = tmp_path / 'reads.bin'
    source.write_bytes(os.urandom(3 * 5 * MIB))
    uploaded = api.files.upload(str(source), project=project).result()
    target = tmp_path / 'copy.bin'
    download = uploaded.download(str(target), chunk_size=5 * MIB, wait=False)
    return source, uploaded, target, download


def test_a_download_of_another_version_starts_over(api, project, tmp_path):
    source, uploaded, target, first = uploaded_and_unstarted_download(
        api, project, tmp_path)
    assert first._storage_version.startswith('etag:')
    first._storage_version = 'etag:"an older version"'
    first._prepare_temporary_file()
    with open(first._temp_file, 'r+b') as partial:
        partial.write(b'\0' * (10 * MIB))   # the older version's bytes
    first._part_stored(1)         # as if killed after two parts
    first._part_stored(2)
    uploaded.download(str(target), chunk_size=5 * MIB)
    assert target.read_bytes() == source.read_bytes()


def test_a_download_of_the_same_version_continues(api, project, tmp_path):
    source, uploaded, target, first = uploaded_and_unstarted_download(
        api, project, tmp_path)
    first._prepare_temporary_file()
    with open(first._temp_file, 'r+b') as partial:
        partial.write(source.read_bytes()[:5 * MIB])
    first._part_stored(1)         # as if killed after the first part
    again = uploaded.download(str(target), chunk_size=5 * MIB, wait=False)
    seen = []
    again.add_progress_callback(seen.append)
    again.run()
    assert target.read_bytes() == source.read_bytes()
    assert [progress.parts_done for progress in seen] == [2, 3]
