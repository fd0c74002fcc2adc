"""The bundled error handlers: they sleep (patched here) and re-send.

The handlers' own behaviour is pinned on clients without a retry policy
(``retry=False``, as in the reference); how they step aside for the policy
is pinned in ``test_retry_handlers.py``."""
from unittest import mock

import pytest

import sevenbridges as sbg
from sevenbridges import errors
from sevenbridges.http import error_handlers
from sevenbridges.http.error_handlers import (
    general_error_sleeper,
    maintenance_sleeper,
    rate_limit_sleeper,
    repeatable_handler,
)
from tests.conftest import BASE, TOKEN


@pytest.fixture
def sleep():
    with mock.patch.object(error_handlers.time, 'sleep') as patched:
        yield patched


def make_api(*handlers):
    api = sbg.Api(url=BASE, token=TOKEN, retry=False)
    api.error_handlers = list(handlers)
    return api


def test_bundled_handlers_are_repeatable():
    for handler in (rate_limit_sleeper, maintenance_sleeper,
                    general_error_sleeper):
        assert handler.is_repeatable is True

    def custom(api, response):
        return response

    assert repeatable_handler(custom) is custom
    assert custom.is_repeatable is True


def test_rate_limit_sleeper_waits_for_the_reset(mocked, sleep):
    api = make_api(rate_limit_sleeper)
    with mock.patch.object(error_handlers.time, 'time', return_value=1000.0):
        mocked.get(BASE + '/x', status=429, json={},
                   headers={'X-RateLimit-Reset': '1005'})
        mocked.get(BASE + '/x', status=429, json={},
                   headers={'X-RateLimit-Reset': '990'})
        mocked.get(BASE + '/x', json={'ok': True})
        assert api.get('/x').json() == {'ok': True}
    assert sleep.call_args_list == [mock.call(5), mock.call(0)]
    assert len(mocked.calls) == 3


def test_rate_limit_sleeper_without_reset_header(mocked, sleep):
    api = make_api(rate_limit_sleeper)
    mocked.get(BASE + '/x', status=429, json={})
    mocked.get(BASE + '/x', json={'ok': True})
    assert api.get('/x').json() == {'ok': True}
    sleep.assert_called_once_with(1)


def test_rate_limit_sleeper_accepts_fractional_reset(mocked, sleep):
    api = make_api(rate_limit_sleeper)
    with mock.patch.object(error_handlers.time, 'time', return_value=1000.0):
        mocked.get(BASE + '/x', status=429, json={},
                   headers={'X-RateLimit-Reset': '1003.7'})
        mocked.get(BASE + '/x', json={})
        api.get('/x')
    sleep.assert_called_once_with(3)


def test_maintenance_sleeper_waits_while_in_maintenance(mocked, sleep):
    api = make_api(maintenance_sleeper)
    mocked.get(BASE + '/x', status=503, json={'code': 0})
    mocked.get(BASE + '/x', status=503, json={'code': 0})
    mocked.get(BASE + '/x', json={'ok': True})
    assert api.get('/x').json() == {'ok': True}
    assert sleep.call_args_list == [mock.call(300), mock.call(300)]


def test_maintenance_sleeper_custom_sleep(mocked, sleep):
    mocked.get(BASE + '/x', status=503, json={'code': 0})
    mocked.get(BASE + '/x', json={})
    api = make_api(lambda a, r: maintenance_sleeper(a, r, sleep=7))
    api.get('/x')
    sleep.assert_called_once_with(7)


@pytest.mark.parametrize('body', [{'code': 1}, {'message': 'x'}])
def test_maintenance_sleeper_ignores_other_503(mocked, sleep, body):
    api = make_api(maintenance_sleeper)
    mocked.get(BASE + '/x', status=503, json=body)
    with pytest.raises(errors.ServiceUnavailable):
        api.get('/x')
    sleep.assert_not_called()


def test_maintenance_sleeper_with_non_json_body(mocked, sleep):
    api = make_api(maintenance_sleeper)
    mocked.get(BASE + '/x', status=503, body='<html>down</html>')
    with pytest.raises(errors.NonJSONResponseError) as info:
        api.get('/x')
    assert info.value.status == 503
    sleep.assert_not_called()


def test_general_error_sleeper_retries_server_errors(mocked, sleep):
    api = make_api(general_error_sleeper)
    mocked.get(BASE + '/x', status=500, json={})
    mocked.get(BASE + '/x', status=502, json={})
    mocked.get(BASE + '/x', json={'ok': True})
    assert api.get('/x').json() == {'ok': True}
    assert sleep.call_args_list == [mock.call(300), mock.call(300)]


def test_general_error_sleeper_leaves_client_errors(mocked, sleep):
    api = make_api(general_error_sleeper)
    mocked.get(BASE + '/x', status=404, json={})
    with pytest.raises(errors.NotFound):
        api.get('/x')
    sleep.assert_not_called()


def test_default_client_survives_maintenance(mocked, sleep):
    api = sbg.Api(url=BASE, token=TOKEN, retry=False)
    mocked.get(BASE + '/x', status=503, json={'code': 0})
    mocked.get(BASE + '/x', json={'ok': 1})
    assert api.get('/x').json() == {'ok': 1}
    sleep.assert_called_once_with(300)


def test_resend_goes_through_the_current_session(mocked, sleep):
    api = make_api(general_error_sleeper)
    mocked.get(BASE + '/x', status=500, json={})
    replacement = mock.Mock()
    replacement.send.return_value = mock.Mock(status_code=200, headers={})

    def swap_session(seconds):
        api._session = replacement

    sleep.side_effect = swap_session
    assert api.get('/x') is replacement.send.return_value
    replacement.send.assert_called_once_with(mocked.calls[0].request)
