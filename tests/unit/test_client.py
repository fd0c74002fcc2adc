"""HttpClient and Api: configuration, headers, requests, errors, handlers."""
import logging
import platform
import threading
from datetime import datetime
from unittest import mock

import pytest
import requests
import responses
import urllib3

import sevenbridges as sbg
from sevenbridges import errors
from sevenbridges.config import Config
from sevenbridges.http.client import (
    AAHeader,
    HttpClient,
    RequestSession,
    client_info,
    config_vars,
    generate_session,
    mask_secrets,
)
from sevenbridges.http.error_handlers import (
    maintenance_sleeper,
    rate_limit_sleeper,
)
from tests.conftest import BASE, TOKEN, body_of, path_of, query_of


def write_credentials(tmp_path, text):
    home = tmp_path / 'home'
    home.mkdir(exist_ok=True)
    (home / 'credentials').write_text(text)


# -- configuration ------------------------------------------------------------

def test_explicit_url_and_token(api):
    assert api.url == BASE
    assert api.token == TOKEN
    assert api.oauth_token is None
    assert api.headers['X-SBG-Auth-Token'] == TOKEN
    assert 'Authorization' not in api.headers


def test_trailing_slashes_are_removed():
    api = sbg.Api(url=BASE + '///', token=TOKEN)
    assert api.url == BASE


def test_environment_configuration(monkeypatch):
    monkeypatch.setenv('SB_API_ENDPOINT', 'https://env.example/v2')
    monkeypatch.setenv('SB_AUTH_TOKEN', 'ENVTOKEN')
    monkeypatch.setenv('HTTPS_PROXY', 'https://proxy:3128')
    api = sbg.Api()
    assert api.url == 'https://env.example/v2'
    assert api.token == 'ENVTOKEN'
    assert api.session.proxies == {'http': None,
                                   'https': 'https://proxy:3128'}


def test_credentials_file_default_profile(tmp_path):
    write_credentials(tmp_path, '[default]\napi_endpoint = https://cred/v2\n'
                                'auth_token = CREDTOKEN\n')
    api = sbg.Api()
    assert (api.url, api.token) == ('https://cred/v2', 'CREDTOKEN')
    # With no config file the profile's proxies are both None.
    assert api.session.proxies == {'http': None, 'https': None}


def test_environment_wins_over_credentials(tmp_path, monkeypatch):
    write_credentials(tmp_path, '[default]\napi_endpoint = https://cred/v2\n'
                                'auth_token = CREDTOKEN\n')
    monkeypatch.setenv('SB_API_ENDPOINT', 'https://env.example/v2')
    monkeypatch.setenv('SB_AUTH_TOKEN', 'ENVTOKEN')
    assert sbg.Api().token == 'ENVTOKEN'


def test_half_environment_falls_back_to_credentials(tmp_path, monkeypatch):
    write_credentials(tmp_path, '[default]\napi_endpoint = https://cred/v2\n'
                                'auth_token = CREDTOKEN\n')
    monkeypatch.setenv('SB_AUTH_TOKEN', 'ENVTOKEN')
    assert sbg.Api().token == 'CREDTOKEN'


def test_named_profile_with_proxies_and_advance_access(tmp_path):
    write_credentials(tmp_path, '[default]\napi_endpoint = https://a/v2\n'
                                'auth_token = A\n'
                                '[cgc]\napi_endpoint = https://cgc/v2\n'
                                'auth_token = CGC\n')
    (tmp_path / 'home' / 'config').write_text(
        '[proxies]\nhttp_proxy = http://proxy:3128\n'
        'https_proxy = https://proxy:3129\n[mode]\nadvance_access = True\n')
    api = sbg.Api(config=Config(profile='cgc'))
    assert (api.url, api.token) == ('https://cgc/v2', 'CGC')
    assert api.session.proxies == {'http': 'http://proxy:3128',
                                   'https': 'https://proxy:3129'}
    assert api.aa == 'True'


def test_config_explicit_proxies_override_profile(tmp_path):
    write_credentials(tmp_path, '[p]\napi_endpoint = https://p/v2\n'
                                'auth_token = P\n')
    config = Config(profile='p', proxies={'https_proxy': 'https://x:1'})
    assert config.proxies == {'http': None, 'https': 'https://x:1'}


