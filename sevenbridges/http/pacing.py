"""Pacing: the requests of one client kept within the platform's rate limit.

Every answer of the API carries ``X-RateLimit-Limit`` (requests per
window), ``X-RateLimit-Remaining`` and ``X-RateLimit-Reset`` (when the
window ends, in seconds since the epoch). A :class:`Pacer`, shared by all
threads of one client, keeps count of what is left of the window:

- while something is left, requests go at once;
- when nothing is left (or a 429 came back), requests wait for the reset
  (or for ``Retry-After``), then the new window's budget is spent again;
- when the platform's numbers show requests that are not the client's
  (another client with the same token), the last fifth of the window is
  spaced out evenly over the time until the reset, so that the other's
  requests show up before the budget is spent.

A parallel script so runs at the rate the platform allows instead of
running into a storm of 429 answers, and a script alone on its token
spends each window whole, as early as it can: the window it ends in is the
earliest the limit allows.

What is left is counted, not guessed from the last answer: the requests
the client took from the window (its own, exactly) and the requests of
others the platform's answers reveal (``limit - X-RateLimit-Remaining``
beyond the client's own requests then taken). Answers that come back out
of order, as they do from many threads, so never make the count too low,
and a lone client uses every request of its window.
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
        # The first ticket counted in the window, and the requests of
        # others the platform's answers show in it.
        self._first = 0
        self._foreign = 0
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
            self._begin(None, None, self._taken, now)
            self._left = self._limit
        if self._left is not None and self._left <= 0:
            if self._reset is None:
                self._left = None  # nothing known to wait for
            else:
                return self._reset + RESET_MARGIN - now, None
        slot = max(now, self._next_slot)
        if self._left is not None:
            if self._foreign and self._reset is not None and \
                    self._limit and self._left < self._limit * LOW_SHARE:
                self._next_slot = slot + max(self._reset - slot, 0.0) / \
                    self._left
            self._left -= 1
        ticket = self._taken
        self._taken += 1
        return slot - now, ticket

    def _begin(self, window: Optional[int], reset: Optional[float],
               first: int, now: float) -> None:
        """Count a new window from the ticket ``first`` on."""
        self._window, self._reset = window, reset
        self._first, self._foreign = first, 0
        self._next_slot = now

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
            spent = status == 429
            if spent:
                wait = retry_after(headers, now)
                if wait is not None:
                    self._blocked_until = max(self._blocked_until,
                                              now + wait)
                elif reset is not None and reset > now:
                    if window != self._window:
                        self._begin(window, reset, ticket, now)
                    self._spend(ticket)
                    return
            if remaining is None or window is None or reset is None or \
                    reset <= now:
                return
            if self._window is not None and window < self._window:
                return  # an answer of a window that is over
            if self._window is None or window > self._window:
                # The first answer of a window: the window our clock began
                # (its tickets are counted from then on), or one that the
                # platform began before our clock did (from this ticket on).
                first = self._first if self._window is None else ticket
                self._begin(window, reset, first, now)
                self._left = None
            if spent:
                self._spend(ticket)
            else:
                self._count(ticket, remaining)

    def _count(self, ticket: int, remaining: int) -> None:
        """What is left of the window after an answer that says
        ``remaining``: the limit less the client's requests and those of
        others (what the platform counted beyond the client's requests
        then taken)."""
        self._first = min(self._first, ticket)
        ours = self._taken - self._first
        if self._limit:
            self._foreign = max(self._foreign,
                                self._limit - remaining - ours)
            self._left = self._limit - ours - self._foreign
            return
        # No limit announced: what the answer says, less the requests
        # taken after this one.
        left = remaining - (self._taken - ticket - 1)
        self._left = left if self._left is None else min(self._left, left)

    def _spend(self, ticket: int) -> None:
        """The window is spent (a 429): nothing is left of it, whatever
        answers still to come say."""
        self._first = min(self._first, ticket)
        self._left = 0
        if self._limit:
            self._foreign = max(self._foreign,
                                self._limit - (self._taken - self._first))
