"""The client's sessions prepare requests as requests does, with less work
for the common request (:meth:`RequestSession.prepare_request`), and their
adapters work out the connection pool of an origin once
(:class:`PooledAdapter`)."""
import pickle
import random

import requests
import responses

from sevenbridges.http import client as client_module
from sevenbridges.http.client import (
    PooledAdapter,
    RequestSession,
    generate_session,
    reading_environment_once,
)

API = 'https://api.example.com/v2/files'


def prepared_by_requests(session, request):
    return requests.Session.prepare_request(session, request)


def fields(prepared):
    return (prepared.method, prepared.url, dict(prepared.headers),
            prepared.body, dict(prepared.hooks),
            [(cookie.name, cookie.value, cookie.domain)
             for cookie in prepared._cookies],
            type(prepared.headers))


def test_the_common_request_is_prepared_as_requests_prepares_it():
    session = RequestSession()
    session.headers.update({'X-Session': 's', 'Accept': None})
    cases = [
        ('GET', API, {}, {}, {}),
        ('POST', API, {'Content-Type': 'application/json'},
         {'fields': '_all', 'limit': None}, '{"name": "a"}'),
        ('PUT', 'https://u:p@storage.example.com/o?sig=x',
         {'x-session': 'request', 'User-Agent': None}, {'a': [1, 2]},
         b'bytes'),
        ('DELETE', API, {}, {'q': 'x y'}, {'form': 'v'}),
    ]
    for method, url, headers, params, data in cases:
        request = requests.Request(method, url, headers=headers,
                                   params=params, data=data)
        expected = fields(prepared_by_requests(session, request))
        assert fields(session.prepare_request(request)) == expected
        with reading_environment_once(session):
            assert fields(session.prepare_request(request)) == expected


def test_cookies_and_credentials_go_through_requests_own_preparation():
    session = RequestSession()
    session.cookies.set('AWSALB', 'sticky', domain='api.example.com')
    request = requests.Request('GET', API)
    prepared = session.prepare_request(request)
    assert prepared.headers['Cookie'] == 'AWSALB=sticky'
    assert fields(prepared) == fields(prepared_by_requests(session, request))
    session = RequestSession()
    request = requests.Request('GET', API, auth=('user', 'secret'),
                               cookies={'a': 'b'})
    prepared = session.prepare_request(request)
    assert prepared.headers['Cookie'] == 'a=b'
    assert fields(prepared) == fields(prepared_by_requests(session, request))


def test_netrc_credentials_are_read_once_per_origin_in_the_block(
        monkeypatch, tmp_path):
    netrc = tmp_path / 'netrc'
    netrc.write_text('machine api.example.com login user password secret\n')
    monkeypatch.setenv('NETRC', str(netrc))
    calls = []
    read = requests.sessions.get_netrc_auth

    def counted(url, raise_errors=False):
        calls.append(url)
        return read(url, raise_errors)

    monkeypatch.setattr(requests.sessions, 'get_netrc_auth', counted)
    session = RequestSession()
    request = requests.Request('GET', API)
    expected = prepared_by_requests(session, request).headers[
        'Authorization']
    assert expected.startswith('Basic ')
    calls.clear()
    with reading_environment_once(session):
        for url in (API, API + '/x', 'https://storage.example.com/o'):
            prepared = session.prepare_request(requests.Request('GET', url))
            if 'api.' in url:
                assert prepared.headers['Authorization'] == expected
            else:
                assert 'Authorization' not in prepared.headers
    assert calls == [API, 'https://storage.example.com/o']
    session.prepare_request(request)
    session.prepare_request(request)
    assert len(calls) == 4  # outside the block: every request


def test_a_session_that_does_not_trust_the_environment_reads_no_netrc(
        monkeypatch, tmp_path):
    netrc = tmp_path / 'netrc'
    netrc.write_text('machine api.example.com login user password secret\n')
    monkeypatch.setenv('NETRC', str(netrc))
    session = RequestSession()
    session.trust_env = False
    prepared = session.prepare_request(requests.Request('GET', API))
    assert 'Authorization' not in prepared.headers