def test_explicit_proxies_are_formatted():
    api = sbg.Api(url=BASE, token=TOKEN,
                  proxies={'http_proxy': 'http://p:1',
                           'https_proxy': 'https://p:2'})
    assert api.session.proxies == {'http': 'http://p:1',
                                   'https': 'https://p:2'}


def test_config_mode_ignores_explicit_url(tmp_path, monkeypatch):
    monkeypatch.setenv('SB_API_ENDPOINT', 'https://env.example/v2')
    monkeypatch.setenv('SB_AUTH_TOKEN', 'ENVTOKEN')
    api = sbg.Api(url=BASE, token='other', config=Config())
    assert (api.url, api.token) == ('https://env.example/v2', 'ENVTOKEN')


def test_missing_configuration_says_how_to_configure():
    with pytest.raises(errors.SbgError) as info:
        sbg.Api()
    message = str(info.value)
    assert message.startswith('URL is missing!')
    for hint in ('SB_API_ENDPOINT', 'SB_AUTH_TOKEN',
                 '~/.sevenbridges/credentials'):
        assert hint in message


def test_token_without_url_fails_even_with_environment(monkeypatch):
    monkeypatch.setenv('SB_API_ENDPOINT', 'https://env.example/v2')
    with pytest.raises(errors.SbgError, match='URL is missing!'):
        sbg.Api(token=TOKEN)


def test_missing_token():
    with pytest.raises(errors.SbgError) as info:
        sbg.Api(url=BASE)
    assert str(info.value) == ('Required authorization model not selected!. '
                               'Please provide at least one token value.')


def test_oauth_token_uses_bearer_header(mocked):
    api = sbg.Api(url=BASE, oauth_token='OAUTH')
    assert api.headers['Authorization'] == 'Bearer OAUTH'
    assert 'X-SBG-Auth-Token' not in api.headers
    mocked.get(BASE + '/user', json={})
    api.get('/user')
    assert mocked.calls[0].request.headers['Authorization'] == 'Bearer OAUTH'


def test_token_beats_oauth_token():
    api = sbg.Api(url=BASE, token=TOKEN, oauth_token='OAUTH')
    assert api.headers['X-SBG-Auth-Token'] == TOKEN
    assert 'Authorization' not in api.headers
    assert api.oauth_token == 'OAUTH'


@pytest.mark.parametrize('url', ['http://api.sbgenomics.com/v2',
                                 'HTTP://example.org/v2',
                                 'http://10.0.0.1/v2'])
def test_plain_http_is_refused_for_remote_hosts(url):
    with pytest.raises(errors.SbgError, match='requires https'):
        sbg.Api(url=url, token=TOKEN)
    with pytest.raises(errors.SbgError, match='requires https'):
        sbg.Api(url=url, token=TOKEN, debug=True)


def test_plain_http_from_environment_is_refused(monkeypatch):
    monkeypatch.setenv('SB_API_ENDPOINT', 'http://example.org/v2')
    monkeypatch.setenv('SB_AUTH_TOKEN', 'ENVTOKEN')
    with pytest.raises(errors.SbgError, match='requires https'):
        sbg.Api()


@pytest.mark.parametrize('url', ['http://127.0.0.1:8080/v2',
                                 'http://localhost:1/v2', 'http://[::1]:5/v2',
                                 'http://127.1.2.3/v2'])
def test_plain_http_is_accepted_for_loopback(url):
    assert sbg.Api(url=url, token=TOKEN).url == url


@pytest.mark.parametrize('url', ['not a url', 'ftp://files.example.org/v2',
                                 'api.sbgenomics.com/v2', 'https://',
                                 'https:///v2', 'https://host:port/v2',
                                 'https://host:0/v2', 'file:///etc/passwd'])
def test_what_is_not_an_api_url_is_refused_at_once(url, mocked):
    with pytest.raises(errors.ValidationError) as info:
        sbg.Api(url=url, token=TOKEN)
    assert str(info.value) == (
        f'The API URL must be an https URL with a host, like '
        f'https://api.sbgenomics.com/v2 (or http to a loopback host), '
        f'not {url!r}.')
    with pytest.raises(errors.ValidationError, match='must be an https'):
        HttpClient(url=url, token=TOKEN)
    assert len(mocked.calls) == 0


