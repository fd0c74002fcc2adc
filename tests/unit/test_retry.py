"""The retry policy of API calls: what is retried, how long it waits, when
it gives up (HTTP mocked, time virtual)."""
import logging

import pytest
import requests
from urllib3.exceptions import (
    MaxRetryError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
)

import sevenbridges as sbg
from sevenbridges import errors
from sevenbridges.http.client import NO_CONNECTION_RETRIES
from sevenbridges.http.retry import RetryPolicy
from tests.conftest import BASE, TOKEN, body_of

URL = BASE + '/projects'
MAINTENANCE = {'status': 503, 'code': 0, 'message': 'Maintenance.'}


def make_api(clock, **policy):
    return sbg.Api(url=BASE, token=TOKEN,
                   retry=RetryPolicy(clock=clock, **policy))


def refused():
    return requests.ConnectionError(MaxRetryError(
        None, URL, reason=NewConnectionError(None, 'refused')))


def unresolved():
    return requests.ConnectionError(MaxRetryError(
        None, URL, reason=NameResolutionError('api.sbgenomics.cmo', None,
                                              'no such host')))


def unreachable():
    # A new connection that failed for another reason than a refusal.
    reason = NewConnectionError(None, 'Failed to establish a new connection')
    reason.__cause__ = OSError(101, 'Network is unreachable')
    return requests.ConnectionError(MaxRetryError(None, URL, reason=reason))


def dropped():
    return requests.ConnectionError(ProtocolError(
        'Connection aborted.', ConnectionResetError(104, 'reset')))


# -- configuration ------------------------------------------------------------

def test_the_default_client_has_the_default_policy():
    api = sbg.Api(url=BASE, token=TOKEN)
    assert api.retry == RetryPolicy()
    assert (api.retry.budget, api.retry.max_attempts, api.retry.base_delay,
            api.retry.max_delay, api.retry.pacing) == (300.0, None, 0.5,
                                                       30.0, True)
    assert api.retry.statuses == {429, 502, 503, 504}
    assert (api.retry.connect_attempts, api.retry.connect_budget) == (3, 10.0)
    # The policy retries connections: the adapter does not (no multiplying).
    assert api.session.get_adapter(BASE).max_retries is NO_CONNECTION_RETRIES
    assert NO_CONNECTION_RETRIES.total == 0


def test_retry_false_keeps_the_connection_retries_of_the_reference():
    api = sbg.Api(url=BASE, token=TOKEN, retry=False, retry_count=3,
                  backoff_factor=2)
    assert api.retry is None
    adapter_retries = api.session.get_adapter(BASE).max_retries
    assert (adapter_retries.total, adapter_retries.backoff_factor) == (3, 2)
    # ... and no answer is retried by the adapter either.
    assert adapter_retries.respect_retry_after_header is False
    api.retry = True
    assert api.retry == RetryPolicy()
    assert api.session.get_adapter(BASE).max_retries is NO_CONNECTION_RETRIES
    api.retry = False
    assert api.session.get_adapter(BASE).max_retries.total == 3


def test_a_policy_of_ones_own(clock):
    policy = RetryPolicy(budget=None, max_attempts=4, base_delay=1,
                         max_delay=8, statuses=[429, 500], pacing=False,
                         clock=clock)
    api = sbg.Api(url=BASE, token=TOKEN, retry=policy)
    assert api.retry is policy
    assert policy.statuses == frozenset({429, 500})
    assert 'clock' not in repr(policy)


@pytest.mark.parametrize('value', ['yes', None, 1, RetryPolicy])
def test_retry_must_be_a_policy_or_a_bool(value):
    with pytest.raises(errors.ValidationError, match='^retry must be a '
                                                     'RetryPolicy, True or '
                                                     'False'):
        sbg.Api(url=BASE, token=TOKEN, retry=value)


@pytest.mark.parametrize('arguments,message', [
    ({'budget': -1}, 'budget must be a number of seconds'),
    ({'budget': '300'}, 'budget must be a number of seconds'),
    ({'base_delay': None}, 'base_delay must be a number of seconds'),
    ({'max_delay': float('nan')}, 'max_delay must be a number of seconds'),
    ({'max_attempts': 0}, 'max_attempts must be a number of requests'),
    ({'max_attempts': 2.5}, 'max_attempts must be a number of requests'),
    ({'connect_attempts': 0}, 'connect_attempts must be a number of requests'),
    ({'connect_attempts': True},
     'connect_attempts must be a number of requests'),
    ({'connect_budget': -1}, 'connect_budget must be a number of seconds'),
    ({'statuses': [200]}, 'statuses must be HTTP error statuses'),
    ({'statuses': '429'}, 'statuses must be HTTP error statuses'),
    ({'pacing': 'yes'}, 'pacing must be True or False'),
    ({'clock': object()}, 'clock must have time'),
])
def test_bad_policies_are_refused(arguments, message):
    with pytest.raises(errors.ValidationError, match=f'^{message}'):
        RetryPolicy(**arguments)


