"""A RetryPolicy is a value: made once, compared and hashed by its
settings (never by its clock), shown by them, copied and pickled whole."""
import copy
import pickle

import pytest

from sevenbridges.http.retry import DEFAULT_STATUSES, Clock, RetryPolicy
from tests.conftest import VirtualClock


def test_defaults_and_repr():
    policy = RetryPolicy()
    assert (policy.budget, policy.max_attempts, policy.base_delay,
            policy.max_delay, policy.statuses, policy.pacing) == (
        300.0, None, 0.5, 30.0, DEFAULT_STATUSES, True)
    assert type(policy.clock) is Clock
    assert repr(RetryPolicy(60, 3, 1, 8, [429], False)) == (
        'RetryPolicy(budget=60, max_attempts=3, base_delay=1, max_delay=8, '
        'statuses=frozenset({429}), pacing=False, connect_attempts=3, '
        'connect_budget=10.0)')


def test_equal_and_hashed_by_settings_not_clock():
    same = RetryPolicy(budget=60, statuses=[503, 429])
    other = RetryPolicy(budget=60, statuses={429, 503}, clock=VirtualClock())
    assert same == other and hash(same) == hash(other)
    assert len({same, other, RetryPolicy()}) == 2
    assert same != RetryPolicy(budget=61, statuses=[503, 429])
    assert same != (60, None, 0.5, 30.0, frozenset({429, 503}), True)


def test_it_never_changes():
    policy = RetryPolicy()
    with pytest.raises(AttributeError, match="cannot assign to field "
                                             "'budget'"):
        policy.budget = 10
    with pytest.raises(AttributeError, match="cannot delete field 'pacing'"):
        del policy.pacing
    assert policy.budget == 300.0 and policy.pacing is True


def test_copies_and_pickles_are_equal():
    policy = RetryPolicy(budget=None, max_attempts=4)
    for twin in (copy.copy(policy), copy.deepcopy(policy),
                 pickle.loads(pickle.dumps(policy))):
        assert twin == policy and twin is not policy
        assert isinstance(twin.clock, Clock)
