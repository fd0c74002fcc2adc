"""The client ``sbg`` makes from its settings: proxies of a profile or of
the environment reach its session."""
from sevenbridges.cli import settings
from sevenbridges.config import UserProfile

URL = 'https://api.example.org/v2'


def test_a_profiles_proxies_reach_the_session(tmp_path, monkeypatch):
    credentials = tmp_path / 'credentials'
    credentials.write_text(f'[lab]\napi_endpoint = {URL}\n'
                           'auth_token = secret\n')
    config = tmp_path / 'config'
    config.write_text('[proxies]\nhttp_proxy = http://proxy:3128\n'
                      'https_proxy = http://proxy:3129\n')
    monkeypatch.setattr(UserProfile, 'CREDENTIALS', str(credentials))
    monkeypatch.setattr(UserProfile, 'CONFIG', str(config))
    api = settings.resolve('lab').api()
    assert api.session.proxies == {'http': 'http://proxy:3128',
                                   'https': 'http://proxy:3129'}


def test_the_environments_proxies_reach_the_session(monkeypatch):
    monkeypatch.setenv('SB_API_ENDPOINT', URL)
    monkeypatch.setenv('SB_AUTH_TOKEN', 'secret')
    monkeypatch.setenv('HTTP_PROXY', 'http://proxy:3128')
    monkeypatch.delenv('HTTPS_PROXY', raising=False)
    resolved = settings.resolve()
    assert resolved.proxies.source == 'environment HTTP_PROXY/HTTPS_PROXY'
    assert resolved.api().session.proxies == {'http': 'http://proxy:3128',
                                              'https': None}
