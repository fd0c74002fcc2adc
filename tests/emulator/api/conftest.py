"""Fixtures of the emulator's API tests: a project, and a raw HTTP client."""
import pytest
import requests


@pytest.fixture
def project(sbg_api):
    return sbg_api.projects.create(name='Platform')


@pytest.fixture
def http(sbg_emulator):
    """A raw HTTP client of the emulator's API (user ``rfranklin``)."""
    session = requests.Session()
    session.headers['X-SBG-Auth-Token'] = sbg_emulator.token

    def call(method, path, **kwargs):
        return session.request(method, sbg_emulator.url + path, **kwargs)

    return call
