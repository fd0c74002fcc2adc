"""The setting the documentation's examples run in: an emulator, and a
machine configured for it the way the quickstart says."""
import os
import zipfile
from pathlib import Path

import pytest

from sevenbridges.emulator import Emulator
from sevenbridges.emulator.state.common import SECOND_TOKEN

PLATFORM_URLS = ('https://api.sbgenomics.com/v2',
                 'https://eu-api.sbgenomics.com/v2',
                 'https://cgc-api.sbgenomics.com/v2',
                 'https://cavatica-api.sbgenomics.com/v2')
PLACEHOLDER_TOKEN = '<TOKEN>'
#: A second account's token in the examples: the emulator's ``jwatson``.
SECOND_PLACEHOLDER_TOKEN = '<SECOND_TOKEN>'


def local_files(folder):
    """The files the pages upload."""
    record = '@read{0}\nACGTACGTAC\n+\nIIIIIIIIII\n'
    (folder / 'reads_R1.fastq').write_text(
        ''.join(record.format(n) for n in range(100)))
    (folder / 'reads_R2.fastq').write_text(
        ''.join(record.format(n) for n in range(100, 200)))
    (folder / 'sample.bam').write_bytes(os.urandom(12 * 1024 * 1024))
    with zipfile.ZipFile(folder / 'qc_package.zip', 'w') as archive:
        archive.writestr('main.py', 'print("QC of the new samples")\n')


@pytest.fixture
def reader_setting(tmp_path, monkeypatch):
    """An emulator, and a machine configured for it."""
    from sevenbridges.config import UserProfile
    from sevenbridges.http.client import HttpClient
    with Emulator(task_seconds=0.05) as emulator:
        monkeypatch.setenv('SB_API_ENDPOINT', emulator.url)
        monkeypatch.setenv('SB_AUTH_TOKEN', emulator.token)
        monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
        credentials = Path(UserProfile.CREDENTIALS)
        credentials.parent.mkdir(parents=True, exist_ok=True)
        credentials.write_text(''.join(
            f'[{profile}]\napi_endpoint = {emulator.url}\n'
            f'auth_token = {emulator.token}\n\n'
            for profile in ('default', 'cgc')))
        original = HttpClient.__init__

        def served_by_the_emulator(self, url=None, token=None, *args,
                                   **kwargs):
            if url in PLATFORM_URLS:
                url = emulator.url
            if token == PLACEHOLDER_TOKEN:
                token = emulator.token
            elif token == SECOND_PLACEHOLDER_TOKEN:
                token = SECOND_TOKEN
            original(self, url, token, *args, **kwargs)

        monkeypatch.setattr(HttpClient, '__init__', served_by_the_emulator)
        work = tmp_path / 'work'
        work.mkdir()
        local_files(work)
        monkeypatch.chdir(work)
        yield emulator


