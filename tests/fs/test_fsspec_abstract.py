"""fsspec's own conformance suite for implementations
(``fsspec.tests.abstract``: copy, get, put, open and pipe), wired to the
emulator as s3fs wires it to its server: ``fs`` is a filesystem of the
emulator and ``fs_path`` a fresh project."""
import posixpath

import pytest
from fsspec.tests.abstract import (
    AbstractCopyTests,
    AbstractFixtures,
    AbstractGetTests,
    AbstractOpenTests,
    AbstractPipeTests,
    AbstractPutTests,
)


class SevenBridgesFixtures(AbstractFixtures):
    @pytest.fixture
    def fs(self, sbg_fs):
        return sbg_fs

    @pytest.fixture
    def fs_join(self):
        return posixpath.join

    @pytest.fixture
    def fs_path(self, project):
        return project.id


class TestCopy(AbstractCopyTests, SevenBridgesFixtures):
    pass


class TestGet(AbstractGetTests, SevenBridgesFixtures):
    pass


class TestPut(AbstractPutTests, SevenBridgesFixtures):
    pass


class TestOpen(AbstractOpenTests, SevenBridgesFixtures):
    pass


class TestPipe(AbstractPipeTests, SevenBridgesFixtures):
    pass
