"""Pacing: the requests of one client kept within the platform's rate limit.

Every answer of the API carries ``X-RateLimit-Limit`` (requests per
window), ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (when the
window ends, in seconds since the epoch). A :class:`Pacer`, shared by all
threads of one client, keeps count of what is left of the window:

- while plenty is left, requests go at once;
- when less than a fifth of the window's requests is left, requests are
  spaced out evenly over the time until the reset;
- when nothing is left (or a 429 came back), requests wait for the reset
  (or for ``Retry-After``), then the new window's budget is spent again.

A parallel script so runs at the rate the platform allows instead of
running into a storm of 429 answers. The count is the client's own (each
request taken from it) corrected by what the platform says; requests of
other clients with the same token show up in the platform's numbers.
"""
from __future__ import annotations

import logging
import threading
from typing import Any, Optional

from sevenbridges.http.retry import (
    LONG_WAIT,
    RESET_MARGIN,
    Clock,
    _number,
    rate_limit_reset,
    retry_after,
    seconds_text,
)

logger = logging.getLogger(__name__)

__all__ = ['Pacer']

#: Below this share of the window's requests, requests are spaced out.
LOW_SHARE = 0.2


def _integer(value: Any) -> Optional[int]:
    number = _number(value)
    return None if number is None else int(number)


class Pacer:
    """The rate-limit budget of one client, shared by its threads.

    :param clock: where time is read and waits are slept.
    """

    def __init__(self, clock: Clock):
        self.clock = clock
        self._lock = threading.Lock()
        self._limit: Optional[int] = None
        self._left: Optional[int] = None
        # The window: its X-RateLimit-Reset, and when it ends on our clock.
        self._window: Optional[int] = None
        self._reset: Optional[float] = None
        self._blocked_until = 0.0
        self._next_slot = 0.0
        self._taken = 0

    def acquire(self) -> int:
        """Wait until a request may go, and take it from the budget.

        :return: the request's ticket, for :meth:`observe`.
        """
        while True:
            with self._lock:
                now = self.clock.time()
                wait, ticket = self._take(now)
            if ticket is not None:
                if wait > 0:
                    logger.log(logging.WARNING if wait > LONG_WAIT
                               else logging.DEBUG, 'Pacing within the rate '
                               'limit: next request in %s',
                               seconds_text(wait))
                    self.clock.sleep(wait)
                return ticket
            logger.log(logging.WARNING if wait > LONG_WAIT else logging.INFO,
                       'Rate limit budget spent: next try in %s',
                       seconds_text(wait))
            self.clock.sleep(wait)

    def _take(self, now: float):
        """``(wait, ticket)``: a ticket with the wait before its slot, or
        no ticket and the wait before asking again."""
        if now < self._blocked_until:
            return self._blocked_until - now, None
        if self._reset is not None and now >= self._reset:
            # A new window: its budget is whole until answers say more.
            self._left, self._window, self._reset = self._limit, None, None
            self._next_slot = now
        if self._left is not None and self._left <= 0:
            if self._reset is None:
                self._left = None  # nothing known to wait for
            else:
                return self._reset + RESET_MARGIN - now, None
        slot = max(now, self._next_slot)
        if self._left is not None:
            if self._reset is not None and self._limit and \
                    self._left < self._limit * LOW_SHARE:
                self._next_slot = slot + max(self._reset - slot, 0.0) / \
                    self._left
            self._left -= 1
        ticket = self._taken
        self._taken += 1
        return slot - now, ticket

    def observe(self, ticket: int, status: int, headers: Any) -> None:
        """Learn from the answer to the request of ``ticket``."""
        limit = _integer(headers.get('X-RateLimit-Limit'))
        remaining = _integer(headers.get('X-RateLimit-Remaining'))
        window = _integer(headers.get('X-RateLimit-Reset'))
        with self._lock:
            now = self.clock.time()
            reset = rate_limit_reset(headers, now)
            if limit:
                self._limit = limit
            if status == 429:
                wait = retry_after(headers, now)
                if wait is not None:
                    self._blocked_until = max(self._blocked_until,
                                              now + wait)
                elif reset is not None and reset > now:
                    self._window, self._reset, self._left = window, reset, 0
                    return
            if remaining is None or window is None or reset is None or \
                    reset <= now:
                return
            # Requests taken after this one count against the window too.
            left = remaining - (self._taken - ticket - 1)
            if status == 429:
                left = 0
            if self._window is None or window > self._window:
                self._window, self._reset, self._left = window, reset, left
                self._next_slot = now
            elif window == self._window:
                self._left = left if self._left is None else \
                    min(self._left, left)
