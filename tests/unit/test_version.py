"""The version: what the established SDK's users pin accepts this package."""
import re

import pytest
from packaging.specifiers import SpecifierSet
from packaging.version import Version

import sevenbridges
from sevenbridges.http.client import USER_AGENT
from sevenbridges.version import __version__


def test_the_version_is_the_mirrored_release_with_a_local_label():
    version = Version(__version__)
    assert version.public == '2.11.2'
    assert re.fullmatch(r'sbgpy\.\d+', version.local)
    assert sevenbridges.__version__ == __version__ == str(version)


@pytest.mark.parametrize('pin', [
    '==2.11.2', '>=2.0.0', '~=2.9', '>=2.9,<3', '~=2.11.0', '==2.11.*',
    '>2.11.1'])
def test_what_dependents_pin_accepts_it(pin):
    assert __version__ in SpecifierSet(pin)


@pytest.mark.parametrize('pin', ['==2.11.1', '<2.11.2', '>=2.12', '~=3.0',
                                 '!=2.11.2'])
def test_what_excludes_the_mirrored_release_excludes_it(pin):
    assert __version__ not in SpecifierSet(pin)


def test_the_user_agent_names_the_version():
    assert USER_AGENT.startswith(f'sevenbridges-python/{__version__} (')
