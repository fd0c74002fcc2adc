"""The attempts of a transfer's part: the back-off of API calls
(``full_jitter``), slept on the transfer's clock."""
import types

import pytest

from sevenbridges.errors import SbgError
from sevenbridges.http import retry as retry_module
from sevenbridges.transfer import retries
from tests.conftest import VirtualClock


@pytest.fixture
def clock(monkeypatch):
    clock = VirtualClock()
    monkeypatch.setattr(retries, 'clock', clock)
    monkeypatch.setattr(retry_module, 'random',
                        types.SimpleNamespace(uniform=lambda low, high: high))
    return clock


def failing(times, error=None):
    error = error or OSError('reset')
    calls = []

    def attempt():
        calls.append(len(calls) + 1)
        if len(calls) <= times:
            raise error
        return 'done'

    return attempt, calls


def test_parts_back_off_like_api_calls(clock):
    attempt, calls = failing(8)
    assert retries.with_retries(attempt, 9, OSError, 'Part 1') == 'done'
    assert calls == list(range(1, 10))
    assert clock.sleeps == [0.5, 1, 2, 4, 8, 16, 30, 30]


def test_the_last_error_ends_the_attempts(clock):
    attempt, calls = failing(5)
    with pytest.raises(SbgError) as info:
        retries.with_retries(attempt, 3, OSError, 'Part 2')
    assert info.value.message == 'Part 2 after 3 attempts: reset'
    assert (calls, clock.sleeps) == ([1, 2, 3], [0.5, 1])
    attempt, _ = failing(5, SbgError('no size'))
    with pytest.raises(SbgError, match='^no size$'):
        retries.with_retries(attempt, 2, SbgError, 'Probe', raise_last=True)


def test_fatal_errors_and_stops_end_at_once(clock):
    attempt, calls = failing(5, ValueError('changed'))
    with pytest.raises(ValueError):
        retries.with_retries(attempt, 3, Exception, 'Part', fatal=ValueError)
    assert (calls, clock.sleeps) == ([1], [])
    attempt, calls = failing(1)
    assert retries.with_retries(attempt, 3, OSError, 'Part',
                                stopped=lambda: bool(calls)) is None
    assert calls == [1]