def test_the_adapter_works_out_the_pool_of_an_origin_once(monkeypatch):
    adapter = PooledAdapter()
    calls = []
    work_out = requests.adapters.HTTPAdapter.\
        build_connection_pool_key_attributes

    def counted(self, request, verify, cert=None):
        calls.append(request.url)
        return work_out(self, request, verify, cert)

    monkeypatch.setattr(requests.adapters.HTTPAdapter,
                        'build_connection_pool_key_attributes', counted)

    def prepared(url):
        return requests.Request('GET', url).prepare()

    first = adapter.build_connection_pool_key_attributes(
        prepared(API), '/etc/ssl/bundle.pem')
    again = adapter.build_connection_pool_key_attributes(
        prepared(API + '?page=2'), '/etc/ssl/bundle.pem')
    assert first == again == work_out(adapter, prepared(API),
                                      '/etc/ssl/bundle.pem')
    assert first[1]['ca_certs'] == '/etc/ssl/bundle.pem'
    first[1]['changed'] = True  # each call gets its own copies
    assert 'changed' not in adapter.build_connection_pool_key_attributes(
        prepared(API), '/etc/ssl/bundle.pem')[1]
    assert len(calls) == 1
    other_port = adapter.build_connection_pool_key_attributes(
        prepared('https://api.example.com:8443/v2'), True)
    assert other_port[0]['port'] == 8443
    adapter.build_connection_pool_key_attributes(prepared(API), False)
    assert len(calls) == 3


@responses.activate
def test_a_request_through_the_clients_session_is_sent_as_requests_would():
    responses.post(API, json={'id': 'f'})
    session = generate_session(None, None, True)
    assert isinstance(session.get_adapter(API), PooledAdapter)
    with reading_environment_once(session):
        answer = session.post(API, params={'fields': '_all'},
                              data='{"name": "a"}',
                              headers={'Content-Type': 'application/json'})
    assert answer.json() == {'id': 'f'}
    sent = responses.calls[0].request
    assert sent.url == API + '?fields=_all'
    assert sent.body == '{"name": "a"}'
    assert sent.headers['Content-Type'] == 'application/json'
    assert 'Cookie' not in sent.headers


def prepared_url(url):
    prepared = requests.PreparedRequest()
    prepared.prepare_url(url, {})
    return prepared.url


def test_a_plain_url_is_prepared_as_requests_prepares_it():
    """Paths and queries requests leaves as they are skip its parsing; the
    others (dot segments, lower-case or unreserved percent-encodings, a
    fragment, an empty query, spaces, text) are prepared by requests."""
    session = RequestSession()
    plain = [
        'http://127.0.0.1:8080/v2/upload/multipart/u-1/part/1',
        'https://API.Example.com/v2/files/f?expires=1&signature=ab09',
        'https://s3.example.com/u/o?partNumber=1&X-Amz-Credential='
        'AKIA%2F20261207%2Fus-east-1%2Fs3%2Faws4_request',
        'http://h:0080/a/b/', 'http://h/a?b=c&d=e/f?g', 'http://h/...',
    ]
    for url in plain:
        assert session._plain_url(url) == prepared_url(url), url
    for url in ('http://h/a/./b', 'http://h/a/..', 'http://h/a/.?x',
                'http://h/a?', 'http://h//a', 'http://h/a%2e', 'http://h/%41',
                'http://h/%2f', 'http://h/a#f', 'http://h/a b',
                'http://h/\u00e9', 'http://u:p@h/a', 'http://[::1]/a',
                'ftp://h/a', ' http://h/a', 'http://h'):
        assert session._plain_url(url) is None, url
    assert session._plain_url('http://.h/a') is None  # requests refuses it


def test_plain_urls_of_random_characters_are_prepared_as_by_requests():
    session = RequestSession()
    alphabet = "aZ09-._~!$&'()*+,;=:@/?#% [].\\\u00e9\t%%%2F4A7e3B5F"
    origins = ['http://h', 'https://API.Example.com', 'http://h:0080',
               'http://127.0.0.1:8080', 'http://h:99999', 'HTTP://h']
    generate = random.Random(26)
    fast = 0
    for _ in range(20000):
        url = generate.choice(origins) + '/' + ''.join(
            generate.choice(alphabet) for _ in range(generate.randint(0, 12)))
        got = session._plain_url(url)
        if got is not None:
            fast += 1
            assert got == prepared_url(url), url
    assert fast > 1000


def test_the_prepared_origins_are_bounded_and_survive_a_pickled_session():
    session = RequestSession()
    for number in range(PooledAdapter.KEYS_KEPT + 5):
        session._plain_url(f'http://h{number}/a')
    assert 0 < len(client_module._prepared_origins) <= \
        PooledAdapter.KEYS_KEPT
    copied = pickle.loads(pickle.dumps(session))
    assert copied._plain_url('http://h/a') == 'http://h/a'