# -- what is retried, for which methods ---------------------------------------

def test_a_successful_call_is_one_request(clock, mocked):
    api = make_api(clock)
    mocked.post(URL, json={'id': 'u/p'}, status=201)
    assert api.post('/projects', data={'name': 'p'}).json() == {'id': 'u/p'}
    assert len(mocked.calls) == 1 and clock.sleeps == []


def test_429_waits_for_retry_after(clock, mocked):
    api = make_api(clock)
    mocked.post(URL, status=429, json={}, headers={'Retry-After': '7'})
    mocked.post(URL, json={'id': 'u/p'})
    assert api.post('/projects', data={'name': 'p'}).json() == {'id': 'u/p'}
    assert clock.sleeps == [7.0]
    assert [body_of(call.request) for call in mocked.calls] == \
        [{'name': 'p'}, {'name': 'p'}]


def test_429_waits_for_the_reset_without_retry_after(clock, mocked):
    api = make_api(clock)
    reset = str(int(clock.now) + 42)
    mocked.get(URL, status=429, json={}, headers={'X-RateLimit-Reset': reset})
    mocked.get(URL, json={})
    api.get('/projects')
    assert clock.sleeps == [pytest.approx(42.1)]


def test_429_reset_of_a_server_clock_far_off_ours(clock, mocked):
    from email.utils import formatdate
    api = make_api(clock)
    behind = clock.now - 7200      # the server's clock is two hours behind
    mocked.get(URL, status=429, json={}, headers={
        'X-RateLimit-Reset': str(int(behind) + 42),
        'Date': formatdate(behind, usegmt=True)})
    mocked.get(URL, json={})
    api.get('/projects')
    assert clock.sleeps == [pytest.approx(42.1)]


def test_429_backs_off_without_any_hint(clock, mocked, longest_backoffs):
    api = make_api(clock)
    mocked.get(URL, status=429, json={})
    mocked.get(URL, status=429, json={},
               headers={'X-RateLimit-Reset': str(int(clock.now) - 5)})
    mocked.get(URL, json={})
    api.get('/projects')
    assert clock.sleeps == [0.5, 1.0]


def test_retry_after_as_a_date(clock, mocked):
    api = make_api(clock)
    clock.now = 1_700_000_000.0
    mocked.get(URL, status=503, json=MAINTENANCE,
               headers={'Retry-After': 'Tue, 14 Nov 2023 22:13:40 GMT'})
    mocked.get(URL, json={})
    api.get('/projects')
    assert clock.sleeps == [20.0]


def test_maintenance_is_retried_for_every_method(clock, mocked):
    api = make_api(clock)
    mocked.post(URL, status=503, json=MAINTENANCE,
                headers={'Retry-After': '3'})
    mocked.post(URL, json={'id': 'u/p'})
    assert api.post('/projects', data={}).json() == {'id': 'u/p'}
    assert clock.sleeps == [3.0]


@pytest.mark.parametrize('status,body', [
    (502, '<html><title>502 Bad Gateway</title></html>'),
    (503, '{"status": 503, "code": 1, "message": "down"}'),
    (504, '<html><title>504 Gateway Time-out</title></html>'),
])
@pytest.mark.parametrize('method', ['GET', 'PUT', 'PATCH', 'DELETE'])
def test_gateway_errors_are_retried_for_idempotent_methods(
        clock, mocked, status, body, method, longest_backoffs):
    api = make_api(clock)
    mocked.add(method, URL, status=status, body=body)
    mocked.add(method, URL, json={'ok': True})
    assert getattr(api, method.lower())('/projects').json() == {'ok': True}
    assert clock.sleeps == [0.5]
    assert [call.request.method for call in mocked.calls] == [method] * 2


@pytest.mark.parametrize('status,error_class', [
    (502, errors.BadGateway), (503, errors.ServiceUnavailable),
    (504, errors.GatewayTimeout)])
def test_gateway_errors_after_a_post_are_not_retried(clock, mocked, status,
                                                     error_class):
    api = make_api(clock)
    mocked.post(URL, status=status, json={'message': 'gateway'})
    mocked.post(URL, json={'id': 'u/p'})
    with pytest.raises(error_class):
        api.post('/projects', data={'name': 'p'})
    assert len(mocked.calls) == 1 and clock.sleeps == []


