"""A fake platform on loopback and a client for it; every transfer test runs
twice: with ``os.pread``/``os.pwrite`` and without them (as on Windows)."""
import os

import pytest

import sevenbridges as sbg
from sevenbridges.transfer import retries
from tests.fake_platform import FakePlatform

MIB = 1024 * 1024


@pytest.fixture(autouse=True)
def fast_retries(monkeypatch, tmp_path):
    monkeypatch.setattr(retries, 'BASE_DELAY', 0.01)
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))


#: The positional calls of ``os`` that Windows does not have.
POSITIONAL_CALLS = ('pread', 'pwrite', 'preadv', 'pwritev')


@pytest.fixture(autouse=True, params=['positional', 'seek'])
def file_io(request, monkeypatch):
    """``'positional'``: the system's calls; ``'seek'``: they are removed,
    so transfers fall back to a handle per thread with seek."""
    if request.param == 'seek':
        for name in POSITIONAL_CALLS:
            monkeypatch.delattr(os, name, raising=False)
    return request.param


@pytest.fixture
def platform(tmp_path):
    with FakePlatform(tmp_path / 'platform') as fake:
        yield fake


@pytest.fixture
def client(platform):
    return sbg.Api(url=platform.url, token=platform.token,
                   upload_max_workers=4, download_max_workers=4)


@pytest.fixture
def make_file(tmp_path):
    def make(size, name='source.bin'):
        path = tmp_path / name
        pattern = bytes((index * 7 + 3) % 251 for index in range(251))
        path.write_bytes((pattern * (size // 251 + 1))[:size])
        return path

    return make
