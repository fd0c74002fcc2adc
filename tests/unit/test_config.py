"""Config, UserProfile and format_proxies."""
import configparser
import logging
from unittest import mock

import pytest

from sevenbridges import config as config_module
from sevenbridges.config import Config, UserProfile, format_proxies
from sevenbridges.errors import SbgError


@pytest.fixture
def home(tmp_path):
    path = tmp_path / 'home'
    path.mkdir()
    return path


def test_format_proxies():
    assert format_proxies({'http_proxy': 'h', 'https_proxy': 's'}) == \
        {'http': 'h', 'https': 's'}
    assert format_proxies({'http': 'h'}) == {'http': None, 'https': None}
    assert format_proxies(None) == {}
    assert format_proxies({}) == {}


def test_paths_are_absolute_under_home(tmp_path):
    import subprocess
    import sys
    env = {'HOME': str(tmp_path), 'PATH': ''}
    out = subprocess.run(
        [sys.executable, '-c', 'from sevenbridges.config import UserProfile;'
                               'print(UserProfile.CREDENTIALS);'
                               'print(UserProfile.CONFIG)'],
        env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out == [f'{tmp_path}/.sevenbridges/credentials',
                   f'{tmp_path}/.sevenbridges/sevenbridges-python/config']


def test_environment_mode(monkeypatch, caplog):
    monkeypatch.setenv('SB_AUTH_TOKEN', 'T')
    monkeypatch.setenv('SB_API_ENDPOINT', 'https://e/v2')
    monkeypatch.setenv('HTTP_PROXY', 'http://p')
    with caplog.at_level(logging.INFO, logger='sevenbridges.config'):
        config = Config()
    assert (config.auth_token, config.api_endpoint) == ('T', 'https://e/v2')
    assert config.proxies == {'http': 'http://p', 'https': None}
    assert config.advance_access is False
    assert config.profile is None
    assert '[token=*****]' in caplog.text
    assert 'T]' not in caplog.text.replace('[token=*****]', '')
    assert Config(advance_access=True).advance_access is True
    assert Config(proxies={'https_proxy': 's'}).proxies == \
        {'http': None, 'https': 's'}
    assert 'T' not in repr(config).replace('Config', '').replace(
        'token', '')


def test_environment_mode_missing_values(monkeypatch):
    with pytest.raises(SbgError, match='Missing SB_AUTH_TOKEN'):
        Config()
    monkeypatch.setenv('SB_AUTH_TOKEN', 'T')
    with pytest.raises(SbgError, match='Missing SB_API_ENDPOINT'):
        Config()


def test_profile_mode(home):
    (home / 'credentials').write_text(
        '[default]\napi_endpoint = https://d/v2\nauth_token = D\n'
        '[partial]\napi_endpoint = https://p/v2\n')
    config = Config(profile='default')
    assert (config.api_endpoint, config.auth_token) == ('https://d/v2', 'D')
    assert config.proxies == {'http': None, 'https': None}
    assert config.advance_access is False
    partial = UserProfile('partial')
    assert partial.auth_token is None
    with pytest.raises(configparser.NoSectionError):
        Config(profile='missing')


def test_missing_credentials_file():
    with pytest.raises(SbgError, match='Missing credentials file.'):
        UserProfile('default')


def test_config_file_proxies_and_mode(home):
    (home / 'credentials').write_text('[default]\nauth_token = D\n')
    (home / 'config').write_text('[mode]\nadvance_access = false\n')
    profile = UserProfile('default')
    # No [proxies] section: no proxies at all.
    assert profile.proxies == {}
    # The raw string is kept, as the platform's SDK always did.
    assert profile.advance_access == 'false'
    (home / 'config').write_text('[mode]\n')
    assert UserProfile('default').advance_access == 'False'
    (home / 'config').write_text('[proxies]\nhttp_proxy = h\n')
    profile = UserProfile('default')
    assert profile.proxies == {'http_proxy': 'h', 'https_proxy': None}
    assert profile.advance_access is False


def test_advance_access_argument_wins(home):
    (home / 'credentials').write_text('[default]\nauth_token = D\n')
    assert Config(profile='default', advance_access=True).advance_access is \
        True


def test_access_points_can_be_replaced():
    parser = mock.MagicMock()
    parser.get.side_effect = lambda section, key: f'{section}.{key}'
    with mock.patch.object(config_module.os.path, 'isfile',
                           return_value=True), \
            mock.patch.object(configparser, 'ConfigParser',
                              return_value=parser):
        profile = UserProfile('p')
        assert profile.api_endpoint == 'p.api_endpoint'
        assert profile.proxies == {'http_proxy': 'proxies.http_proxy',
                                   'https_proxy': 'proxies.https_proxy'}
        assert profile.advance_access == 'mode.advance_access'
    parser.read.assert_any_call(UserProfile.CREDENTIALS)
