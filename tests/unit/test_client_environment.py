"""Inside ``reading_environment_once``, a session reads requests' settings
from the environment (proxies, ``NO_PROXY``, the CA bundle) once per
origin; outside, on every request, as requests does."""
import threading

import requests
import responses

from sevenbridges.http.client import (
    RequestSession,
    reading_environment_once,
)

API = 'https://api.example.com/v2/user'
STORAGE = 'https://storage.example.com/object?signature=x'


def reading_counted(monkeypatch):
    calls = []
    read = requests.sessions.get_environ_proxies

    def counted(url, no_proxy=None):
        calls.append(url)
        return read(url, no_proxy=no_proxy)

    monkeypatch.setattr(requests.sessions, 'get_environ_proxies', counted)
    return calls


@responses.activate
def test_the_environment_is_read_once_per_origin_inside_the_block(
        monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example.com:3128')
    monkeypatch.setenv('NO_PROXY', 'storage.example.com')
    monkeypatch.setenv('REQUESTS_CA_BUNDLE', '/etc/ssl/bundle.pem')
    calls = reading_counted(monkeypatch)
    session = RequestSession()
    with reading_environment_once(session):
        settings = [session.merge_environment_settings(url, {}, None, None,
                                                       None)
                    for url in (API, API + '?a=1', STORAGE, STORAGE)]
    assert calls == [API, STORAGE]
    # what requests itself reads for each origin
    api_settings = RequestSession().merge_environment_settings(
        API, {}, None, None, None)
    assert api_settings['proxies']['https'] == \
        'http://proxy.example.com:3128'
    assert api_settings['verify'] == '/etc/ssl/bundle.pem'
    assert settings[0] == settings[1] == api_settings
    assert settings[2] == settings[3] == RequestSession(
    ).merge_environment_settings(STORAGE, {}, None, None, None)
    assert 'https' not in settings[2]['proxies']  # NO_PROXY, per origin
    # each request gets its own copy: requests may change it
    settings[0]['proxies']['http'] = 'changed'
    assert settings[1] == api_settings


def test_outside_the_block_every_request_reads_the_environment(monkeypatch):
    calls = reading_counted(monkeypatch)
    session = RequestSession()
    with reading_environment_once(session):
        session.merge_environment_settings(API, {}, None, None, None)
    monkeypatch.setenv('HTTPS_PROXY', 'http://later.example.com:3128')
    first = session.merge_environment_settings(API, {}, None, None, None)
    session.merge_environment_settings(API, {}, None, None, None)
    assert len(calls) == 3
    assert first['proxies'] == {'https': 'http://later.example.com:3128'}


def test_blocks_nest_and_overlap_across_threads(monkeypatch):
    calls = reading_counted(monkeypatch)
    session = RequestSession()
    inside, leave = threading.Event(), threading.Event()

    def other():
        with reading_environment_once(session):
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other)
    thread.start()
    inside.wait(5)
    with reading_environment_once(session):
        with reading_environment_once(session):
            session.merge_environment_settings(API, {}, None, None, None)
        session.merge_environment_settings(API, {}, None, None, None)
    session.merge_environment_settings(API, {}, None, None, None)
    assert len(calls) == 1  # the other thread's block is still open
    leave.set()
    thread.join()
    session.merge_environment_settings(API, {}, None, None, None)
    assert len(calls) == 2


def test_sessions_that_are_not_ours_and_trust_env_off_are_left_alone(
        monkeypatch):
    calls = reading_counted(monkeypatch)
    plain, untrusting = requests.Session(), RequestSession()
    untrusting.trust_env = False
    with reading_environment_once(plain, untrusting):
        for session in (plain, plain):
            session.merge_environment_settings(API, {}, None, None, None)
        assert untrusting.merge_environment_settings(
            API, {}, None, True, None)['verify'] is True
    assert len(calls) == 2


@responses.activate
def test_a_request_in_the_block_goes_through_the_proxy_it_read(monkeypatch):
    monkeypatch.setenv('HTTPS_PROXY', 'http://proxy.example.com:3128')
    responses.get(API, json={'username': 'u'})
    session = RequestSession()
    with reading_environment_once(session):
        for _ in range(2):
            assert session.get(API).json() == {'username': 'u'}
    sent = [call.request for call in responses.calls]
    assert [request.req_kwargs['proxies'] for request in sent] == [
        {'https': 'http://proxy.example.com:3128'}] * 2
