"""The bundled error handlers under the retry policy: they leave to the
policy what it retries, so that a call never waits twice."""
from unittest import mock

import pytest

import sevenbridges as sbg
from sevenbridges import errors
from sevenbridges.http import error_handlers
from sevenbridges.http.error_handlers import (
    general_error_sleeper,
    maintenance_sleeper,
    rate_limit_sleeper,
)
from sevenbridges.http.retry import RetryPolicy
from tests.conftest import BASE, TOKEN
from tests.unit.test_retry import MAINTENANCE

URL = BASE + '/projects'
SLEEPERS = [rate_limit_sleeper, maintenance_sleeper, general_error_sleeper]


@pytest.fixture
def handler_sleep():
    """The sleeps of the bundled handlers (never slept for real)."""
    with mock.patch.object(error_handlers.time, 'sleep') as patched:
        yield patched


def make_api(clock, **policy):
    return sbg.Api(url=BASE, token=TOKEN, error_handlers=list(SLEEPERS),
                   retry=RetryPolicy(clock=clock, **policy))


def test_a_429_is_waited_for_once(clock, mocked, handler_sleep):
    api = make_api(clock)
    mocked.get(URL, status=429, json={}, headers={'Retry-After': '4'})
    mocked.get(URL, json={'ok': 1})
    assert api.get('/projects').json() == {'ok': 1}
    assert clock.sleeps == [4.0]
    handler_sleep.assert_not_called()
    assert len(mocked.calls) == 2


def test_the_default_client_waits_out_maintenance_with_the_policy(
        clock, mocked, handler_sleep):
    api = sbg.Api(url=BASE, token=TOKEN, retry=RetryPolicy(clock=clock))
    assert api.error_handlers == [maintenance_sleeper]
    mocked.post(URL, status=503, json=MAINTENANCE,
                headers={'Retry-After': '60'})
    mocked.post(URL, json={'id': 'u/p'})
    assert api.post('/projects', data={}).json() == {'id': 'u/p'}
    assert clock.sleeps == [60.0]
    handler_sleep.assert_not_called()


def test_gateway_errors_of_idempotent_calls_are_the_policys(
        clock, mocked, handler_sleep):
    api = make_api(clock)
    mocked.put(URL, status=502, body='<html>Bad gateway</html>',
               headers={'Retry-After': '2'})
    mocked.put(URL, json={})
    api.put('/projects', data={})
    assert clock.sleeps == [2.0]
    handler_sleep.assert_not_called()


@pytest.mark.parametrize('method,status', [('POST', 502), ('GET', 500)])
def test_the_sleepers_wait_out_what_the_policy_leaves(
        clock, mocked, handler_sleep, method, status):
    api = make_api(clock)
    mocked.add(method, URL, status=status, json={})
    mocked.add(method, URL, json={'ok': 1})
    assert api._request(method, '/projects', append_base=True).json() == \
        {'ok': 1}
    handler_sleep.assert_called_once_with(300)
    assert clock.sleeps == []


def test_the_sleepers_do_not_outlast_the_budget(clock, mocked,
                                                handler_sleep):
    api = make_api(clock, budget=120)
    mocked.get(URL, status=503, json=MAINTENANCE,
               headers={'Retry-After': '50'})
    with pytest.raises(errors.ServiceUnavailable):
        api.get('/projects')
    assert clock.sleeps == [50.0, 50.0]
    handler_sleep.assert_not_called()
    assert len(mocked.calls) == 3


def test_without_a_policy_the_sleepers_work_as_in_the_reference(
        mocked, handler_sleep):
    api = sbg.Api(url=BASE, token=TOKEN, retry=False,
                  error_handlers=[rate_limit_sleeper])
    mocked.get(URL, status=429, json={}, headers={'Retry-After': '4'})
    mocked.get(URL, status=503, json=MAINTENANCE)
    mocked.get(URL, json={'ok': 1})
    assert api.get('/projects').json() == {'ok': 1}
    assert handler_sleep.call_args_list == [mock.call(4), mock.call(300)]


@pytest.mark.parametrize('sleeper, status, body, slept', [
    (rate_limit_sleeper, 429, {}, 4),
    (maintenance_sleeper, 503, MAINTENANCE, 300),
    (general_error_sleeper, 502, {}, 300),
])
def test_a_sleeper_called_directly_sleeps_and_resends_under_a_policy(
        clock, mocked, handler_sleep, sleeper, status, body, slept):
    """Scripts call the sleepers as functions: with the policy on, a direct
    call still waits and sends the request again, as the reference does."""
    api = make_api(clock)
    mocked.get(URL, status=status, json=body, headers={'Retry-After': '4'})
    mocked.get(URL, json={'ok': 1})
    first = api.session.get(URL)
    answer = sleeper(api, first)
    assert answer.status_code == 200 and answer.json() == {'ok': 1}
    assert handler_sleep.call_args_list == [mock.call(slept)]
    assert clock.sleeps == []
    assert [call.request.url for call in mocked.calls] == [URL, URL]
