"""The storage listener's network profile: a bandwidth cap per connection,
a first-byte latency per request and an optional cap on all connections
together, so that loopback behaves like cloud object storage.

Pacing follows a schedule: the bytes of one answer (or of one request
body) move in slices of about 10 ms worth, each slice no earlier than the
rate allows after the previous one (time left unused is made up for, 20 ms
at most), so a transfer averages the cap without bursting above it. The
aggregate cap is one such schedule that all connections share.
"""
import threading
import time

from sevenbridges.emulator.state.common import MIB

#: How much time one paced slice stands for.
SLICE_SECONDS = 0.01
MIN_SLICE = 64 * 1024
MAX_SLICE = 4 * MIB
#: How much unused time a schedule may make up for.
CREDIT_SECONDS = 0.02


def _number(name, value, minimum, inclusive):
    """``value`` as a float, or ``None``; a clear error otherwise."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f'{name} must be a number, not {value!r}.')
    too_small = value < minimum if inclusive else value <= minimum
    if too_small or value != value or value == float('inf'):
        bound = 'at least' if inclusive else 'more than'
        raise ValueError(f'{name} must be a finite number {bound} '
                         f'{minimum:g}, not {value!r}.')
    return float(value)


class StorageProfile:
    """How the storage listener's network behaves.

    :param rate: MiB/s per connection (``None``: no cap).
    :param latency: milliseconds each request waits before its body is read
        and its answer starts (``None`` or 0: none).
    :param aggregate_rate: MiB/s of all connections together (``None``: no
        cap).
    :raises TypeError: a setting that is not a number.
    :raises ValueError: a rate that is not positive, a negative latency.
    """

    def __init__(self, rate=None, latency=None, aggregate_rate=None):
        self.rate = _number('storage_rate', rate, 0, False)
        self.latency = _number('storage_latency', latency, 0, True) or 0.0
        self.aggregate_rate = _number('storage_aggregate_rate',
                                      aggregate_rate, 0, False)
        self._aggregate = (Schedule(self.aggregate_rate * MIB)
                           if self.aggregate_rate else None)

    def as_dict(self):
        """The settings, as the command line's ready line reports them."""
        return {'rate_mib_s': self.rate, 'latency_ms': self.latency,
                'aggregate_rate_mib_s': self.aggregate_rate}

    def __repr__(self):
        return f'StorageProfile({self.as_dict()})'

    def wait_first_byte(self):
        """Sleep the first-byte latency."""
        if self.latency:
            time.sleep(self.latency / 1000)

    def slicer(self):
        """The :class:`BandwidthSlicer` of one request's body or
        answer."""
        return BandwidthSlicer(self.rate * MIB if self.rate else None,
                               self._aggregate)


class BandwidthSlicer:
    """Paces the bytes of one transfer: call :meth:`wait` before moving
    each slice of at most :attr:`slice` bytes (``None``: no pacing, any
    size)."""

    def __init__(self, rate=None, aggregate=None):
        self._own = Schedule(rate) if rate else None
        self._aggregate = aggregate
        rates = [r for r in (rate, aggregate and aggregate.rate) if r]
        self.slice = (max(MIN_SLICE, min(MAX_SLICE, int(
            min(rates) * SLICE_SECONDS))) if rates else None)

    def wait(self, count):
        """Sleep until ``count`` more bytes may move."""
        if self._own is not None:
            self._own.wait(count)
        if self._aggregate is not None:
            self._aggregate.wait(count)


class Schedule:
    """Bytes at ``rate`` per second: each slice takes the next free moment
    of the schedule (shared by threads, if need be). Time not used (a slow
    peer, a late wake-up) is credited for at most :data:`CREDIT_SECONDS`,
    so the average holds without bursts above the rate."""

    def __init__(self, rate):
        self.rate = rate
        self._next = float('-inf')
        self._lock = threading.Lock()

    def wait(self, count):
        with self._lock:
            now = time.monotonic()
            start = max(self._next, now - CREDIT_SECONDS)
            self._next = start + count / self.rate
        if start > now:
            time.sleep(start - now)