def test_what_is_not_an_api_url_is_refused_from_the_environment(monkeypatch):
    monkeypatch.setenv('SB_API_ENDPOINT', 'ftp://files.example.org/v2')
    monkeypatch.setenv('SB_AUTH_TOKEN', 'ENVTOKEN')
    with pytest.raises(errors.ValidationError,
                       match="not 'ftp://files.example.org/v2'"):
        sbg.Api()


@pytest.mark.parametrize('url', ['HTTPS://API.SBGENOMICS.COM/v2',
                                 'https://api.sbgenomics.com:8443/v2',
                                 'https://[2001:db8::1]/v2'])
def test_https_urls_of_every_form_are_accepted(url):
    assert sbg.Api(url=url, token=TOKEN).url == url


def test_api_defaults(api):
    assert api.timeout is None
    assert api.aa is False
    assert api.pool_connections == 10
    assert api.pool_maxsize == 100
    assert api.pool_block is True
    assert api.error_handlers == [maintenance_sleeper]
    assert api.download_pool._max_workers == 16
    assert api.upload_pool._max_workers == 16
    assert isinstance(api._throttle_limit, threading.Semaphore)
    assert api._throttle_limit._value == 100
    assert api.session is api._session
    assert isinstance(api.session, RequestSession)


def test_pools_and_parallelism_are_configurable():
    api = sbg.Api(url=BASE, token=TOKEN, download_max_workers=3,
                  upload_max_workers=5, max_parallel_requests=0)
    assert api.download_pool._max_workers == 3
    assert api.upload_pool._max_workers == 5
    assert api._throttle_limit is None


def test_session_retry_adapter():
    session = generate_session(4, 8, False, proxies={'http': 'x'},
                               retry_count=3, backoff_factor=2)
    adapter = session.get_adapter('https://x')
    assert adapter is session.get_adapter('http://x')
    assert adapter.max_retries.total == 3
    assert adapter.max_retries.backoff_factor == 2
    assert adapter._pool_connections == 4
    assert adapter._pool_maxsize == 8
    assert adapter._pool_block is False
    assert session.proxies == {'http': 'x'}
    defaults = generate_session(1, 1, True, retry_count=0, backoff_factor=0)
    retry = defaults.get_adapter('https://x').max_retries
    assert (retry.total, retry.backoff_factor) == (6, 1)


def test_user_agent_and_headers(api, mocked):
    mocked.get(BASE + '/user', json={})
    api.get('/user')
    headers = mocked.calls[0].request.headers
    assert headers['User-Agent'] == (
        f'sevenbridges-python/{sbg.__version__} ({platform.system()}, '
        f'Python/{platform.python_version()}; '
        f'requests/{requests.__version__}; urllib3/{urllib3.__version__})')
    assert headers['Content-Type'] == 'application/json'
    assert headers['X-SBG-Auth-Token'] == TOKEN
    assert AAHeader.key not in headers
    assert set(client_info) == {'version', 'os', 'python', 'requests',
                                'urllib3'}


def test_advance_access_header_follows_the_flag(mocked):
    api = sbg.Api(url=BASE, token=TOKEN, advance_access=True)
    mocked.get(BASE + '/user', json={})
    api.get('/user')
    assert mocked.calls[0].request.headers['X-Sbg-Advance-Access'] == \
        'Advance'
    api.aa = False
    api.get('/user')
    assert 'X-Sbg-Advance-Access' not in mocked.calls[1].request.headers
    api.aa = True
    api.get('/user', headers={'X-Custom': '1'})
    sent = mocked.calls[2].request.headers
    assert sent['X-Sbg-Advance-Access'] == 'Advance'
    assert sent['X-Custom'] == '1'


def test_session_id_replaces_token_from_the_first_request(api, mocked):
    api._session_id = 'SESSION'
    mocked.get(BASE + '/user', json={})
    api.get('/user', headers={'X-Custom': '1'})
    sent = mocked.calls[0].request.headers
    assert sent['X-SBG-Session-Id'] == 'SESSION'
    assert 'X-SBG-Auth-Token' not in sent


