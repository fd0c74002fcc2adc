"""How many parts of a transfer are in flight.

Where one connection is capped (cloud storage, typically near 100 MiB/s
and tens of milliseconds to the first byte), more parts in flight make a
transfer faster; where the storage or the machine is the bottleneck
(loopback), more parts only add contention. So a transfer starts with a few
parts and doubles them while the bytes moved per second grow with them (as
TCP's slow start grows its window), up to the pool's workers; when doubling
did not pay, it stops growing, and goes back if it got slower. The first
doubling needs no proof: the first sample is the measure of the others.

An upload's first sample only settles (``settle``): its first bytes fill
socket buffers at once, a burst that says nothing of the steady rate and,
taken for the rate of the first parts, would make the doubling that
follows look like a loss. A download's first sample is measured: waiting
for the first bytes only makes it low, which favours growing.

A transfer whose parts all fit the workers starts them all: there is
nothing to learn before its last part starts, and on capped connections
every part held back by a ramp finishes that much later (a 512 MiB upload
is 16 parts; started 8 then 8, it reaches about 80% of what 16 at once
reach on the cloud profile). On loopback 16 concurrent parts move what 8
do, as long as the machine has free memory for the page cache (with
little, both fall to a quarter). Longer transfers ramp; their first
doubling comes soon (an upload settles for 10 ms, then 50 ms are
measured).
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable

logger = logging.getLogger(__name__)

#: Parts in flight when a transfer starts (the reference keeps 4 to 5; 8
#: reach cloud storage's speed sooner, and cost nothing on loopback).
START = 8

#: Seconds of transfer measured before each decision.
SAMPLE_SECONDS = 0.05

#: Seconds an upload's first sample settles before it is measured.
SETTLE_SECONDS = 0.01

#: Doubling the parts must raise the throughput by at least this share of
#: the doubling (0.25: at least 1.25x) to double again; uploads see their
#: first bytes go into socket buffers at once, so the bar is low.
GAIN = 0.25

#: After a doubling that did not pay, go back when the throughput fell
#: under this share of the one before.
FALLBACK = 0.9


class PartWindow:
    """The number of parts in flight of one transfer (:attr:`size`).

    Workers report bytes as they move them (:meth:`moved`); the scheduler
    calls :meth:`adjust` while it waits, at least every
    :meth:`wait_seconds`.

    :param limit: the most parts in flight (the pool's workers).
    :param clock: seconds, monotonic (tests pass their own).
    :param settle: let the first sample pass unmeasured (uploads).
    :param parts: the transfer's number of parts, when known: never more
        in flight, and all of them at once when they fit ``limit``.
    """

    def __init__(self, limit: int,
                 clock: Callable[[], float] = time.monotonic,
                 settle: bool = False, parts: int | None = None) -> None:
        self.limit = max(1, limit)
        self.size = min(START, self.limit)
        if parts is not None and 0 < parts <= self.limit:
            # All parts fit the workers: all start, nothing to learn.
            self.limit = self.size = parts
        self._clock = clock
        self._lock = threading.Lock()
        self._bytes = 0
        self._growing = self.size < self.limit
        self._mark: tuple[float, int] | None = None
        self._settled = not settle
        self._before: tuple[int, float] | None = None  # (size, rate)

    def moved(self, count: int) -> None:
        """Count ``count`` bytes moved by a worker."""
        with self._lock:
            self._bytes += count

    def wait_seconds(self) -> float | None:
        """How long the scheduler may wait before :meth:`adjust` (``None``:
        the size is final)."""
        if not self._growing:
            return None
        return SAMPLE_SECONDS if self._settled else SETTLE_SECONDS

    def adjust(self) -> int:
        """Decide on the size from the throughput since the last decision;
        the size."""
        if not self._growing:
            return self.size
        now, moved = self._clock(), self._bytes
        if self._mark is None:
            self._mark = (now, moved)
            return self.size
        began, at = self._mark
        if not self._settled:
            if now - began < SETTLE_SECONDS:
                return self.size
            self._settled = True
            self._mark = (now, moved)
            return self.size
        if now - began < SAMPLE_SECONDS:
            return self.size
        rate = (moved - at) / (now - began)
        was = self.size
        if self._before is None or rate >= self._before[1] * (
                1 + GAIN * (self.size - self._before[0]) / self._before[0]):
            self._before = (self.size, rate)
            self.size = min(self.limit, self.size * 2)
            self._growing = self.size > self._before[0]
        else:
            if rate < self._before[1] * FALLBACK:
                self.size = self._before[0]
            self._growing = False
        self._mark = (now, moved)
        logger.debug('%s parts in flight moved %.1f MiB/s: now %s%s', was,
                     rate / 2 ** 20, self.size,
                     '' if self._growing else ' (final)')
        return self.size