@pytest.mark.parametrize('status', [400, 401, 403, 404, 409, 500])
def test_other_errors_are_not_retried(clock, mocked, status):
    api = make_api(clock)
    mocked.get(URL, status=status, json={})
    with pytest.raises(errors.ERROR_BY_STATUS[status]):
        api.get('/projects')
    assert len(mocked.calls) == 1 and clock.sleeps == []


def test_the_statuses_are_the_policys(clock, mocked):
    api = make_api(clock, statuses=[500])
    mocked.get(URL, status=500, json={})
    mocked.get(URL, status=502, json={})
    with pytest.raises(errors.BadGateway):
        api.get('/projects')
    assert len(mocked.calls) == 2


# -- connections --------------------------------------------------------------

@pytest.mark.parametrize('method', ['GET', 'POST'])
def test_a_refused_connection_is_retried_for_every_method(clock, mocked,
                                                          method):
    api = make_api(clock)
    mocked.add(method, URL, body=refused())
    mocked.add(method, URL, body=requests.ConnectTimeout('slow'))
    mocked.add(method, URL, json={'ok': True})
    assert getattr(api, method.lower())('/projects').json() == {'ok': True}
    assert len(mocked.calls) == 3 and len(clock.sleeps) == 2


@pytest.mark.parametrize('failure', [
    dropped, lambda: requests.ReadTimeout('no answer'),
    lambda: requests.exceptions.ChunkedEncodingError('cut short')])
def test_a_failure_mid_request_is_retried_for_idempotent_methods(
        clock, mocked, failure):
    api = make_api(clock)
    mocked.delete(URL, body=failure())
    mocked.delete(URL, status=204)
    assert api.delete('/projects') is None
    assert len(mocked.calls) == 2


@pytest.mark.parametrize('failure', [
    dropped, lambda: requests.ReadTimeout('no answer')])
def test_a_failure_mid_request_is_not_retried_after_a_post(clock, mocked,
                                                           failure):
    api = make_api(clock)
    mocked.post(URL, body=failure())
    mocked.post(URL, json={'id': 'u/p'})
    with pytest.raises(errors.SbgError) as info:
        api.post('/projects', data={'name': 'p'})
    assert type(info.value) is errors.SbgError
    assert len(mocked.calls) == 1 and clock.sleeps == []


@pytest.mark.parametrize('failure', [
    lambda: requests.ConnectionError('refused'),    # cause unknown
    lambda: requests.exceptions.SSLError('CERTIFICATE_VERIFY_FAILED'),
    lambda: requests.exceptions.ProxyError('proxy says no'),
    lambda: requests.exceptions.InvalidURL('bad')])
def test_failures_that_another_try_would_not_mend(clock, mocked, failure):
    api = make_api(clock)
    mocked.get(URL, body=failure())
    with pytest.raises(errors.SbgError):
        api.get('/projects')
    assert len(mocked.calls) == 1 and clock.sleeps == []


# -- connections that cannot be made: a wrong URL fails fast -----------------

def connect_message(url, what, tries, seconds):
    return (f'Cannot connect to {url}: {what} ({tries} attempts in '
            f'{seconds:.1f} s). Check the API URL (Api(url=...), '
            f'SB_API_ENDPOINT or the api_endpoint of the profile).')


@pytest.mark.parametrize('failure,what', [
    (refused, 'connection refused'),
    (unresolved, 'host name not resolved'),
    (unreachable, 'no connection (Network is unreachable)'),
    (lambda: requests.ConnectTimeout('slow'), 'connection timed out')])
def test_a_connection_that_cannot_be_made_fails_after_three_attempts(
        clock, mocked, failure, what, longest_backoffs):
    api = make_api(clock)
    mocked.get(URL, body=failure())
    with pytest.raises(errors.SbgError) as info:
        api.get('/projects')
    assert len(mocked.calls) == 3 and clock.sleeps == [0.5, 1.0]
    # The class users catch (SbgError, from requests' ConnectionError) with
    # a message that names the URL.
    assert type(info.value) is errors.SbgError
    assert info.value.message == connect_message(URL, what, 3, 1.5)
    cause = info.value.__cause__
    assert isinstance(cause, requests.ConnectionError)
    assert str(cause) == info.value.message
    assert isinstance(cause.__cause__, type(failure()))