def test_client_headers_override_caller_headers(api, mocked):
    mocked.post(BASE + '/apps/x/raw', json={})
    caller = {'Content-Type': 'application/yaml', 'X-Extra': 'e'}
    api.post('/apps/x/raw', headers=caller, data='a: 1')
    sent = mocked.calls[0].request
    assert sent.headers['Content-Type'] == 'application/json'
    assert sent.headers['X-Extra'] == 'e'
    assert body_of(sent) == 'a: 1'


def test_request_bodies_and_params(api, mocked):
    for verb in ('GET', 'POST', 'PUT', 'PATCH', 'DELETE'):
        mocked.add(verb, BASE + '/things', json={'ok': True})
    api.get('/things', params={'a': 1, 'b': None, 'c': [1, 2], 'd': True})
    api.post('/things', data={'x': 1})
    api.put('/things', data=[1, 2])
    api.patch('/things', data={'y': None})
    api.delete('/things')
    get, post, put, patch, delete = [c.request for c in mocked.calls]
    assert get.method == 'GET' and get.body == 'null'
    assert query_of(get) == {'a': ['1'], 'c': ['1', '2'], 'd': ['True']}
    assert (post.method, body_of(post)) == ('POST', {'x': 1})
    assert (put.method, body_of(put)) == ('PUT', [1, 2])
    assert (patch.method, body_of(patch)) == ('PATCH', {'y': None})
    assert (delete.method, body_of(delete)) == ('DELETE', {})


def test_absolute_urls_without_base(api, mocked):
    mocked.get(BASE + '/files/1', json={'id': '1'})
    response = api.get(BASE + '/files/1', append_base=False)
    assert response.json() == {'id': '1'}


def test_a_url_of_another_origin_is_sent_to_the_api_origin(
        api, mocked, caplog):
    mocked.get(BASE + '/projects', json={'items': []})
    with caplog.at_level(logging.WARNING, logger='sevenbridges'):
        response = api.get('https://alias.example:8443/v2/projects?x=1',
                           append_base=False)
        api.get('https://alias.example:8443/v2/projects', append_base=False)
    assert response.json() == {'items': []}
    sent = [call.request for call in mocked.calls]
    assert [request.url for request in sent] == [
        BASE + '/projects?x=1', BASE + '/projects']
    assert all(request.headers['X-SBG-Auth-Token'] == TOKEN
               for request in sent)
    warnings = [record.getMessage() for record in caplog.records
                if record.levelno == logging.WARNING]
    assert warnings == ['A link names alias.example:8443, not the API host '
                        'api.sbgenomics.test: it is followed on the API host']
    assert TOKEN not in caplog.text


def test_stream_requests_carry_no_sdk_headers(api, mocked):
    mocked.get('https://storage.example/blob', body=b'abc')
    response = api.get('https://storage.example/blob', append_base=False,
                       stream=True)
    assert response.content == b'abc'
    sent = mocked.calls[0].request
    assert 'X-SBG-Auth-Token' not in sent.headers
    assert not sent.headers['User-Agent'].startswith('sevenbridges')
    assert sent.body is None


def test_timeout_is_passed_to_requests():
    api = sbg.Api(url=BASE, token=TOKEN, timeout=12)
    with mock.patch.object(api._session, 'request') as request:
        request.return_value = mock.Mock(status_code=200, headers={})
        api.get('/user')
    assert request.call_args.kwargs['timeout'] == 12


def test_empty_url_is_refused(api):
    with pytest.raises(errors.SbgError, match='Request url must be provided'):
        api.get('')


def test_unauthenticated_client_refuses_to_send(api, mocked):
    api.token = None
    with pytest.raises(errors.SbgError,
                       match='Api instance must be authenticated.'):
        api.get('/user')
    assert len(mocked.calls) == 0


def test_uri_too_long_is_raised_before_sending(api, mocked):
    with pytest.raises(errors.URITooLong) as info:
        api.get('/files', params={'name': 'x' * 6000})
    assert info.value.status == 414
    assert info.value.message == ('Request url too large, likely too many '
                                  'query parameters provided.')
    assert len(mocked.calls) == 0


