"""The ``sbg://`` filesystem against a real emulator over HTTP: one
emulator per test module, a fresh project per test."""
import itertools
import posixpath

import pytest

from sevenbridges.emulator import Emulator
from sevenbridges.fs import SevenBridgesFileSystem

_numbers = itertools.count()


@pytest.fixture(scope='module')
def emulator():
    with Emulator(task_seconds=0.05) as running:
        yield running


@pytest.fixture
def api(emulator):
    return emulator.api()


@pytest.fixture
def project(api):
    """A new project of ``rfranklin`` (its id is a path of the
    filesystem)."""
    group = api.billing_groups.query()[0]
    return api.projects.create(name=f'fs-{next(_numbers)}',
                               billing_group=group)


@pytest.fixture
def sbg_fs(emulator):
    """A filesystem of the emulator, with a cache of its own."""
    return SevenBridgesFileSystem(endpoint=emulator.url,
                                  token=emulator.token,
                                  skip_instance_cache=True)


def api_requests(emulator, since=0):
    """``(method, path)`` of the API requests the emulator served since
    ``since`` (an index of its log)."""
    return [(entry['method'], entry['path'])
            for entry in emulator.requests[since:]
            if entry['listener'] == 'api']


def join(*names):
    return posixpath.join(*names)
