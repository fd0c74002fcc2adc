"""The storage network profile's pacing, on a fake clock."""
import pytest

from sevenbridges.emulator.http import network
from sevenbridges.emulator.http.network import MIB, StorageProfile
from tests.conftest import VirtualClock


@pytest.fixture
def clock(monkeypatch):
    fake = VirtualClock(start=100.0, ndigits=6)  # stands for time
    monkeypatch.setattr(network, 'time', fake)
    return fake


def test_a_connection_holds_its_rate_with_a_short_credit(clock):
    slicer = StorageProfile(rate=1).slicer()
    assert slicer.slice == 64 * 1024  # 10 ms of 1 MiB/s is below the floor
    for _ in range(4):
        slicer.wait(MIB // 4)
    # The first slice goes at once, 20 ms early on the schedule.
    assert clock.sleeps == [0.23, 0.25, 0.25]
    clock.now += 2  # a slow peer: its idle time is not saved up
    slicer.wait(MIB)
    slicer.wait(MIB)
    assert clock.sleeps == [0.23, 0.25, 0.25, 0.98]


def test_slices_are_ten_milliseconds_of_the_lowest_rate():
    assert StorageProfile(rate=64).slicer().slice == int(64 * MIB * 0.01)
    assert StorageProfile(rate=64, aggregate_rate=32).slicer().slice == \
        int(32 * MIB * 0.01)
    assert StorageProfile(rate=10_000).slicer().slice == 4 * MIB
    assert StorageProfile().slicer().slice is None


def test_the_aggregate_rate_is_shared_by_all_connections(clock):
    profile = StorageProfile(aggregate_rate=2)
    first, second = profile.slicer(), profile.slicer()
    first.wait(MIB)
    second.wait(MIB)
    first.wait(MIB)
    assert clock.sleeps == [0.48, 0.5]


def test_latency_sleeps_once_per_call(clock):
    StorageProfile(latency=25).wait_first_byte()
    StorageProfile().wait_first_byte()
    assert clock.sleeps == [0.025]


def test_no_profile_never_sleeps(clock):
    slicer = StorageProfile().slicer()
    slicer.wait(10 * MIB)
    assert clock.sleeps == []