# -- responses and errors -----------------------------------------------------

@pytest.mark.parametrize('status,error_class', [
    (400, errors.BadRequest), (401, errors.Unauthorized),
    (403, errors.Forbidden), (404, errors.NotFound),
    (405, errors.MethodNotAllowed), (408, errors.RequestTimeout),
    (409, errors.Conflict), (414, errors.URITooLong),
    (429, errors.TooManyRequests), (500, errors.ServerError),
])
def test_status_codes_map_to_exceptions(mocked, status, error_class):
    api = sbg.Api(url=BASE, token=TOKEN, retry=False)
    mocked.get(BASE + '/x', status=status,
               json={'status': status, 'code': 5002, 'message': 'Boom',
                     'more_info': 'https://docs/5002'})
    with pytest.raises(error_class) as info:
        api.get('/x')
    error = info.value
    assert type(error) is error_class
    assert (error.status, error.code, error.message, error.more_info) == \
        (status, 5002, 'Boom', 'https://docs/5002')
    assert str(error) == (f'Boom (status {status}, code 5002, '
                          f'more info: https://docs/5002)')


def test_503_without_maintenance_code(mocked):
    api = sbg.Api(url=BASE, token=TOKEN, retry=False)
    mocked.get(BASE + '/x', status=503, json={'code': 1, 'message': 'down'})
    with pytest.raises(errors.ServiceUnavailable) as info:
        api.get('/x')
    assert (info.value.status, info.value.code) == (503, 1)


def test_unmapped_status_keeps_the_http_status(api, mocked):
    mocked.get(BASE + '/x', status=422, json={'message': 'Unprocessable'})
    with pytest.raises(errors.SbgError) as info:
        api.get('/x')
    assert type(info.value) is errors.SbgError
    assert info.value.status == 422
    assert str(info.value) == 'Unprocessable (status 422)'


def test_body_status_overrides_http_status(api, mocked):
    mocked.get(BASE + '/x', status=400, json={'status': 999})
    with pytest.raises(errors.BadRequest) as info:
        api.get('/x')
    assert info.value.status == 999


def test_non_json_error_body(mocked):
    api = sbg.Api(url=BASE, token=TOKEN, retry=False)
    mocked.get(BASE + '/x', status=502, body='<html>Bad gateway</html>')
    with pytest.raises(errors.NonJSONResponseError) as info:
        api.get('/x')
    assert info.value.status == 502
    assert info.value.code is None
    assert info.value.message == '<html>Bad gateway</html>'
    assert info.value.__suppress_context__


def test_success_statuses(api, mocked):
    mocked.get(BASE + '/a', status=201, json={'a': 1})
    mocked.delete(BASE + '/b', status=204)
    assert api.get('/a').json() == {'a': 1}
    assert api.delete('/b') is None


def test_transport_errors_become_sbg_errors(api, mocked):
    mocked.get(BASE + '/x', body=requests.ConnectionError('refused'))
    with pytest.raises(errors.SbgError) as info:
        api.get('/x')
    assert type(info.value) is errors.SbgError
    assert 'refused' in info.value.message
    assert info.value.status is None and info.value.code is None


# -- rate limit bookkeeping ----------------------------------------------------

RATE_HEADERS = {'X-RateLimit-Limit': '1000', 'X-RateLimit-Remaining': '998',
                'X-RateLimit-Reset': '1700000060', 'X-Request-Id': 'req-1'}


def test_rate_limit_properties_each_send_a_request(api, mocked):
    mocked.get(BASE + '/rate_limit', json={}, headers=RATE_HEADERS)
    assert api.limit == 1000
    assert api.remaining == 998
    assert api.reset_time == datetime.fromtimestamp(1700000060.0)
    assert len(mocked.calls) == 3
    assert all(path_of(c.request) == '/v2/rate_limit' for c in mocked.calls)
    assert api.request_id == 'req-1'
    assert len(mocked.calls) == 3