def test_connection_failures_are_retried_for_posts_too(clock, mocked):
    api = make_api(clock)
    mocked.post(URL, body=refused())
    with pytest.raises(errors.SbgError, match='^Cannot connect to '):
        api.post('/projects', data={'name': 'p'})
    assert [call.request.method for call in mocked.calls] == ['POST'] * 3


def test_connection_failures_have_a_budget_of_their_own(clock, mocked):
    api = make_api(clock)

    def slow_timeout(request):
        clock.now += 6      # each connect attempt takes 6 s to time out
        raise requests.ConnectTimeout('slow')

    mocked.add_callback('GET', URL, callback=slow_timeout)
    with pytest.raises(errors.SbgError) as info:
        api.get('/projects')
    # The second attempt ends 12 s after the first began: past 10 s.
    assert len(mocked.calls) == 2 and len(clock.sleeps) == 1
    assert info.value.message.startswith(
        f'Cannot connect to {URL}: connection timed out (2 attempts in ')


def test_the_connect_budget_starts_at_the_first_failed_connection(
        clock, mocked, longest_backoffs):
    api = make_api(clock)
    mocked.get(URL, status=429, json={}, headers={'Retry-After': '60'})
    mocked.get(URL, body=refused())
    mocked.get(URL, body=refused())
    mocked.get(URL, json={'ok': True})
    assert api.get('/projects').json() == {'ok': True}
    # ... and its back-offs start short again.
    assert clock.sleeps == [60.0, 0.5, 1.0]


@pytest.mark.parametrize('retry_count,requests_sent', [
    (1, 2), (2, 3), (10, 3), (0, 3), (None, 3)])
def test_retry_count_bounds_the_connection_retries(clock, mocked, retry_count,
                                                   requests_sent):
    api = sbg.Api(url=BASE, token=TOKEN, retry_count=retry_count,
                  retry=RetryPolicy(clock=clock))
    mocked.get(URL, body=refused())
    with pytest.raises(errors.SbgError, match=f'connection refused '
                                              f'\\({requests_sent} attempts'):
        api.get('/projects')
    assert len(mocked.calls) == requests_sent


def test_a_policy_may_try_connections_longer(clock, mocked, longest_backoffs):
    api = make_api(clock, connect_attempts=None, connect_budget=None)
    mocked.get(URL, body=refused())
    with pytest.raises(errors.SbgError, match='connection refused '
                                              '\\(7 attempts'):
        api.get('/projects')
    # Api's retry_count (6 retries) is still the bound.
    assert len(mocked.calls) == 7
    assert clock.sleeps == [0.5, 1, 2, 4, 8, 16]


def test_a_single_attempt_says_so(clock, mocked):
    api = make_api(clock, connect_attempts=1)
    mocked.get(URL, body=refused())
    with pytest.raises(errors.SbgError) as info:
        api.get('/projects')
    assert info.value.message.startswith(
        f'Cannot connect to {URL}: connection refused (1 attempt in 0.0 s).')


def test_a_storage_url_in_a_message_has_no_signature(clock, mocked):
    api = make_api(clock)
    signed = 'https://user:pw@storage.test:8443/file?X-Signature=secret'
    mocked.get(signed, body=refused())
    with pytest.raises(errors.SbgError) as info:
        api.get(signed, append_base=False, stream=True)
    assert info.value.message == ('Cannot connect to '
                                  'https://storage.test:8443/file: '
                                  'connection refused (3 attempts in '
                                  f'{sum(clock.sleeps):.1f} s).')


def test_without_a_policy_connection_errors_are_the_references(mocked):
    api = sbg.Api(url=BASE, token=TOKEN, retry=False)
    mocked.get(URL, body=refused())
    with pytest.raises(errors.SbgError) as info:
        api.get('/projects')
    assert len(mocked.calls) == 1
    assert info.value.message == str(info.value.__cause__)
    assert not info.value.message.startswith('Cannot connect')


# -- giving up ----------------------------------------------------------------

def test_the_budget_ends_the_retries(clock, mocked, longest_backoffs):
    api = make_api(clock, budget=60)
    mocked.get(URL, status=502, body='<html><title>502 Bad Gateway</title>')
    with pytest.raises(errors.BadGateway) as info:
        api.get('/projects')
    # 0.5 + 1 + 2 + 4 + 8 + 16 = 31.5 s; 32 more would pass the budget.
    assert clock.sleeps == [0.5, 1, 2, 4, 8, 16]
    assert len(mocked.calls) == 7
    assert (info.value.status, info.value.message) == (502,
                                                       '502 Bad Gateway')


