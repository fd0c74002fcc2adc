"""Parts in flight follow what the transfer sees, bounded by the pool."""

import pytest

import sevenbridges as sbg
from sevenbridges.transfer import _window, scheduling
from sevenbridges.transfer._window import PartWindow
from tests.transfer.conftest import MIB


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def run(window, clock, rates, steps=6, burst=0):
    """Feed ``window`` one sample per step (bytes per second at its current
    size: ``rates(size)``, and ``burst`` bytes more in the first sample);
    the sizes it chooses, in order."""
    step = 2 * _window.SAMPLE_SECONDS
    sizes = [window.adjust()]               # the first call starts the clock
    for _ in range(steps):
        clock.now += step
        window.moved(int(rates(window.size) * step)
                     + (burst if len(sizes) == 1 else 0))
        sizes.append(window.adjust())
    return sizes


def test_parts_double_while_the_throughput_grows_with_them():
    clock = Clock()
    window = PartWindow(64, clock=clock)
    assert window.wait_seconds() == _window.SAMPLE_SECONDS
    sizes = run(window, clock, lambda size: size * 64 * MIB)  # per-part cap
    assert sizes == [8, 16, 32, 64, 64, 64, 64]
    assert window.wait_seconds() is None                       # final


def test_parts_stop_growing_when_the_throughput_does_not():
    clock = Clock()
    window = PartWindow(64, clock=clock)
    sizes = run(window, clock, lambda size: 500 * MIB)         # shared cap
    assert sizes == [8, 16, 16, 16, 16, 16, 16]
    assert window.wait_seconds() is None


def test_parts_go_back_when_more_made_it_slower():
    clock = Clock()
    window = PartWindow(64, clock=clock)
    sizes = run(window, clock, lambda size: 800 * MIB / size)  # contention
    assert sizes == [8, 16, 8, 8, 8, 8, 8]


@pytest.mark.parametrize('settle,sizes', [
    (True, [8, 8, 16, 32, 32, 32]),   # uploads: the burst is not measured
    (False, [8, 16, 8, 8, 8, 8]),     # taken for a rate, it undoes growth
])
def test_an_uploads_first_burst_is_not_taken_for_its_rate(settle, sizes):
    # An upload's first bytes fill socket buffers at once.
    clock = Clock()
    window = PartWindow(32, clock=clock, settle=settle)
    assert run(window, clock, lambda size: size * 64 * MIB, steps=5,
               burst=2000 * MIB) == sizes


def test_uploads_settle_and_downloads_do_not(platform, make_file, tmp_path,
                                             monkeypatch):
    made = []

    def recording(pool, parts, settle=False):
        made.append((parts, settle))
        return PartWindow(pool._max_workers, settle=settle, parts=parts)

    monkeypatch.setattr(scheduling, 'part_window', recording)
    client = sbg.Api(url=platform.url, token=platform.token)
    uploaded = client.files.upload(str(make_file(1000)),
                                   project='u/p').result()
    uploaded.download(str(tmp_path / 'copy.bin'))
    assert made == [(1, True), (1, False)]


def test_no_decision_before_a_full_sample():
    clock = Clock()
    window = PartWindow(16, clock=clock)
    window.adjust()
    clock.now += _window.SAMPLE_SECONDS / 2
    window.moved(10 * MIB)
    assert window.adjust() == 8


@pytest.mark.parametrize('limit,size', [(1, 1), (2, 2), (8, 8), (0, 1)])
def test_the_pool_bounds_the_parts(limit, size):
    window = PartWindow(limit)
    assert window.size == size and window.wait_seconds() is None


@pytest.mark.parametrize('limit,parts,size,most,growing', [
    (16, 16, 16, 16, False), (16, 12, 12, 12, False), (16, 3, 3, 3, False),
    (16, 17, 8, 16, True), (4, 16, 4, 4, False), (16, 0, 8, 16, True),
    (16, None, 8, 16, True)])
def test_parts_that_fit_the_workers_all_start_and_more_ramp(
        limit, parts, size, most, growing):
    window = PartWindow(limit, parts=parts)
    assert (window.size, window.limit) == (size, most)
    assert (window.wait_seconds() is not None) == growing


class Recording(PartWindow):
    """A window of a fixed size that records the bytes reported to it."""
    made = []

    def __init__(self, limit):
        super().__init__(limit)
        self.size, self.total = min(limit, 6), 0
        self._growing = False
        Recording.made.append(self)

    def moved(self, count):
        super().moved(count)
        self.total += count


def test_transfers_keep_the_windows_parts_in_flight_and_report_bytes(
        platform, make_file, tmp_path, monkeypatch):
    monkeypatch.setattr(scheduling, 'part_window',
                        lambda pool, parts, settle=False: Recording(
                            pool._max_workers))
    Recording.made.clear()
    platform.fail('storage', 'PUT', '/parts/', None, times=100, delay=0.1)
    platform.fail('storage', 'GET', '/objects/', None, times=100, delay=0.1)
    client = sbg.Api(url=platform.url, token=platform.token,
                     upload_max_workers=16, download_max_workers=16)
    source = make_file(12 * 5 * MIB + 1)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=5 * MIB).result()
    assert platform.peak_in_flight == 6
    platform.peak_in_flight = 0
    uploaded.download(str(tmp_path / 'out.bin'), chunk_size=5 * MIB)
    assert (tmp_path / 'out.bin').read_bytes() == source.read_bytes()
    assert [window.total for window in Recording.made] == [
        12 * 5 * MIB + 1] * 2
    assert platform.peak_in_flight == 6


@pytest.mark.parametrize('workers', [1, 3])
def test_parts_in_flight_never_exceed_the_workers(platform, make_file,
                                                  tmp_path, workers):
    for method, path in (('PUT', '/parts/'), ('GET', '/objects/')):
        platform.fail('storage', method, path, None, times=100, delay=0.05)
    client = sbg.Api(url=platform.url, token=platform.token,
                     upload_max_workers=workers,
                     download_max_workers=workers)
    source = make_file(8 * 5 * MIB)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=5 * MIB).result()
    uploaded.download(str(tmp_path / 'out.bin'), chunk_size=5 * MIB)
    assert (tmp_path / 'out.bin').read_bytes() == source.read_bytes()
    assert platform.peak_in_flight <= workers