def test_rate_limit_values_persist_when_headers_are_absent(api, mocked):
    mocked.get(BASE + '/a', json={}, headers=RATE_HEADERS)
    mocked.get(BASE + '/b', json={})
    api.get('/a')
    api.get('/b')
    assert (api._limit, api._remaining, api._reset, api._request_id) == \
        ('1000', '998', '1700000060', 'req-1')
    assert isinstance(api._last_response_time, float)


def test_rate_limit_unknown_before_any_header(api, mocked):
    mocked.get(BASE + '/rate_limit', json={})
    assert api.limit is None
    assert api.remaining is None
    assert api.reset_time is None
    assert api.request_id is None


# -- error handlers ------------------------------------------------------------

def test_error_handler_list_management(api):
    def handler(api_, response):
        return response

    api.add_error_handler(handler)
    api.add_error_handler(handler)
    api.add_error_handler('not callable')
    assert api.error_handlers == [maintenance_sleeper, handler]
    api.remove_error_handler(handler)
    api.remove_error_handler(handler)
    assert api.error_handlers == [maintenance_sleeper]


def test_error_handlers_argument():
    handler = mock.Mock(side_effect=lambda a, r: r)
    api = sbg.Api(url=BASE, token=TOKEN,
                  error_handlers=[rate_limit_sleeper, maintenance_sleeper,
                                  handler])
    assert api.error_handlers == [maintenance_sleeper, rate_limit_sleeper,
                                  handler]
    ignored = sbg.Api(url=BASE, token=TOKEN, error_handlers=(handler,))
    assert ignored.error_handlers == [maintenance_sleeper]


def test_handlers_run_on_every_response(api, mocked):
    seen = []

    def handler(api_, response):
        seen.append(response.status_code)
        return response

    api.error_handlers = [handler]
    mocked.get(BASE + '/ok', json={})
    mocked.get(BASE + '/missing', status=404, json={})
    api.get('/ok')
    with pytest.raises(errors.NotFound):
        api.get('/missing')
    assert seen == [200, 404]


def test_repeatable_handler_restarts_the_walk(api, mocked):
    mocked.get(BASE + '/x', status=500, json={})
    mocked.get(BASE + '/x', json={'ok': True})
    order = []

    def first(api_, response):
        order.append(('first', response.status_code))
        return response

    def retry_once(api_, response):
        order.append(('retry', response.status_code))
        if response.status_code == 500:
            return api_.session.send(response.request)
        return response

    retry_once.is_repeatable = True
    api.error_handlers = [first, retry_once]
    assert api.get('/x').json() == {'ok': True}
    assert order == [('first', 500), ('retry', 500), ('first', 200),
                     ('retry', 200)]


def test_non_repeatable_handler_replaces_without_restart(api, mocked):
    mocked.get(BASE + '/x', status=500, json={})
    mocked.get(BASE + '/x', json={'ok': True})
    calls = []

    def replace(api_, response):
        calls.append(response.status_code)
        if response.status_code == 500:
            return api_.session.send(response.request)
        return response

    api.error_handlers = [replace]
    assert api.get('/x').json() == {'ok': True}
    assert calls == [500]


def test_no_handlers(api, mocked):
    api.error_handlers = []
    mocked.get(BASE + '/x', json={'a': 1})
    assert api.get('/x').json() == {'a': 1}


def test_throttle_limits_parallel_requests(mocked):
    api = sbg.Api(url=BASE, token=TOKEN, max_parallel_requests=2)
    active = []
    peak = []
    lock = threading.Lock()
    release = threading.Event()

    def callback(request):
        with lock:
            active.append(1)
            peak.append(len(active))
        release.wait(5)
        with lock:
            active.pop()
        return 200, {}, '{}'

    mocked.add_callback('GET', BASE + '/x', callback=callback)
    threads = [threading.Thread(target=api.get, args=('/x',))
               for _ in range(5)]
    for thread in threads:
        thread.start()
    threading.Timer(0.3, release.set).start()
    for thread in threads:
        thread.join(10)
    assert max(peak) == 2
    assert len(mocked.calls) == 5


# -- secrets --------------------------------------------------------------------

def test_repr_never_shows_the_token(api):
    assert repr(api) == f'<API({BASE}) - "*****">'
    assert str(api) == repr(api)
    assert TOKEN not in repr(api)


