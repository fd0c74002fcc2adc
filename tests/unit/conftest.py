"""Fixtures of the unit tests of retries and pacing: a virtual clock that
starts at an epoch second, and back-offs at their ceiling."""
import types

import pytest

from sevenbridges.http import retry as retry_module
from tests.conftest import VirtualClock

#: The virtual clocks' time at first: an epoch second, as
#: ``X-RateLimit-Reset`` headers are.
EPOCH = 1_700_000_000.0


@pytest.fixture
def clock():
    """A virtual clock at :data:`EPOCH` (modules that need another clock
    define their own fixture of this name)."""
    return VirtualClock(EPOCH)


@pytest.fixture
def longest_backoffs(monkeypatch):
    """Back-offs at their ceiling, for exact waits."""
    monkeypatch.setattr(retry_module, 'random',
                        types.SimpleNamespace(uniform=lambda low, high: high))