def test_a_wait_past_the_budget_gives_up_at_once(clock, mocked):
    api = make_api(clock, budget=60)
    mocked.get(URL, status=429, json={'message': 'Slow down.'},
               headers={'Retry-After': '3600'})
    with pytest.raises(errors.TooManyRequests, match='Slow down'):
        api.get('/projects')
    assert len(mocked.calls) == 1 and clock.sleeps == []


def test_back_offs_are_capped(clock, mocked, longest_backoffs):
    api = make_api(clock, budget=None, max_attempts=8, max_delay=5)
    mocked.get(URL, status=504, json={})
    with pytest.raises(errors.GatewayTimeout):
        api.get('/projects')
    assert clock.sleeps == [0.5, 1, 2, 4, 5, 5, 5]
    assert len(mocked.calls) == 8


def test_back_offs_are_jittered():
    policy = RetryPolicy(base_delay=1, max_delay=10)
    waits = [policy.backoff(attempt) for attempt in range(1, 9)
             for _ in range(20)]
    assert all(0 <= wait <= 10 for wait in waits)
    assert len(set(waits)) > 100
    assert all(policy.backoff(2) <= 2 for _ in range(50))


def test_each_wait_is_logged(clock, mocked, caplog):
    caplog.set_level(logging.INFO, logger='sevenbridges.http.retry')
    api = make_api(clock, max_attempts=2)
    mocked.get(URL, status=429, json={}, headers={'Retry-After': '2'})
    with pytest.raises(errors.TooManyRequests):
        api.get('/projects')
    assert [record.getMessage() for record in caplog.records] == [
        'GET /v2/projects: rate limited (429); next try in 2.0 s '
        '(attempt 2)',
        'GET /v2/projects: rate limited (429); giving up after 2 attempts']
    assert all(record.levelno == logging.INFO for record in caplog.records)


def test_a_wait_longer_than_five_seconds_is_a_warning(clock, mocked, caplog):
    caplog.set_level(logging.INFO, logger='sevenbridges.http.retry')
    api = make_api(clock)
    mocked.get(URL, status=429, json={}, headers={'Retry-After': '12'})
    mocked.get(URL, status=503, json=MAINTENANCE,
               headers={'Retry-After': '5'})
    mocked.get(URL, status=503, json=MAINTENANCE,
               headers={'Retry-After': '5.5'})
    mocked.get(URL, json={})
    api.get('/projects')
    assert [(record.levelname, record.getMessage())
            for record in caplog.records] == [
        ('WARNING', 'GET /v2/projects: rate limited (429); next try in 12 s '
                    '(attempt 2)'),
        ('INFO', 'GET /v2/projects: platform under maintenance (503); next '
                 'try in 5.0 s (attempt 3)'),
        ('WARNING', 'GET /v2/projects: platform under maintenance (503); '
                    'next try in 5.5 s (attempt 4)')]
    assert clock.sleeps == [12.0, 5.0, 5.5]


# -- the request path ---------------------------------------------------------

def test_waits_hold_no_slot_of_the_throttle(clock, mocked):
    api = sbg.Api(url=BASE, token=TOKEN, max_parallel_requests=1,
                  retry=RetryPolicy(clock=clock))
    free_slots = []
    sleep = clock.sleep
    clock.sleep = lambda seconds: free_slots.append(
        api._throttle_limit._value) or sleep(seconds)
    mocked.get(URL, status=429, json={}, headers={'Retry-After': '1'})
    mocked.get(URL, json={})
    api.get('/projects')
    assert free_slots == [1]


def test_handlers_see_every_answer(clock, mocked):
    api = make_api(clock)
    seen = []
    api.add_error_handler(lambda api_, response: seen.append(
        response.status_code) or response)
    mocked.get(URL, status=429, json={}, headers={'Retry-After': '0'})
    mocked.get(URL, json={})
    api.get('/projects')
    assert seen == [429, 200]


def test_stream_requests_are_retried(clock, mocked):
    api = make_api(clock)
    mocked.get('https://storage.test/file', status=503, body='busy',
               headers={'Retry-After': '1'})
    mocked.get('https://storage.test/file', body=b'bytes')
    response = api.get('https://storage.test/file', append_base=False,
                       stream=True)
    assert response.content == b'bytes' and clock.sleeps == [1.0]


def test_the_rate_limit_bookkeeping_follows_the_last_answer(clock, mocked):
    api = make_api(clock)
    mocked.get(URL, status=429, json={}, headers={
        'Retry-After': '0', 'X-Request-Id': 'first'})
    mocked.get(URL, json={}, headers={'X-Request-Id': 'second'})
    api.get('/projects')
    assert api.request_id == 'second'