def test_mask_secrets():
    data = {'verb': 'GET', 'url': 'u',
            'headers': {'X-SBG-Auth-Token': 'secret', 'Authorization': 'B s',
                        'Other': 'o'}}
    masked = mask_secrets(data)
    assert masked['headers'] == {'X-SBG-Auth-Token': '*****',
                                 'X-SBG-Session-Id': '*****',
                                 'Authorization': '*****', 'Other': 'o'}
    assert data['headers']['X-SBG-Auth-Token'] == 'secret'


def test_debug_logs_never_contain_the_token(api, mocked, caplog):
    mocked.get(BASE + '/user', json={})
    mocked.get('https://storage.example/b', body=b'x')
    with caplog.at_level(logging.DEBUG, logger='sevenbridges'):
        api.get('/user', params={'q': 1})
        api.get('https://storage.example/b', append_base=False, stream=True)
    assert 'Request ' in caplog.text and 'Stream Request ' in caplog.text
    summaries = [record.getMessage() for record in caplog.records
                 if record.getMessage().startswith('Response ')]
    assert [summary.split(' in ')[0] for summary in summaries] == [
        f'Response 200 to GET {BASE}/user',
        'Response 200 to GET https://storage.example/b']
    assert TOKEN not in caplog.text
    assert '*****' in caplog.text


def test_config_vars_tries_profiles_in_order(tmp_path, monkeypatch):
    assert config_vars([None, 'default'], False) == (None, None, None, None)
    write_credentials(tmp_path, '[default]\napi_endpoint = https://d/v2\n'
                                'auth_token = D\n')
    url, token, proxies, aa = config_vars([None, 'default'], True)
    assert (url, token, aa) == ('https://d/v2', 'D', True)


def test_http_client_can_be_used_directly(mocked):
    client = HttpClient(url=BASE, token=TOKEN)
    assert client._throttle_limit is None
    assert client.pool_connections is None
    mocked.get(BASE + '/user', json={'username': 'me'})
    assert client.get('/user').json() == {'username': 'me'}


def test_resource_attributes_bind_the_api(api):
    from sevenbridges.meta.binding import BoundResource
    from sevenbridges.models.user import User
    other = sbg.Api(url=BASE, token='OTHER')
    users = api.users
    assert isinstance(users, BoundResource)
    assert users == User and users._API is api
    assert other.users == User and other.users._API is other
    assert users._API is api  # binding another client leaves it alone
    assert sbg.Api.users is User


def test_every_resource_attribute_is_wired():
    from sevenbridges.meta.binding import BoundResource
    expected = {
        'actions': ('actions', 'Actions'), 'apps': ('app', 'App'),
        'async_jobs': ('async_jobs', 'AsyncJob'),
        'automations': ('automation', 'Automation'),
        'automation_runs': ('automation', 'AutomationRun'),
        'automation_packages': ('automation', 'AutomationPackage'),
        'billing_groups': ('billing_group', 'BillingGroup'),
        'datasets': ('dataset', 'Dataset'),
        'divisions': ('division', 'Division'),
        'drs_imports': ('drs_import', 'DRSImportBulk'),
        'endpoints': ('endpoints', 'Endpoints'),
        'exports': ('storage_export', 'Export'), 'files': ('file', 'File'),
        'imports': ('storage_import', 'Import'),
        'invoices': ('invoice', 'Invoice'), 'markers': ('marker', 'Marker'),
        'projects': ('project', 'Project'),
        'rate_limit': ('rate_limit', 'RateLimit'),
        'tasks': ('task', 'Task'), 'teams': ('team', 'Team'),
        'users': ('user', 'User'), 'volumes': ('volume', 'Volume'),
    }
    api = sbg.Api(url=BASE, token=TOKEN)
    wired = {}
    for name, value in vars(sbg.api.Api).items():
        if isinstance(getattr(api, name), BoundResource):
            wired[name] = (value.__module__.rsplit('.', 1)[1], value.__name__)
    assert wired == expected


def test_mocked_requests_need_no_network(api):
    with responses.RequestsMock() as rsps:
        rsps.get(BASE + '/user', json={'username': 'u'})
        assert api.get('/user').json()['username'] == 'u'
