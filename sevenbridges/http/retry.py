"""The retry policy of API calls: what is retried, how long to wait, when to
give up.

Every API call goes through the policy of its client
(:attr:`HttpClient.retry <sevenbridges.http.client.HttpClient.retry>`, on by
default; ``Api(retry=False)`` turns it off). A call is sent again when:

- the platform answers 429 (rate limit): after ``Retry-After``, else until
  ``X-RateLimit-Reset``, else after a back-off;
- the platform is under maintenance (503 whose JSON body has ``code`` 0),
  or a gateway answers 502, 503 or 504: after ``Retry-After``, else after a
  back-off;
- the connection fails or times out.

Requests that are not safe to repeat (``POST``, which creates things) are
sent again only when the failure proves that the platform did not act on
them: a refused connection, a 429, a maintenance 503. A dropped connection,
a read timeout or a gateway error after a ``POST`` is raised at once: the
platform may have done the work.

Back-offs are exponential with full jitter (``base_delay`` doubled at each
attempt, capped at ``max_delay``, a random part of it slept). A call gives
up when the next wait would end past its ``budget`` (seconds since its
first request was sent) or after ``max_attempts``; the last error is then
raised as it would have been without the policy. Each wait is logged at
``INFO`` on the ``sevenbridges.http.retry`` logger with its reason and
length.
"""
from __future__ import annotations

import email.utils
import logging
import math
import numbers
import random
import time
from dataclasses import dataclass, field
from typing import Any, Collection, Iterable, Optional, Union

import requests
from urllib3 import exceptions as urllib3_errors

from sevenbridges.errors import ValidationError, reason_phrase
from sevenbridges.meta.arguments import check_seconds

logger = logging.getLogger(__name__)

__all__ = ['RetryPolicy', 'Clock', 'IDEMPOTENT_METHODS', 'DEFAULT_STATUSES',
           'resolve_policy', 'is_maintenance', 'retry_after',
           'rate_limit_reset']

#: Methods that do the same thing however many times they are sent.
IDEMPOTENT_METHODS = frozenset({'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH',
                                'DELETE'})

#: The answers the policy retries by default.
DEFAULT_STATUSES = frozenset({429, 502, 503, 504})

#: Seconds waited past a rate-limit reset, for clocks that differ a little.
RESET_MARGIN = 0.1

#: A server clock this many seconds off ours (its ``Date`` header) is
#: corrected for when reading ``X-RateLimit-Reset``.
CLOCK_SKEW = 5.0


class Clock:
    """Time as the retry policy and the pacing see it. Tests give a
    :class:`RetryPolicy` a clock of their own to record the waits instead
    of sleeping them; this one reads the system's clocks as they were when
    the SDK was imported, so that a patch of :mod:`time` elsewhere does not
    change how API calls wait."""
    _time = staticmethod(time.time)
    _monotonic = staticmethod(time.monotonic)
    _sleep = staticmethod(time.sleep)

    def time(self) -> float:
        """Seconds since the epoch (``X-RateLimit-Reset`` is one)."""
        return self._time()

    def monotonic(self) -> float:
        """Seconds of a clock that never goes back (for budgets)."""
        return self._monotonic()

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        self._sleep(seconds)


@dataclass(frozen=True)
class RetryPolicy:
    """How a client retries its API calls (see
    :mod:`sevenbridges.http.retry`).

    ::

        from sevenbridges.http.retry import RetryPolicy
        patient = RetryPolicy(budget=1800, max_delay=120)
        api.retry = patient

    :param budget: seconds a call may take, waits included, counted from its
        first request; ``None``: no limit.
    :param max_attempts: requests per call at most; ``None``: as many as
        the budget allows.
    :param base_delay: the first back-off, in seconds; it doubles with each
        attempt.
    :param max_delay: the longest back-off, in seconds (a ``Retry-After``
        or a rate-limit reset is waited for in full).
    :param statuses: the HTTP statuses retried (a 429 and a maintenance
        503 for every method, the others for idempotent methods only).
    :param pacing: space requests out when the rate-limit budget runs low
        (see :mod:`sevenbridges.http.pacing`).
    :param clock: where time is read and waits are slept (tests replace
        it).
    :raises ValidationError: for a value that is not of its kind.
    """
    budget: Optional[float] = 300.0
    max_attempts: Optional[int] = None
    base_delay: float = 0.5
    max_delay: float = 30.0
    statuses: Collection[int] = DEFAULT_STATUSES
    pacing: bool = True
    clock: Clock = field(default_factory=Clock, repr=False, compare=False)

    def __post_init__(self) -> None:
        check_seconds('budget', self.budget, optional=True, say_none=True)
        check_seconds('base_delay', self.base_delay)
        check_seconds('max_delay', self.max_delay)
        if self.max_attempts is not None and (
                isinstance(self.max_attempts, bool) or
                not isinstance(self.max_attempts, numbers.Integral) or
                self.max_attempts < 1):
            raise ValidationError(f'max_attempts must be a number of '
                                  f'requests (1 or more, or None), not '
                                  f'{self.max_attempts!r}.')
        statuses = self.statuses
        if isinstance(statuses, (str, bytes)) or \
                not isinstance(statuses, Iterable) or \
                not all(isinstance(status, int) and
                        not isinstance(status, bool) and
                        400 <= status < 600 for status in statuses):
            raise ValidationError(f'statuses must be HTTP error statuses '
                                  f'(400 to 599), not {statuses!r}.')
        object.__setattr__(self, 'statuses', frozenset(statuses))
        if not isinstance(self.pacing, bool):
            raise ValidationError(f'pacing must be True or False, not '
                                  f'{self.pacing!r}.')
        for method in ('time', 'monotonic', 'sleep'):
            if not callable(getattr(self.clock, method, None)):
                raise ValidationError(f'clock must have time(), monotonic() '
                                      f'and sleep(), not {self.clock!r}.')

    # -- what is retried ----------------------------------------------------

    def reason_to_retry(self, response: requests.Response) -> Optional[str]:
        """Why ``response`` calls for sending its request again (a short
        text for the log), or ``None`` when it does not."""
        status = response.status_code
        if status not in self.statuses:
            return None
        if status == 429:
            return 'rate limited (429)'
        if status == 503 and is_maintenance(response):
            return 'platform under maintenance (503)'
        if _method_of(response) not in IDEMPOTENT_METHODS:
            return None
        return status_text(status)

    def reason_to_retry_error(self, method: str,
                              error: BaseException) -> Optional[str]:
        """Why the transport ``error`` of a ``method`` request calls for
        sending it again, or ``None`` when it does not."""
        failure = transport_failure(error)
        if failure is None:
            return None
        never_arrived, text = failure
        if never_arrived or method.upper() in IDEMPOTENT_METHODS:
            return text
        return None

    # -- how long to wait ---------------------------------------------------

    def hinted_delay(self, response: requests.Response) -> Optional[float]:
        """The wait the answer asks for: ``Retry-After``, else (for a 429)
        the time left until ``X-RateLimit-Reset`` (and
        :data:`RESET_MARGIN`); ``None`` without a hint."""
        now = self.clock.time()
        after = retry_after(response.headers, now)
        if after is not None:
            return after
        if response.status_code == 429:
            reset = rate_limit_reset(response.headers, now)
            if reset is not None and reset > now:
                return reset - now + RESET_MARGIN
        return None

    def backoff(self, attempt: int) -> float:
        """The back-off after the ``attempt``-th request (1 for the first):
        a random part of ``base_delay * 2 ** (attempt - 1)``, capped at
        ``max_delay``."""
        return full_jitter(attempt, self.base_delay, self.max_delay)

    def start(self, method: str, path: str) -> 'Attempts':
        """The retry bookkeeping of one call."""
        return Attempts(self, method, path)


class Attempts:
    """The attempts of one call under a :class:`RetryPolicy`: each failure
    gives the wait before the next request, or ``None`` to give up."""

    def __init__(self, policy: RetryPolicy, method: str, path: str):
        self.policy = policy
        self.method = method.upper()
        self.path = path
        self.count = 0
        self._started: Optional[float] = None

    def sent(self) -> None:
        """Count a request (the first one starts the budget)."""
        self.count += 1
        if self._started is None:
            self._started = self.policy.clock.monotonic()

    def after_response(self, response: requests.Response) -> Optional[float]:
        """The wait before sending again after ``response``, or ``None``."""
        reason = self.policy.reason_to_retry(response)
        if reason is None:
            return None
        hint = self.policy.hinted_delay(response)
        return self._wait(reason, hint)

    def after_error(self, error: BaseException) -> Optional[float]:
        """The wait before sending again after the transport ``error``, or
        ``None``."""
        reason = self.policy.reason_to_retry_error(self.method, error)
        if reason is None:
            return None
        return self._wait(reason, None)

    def _wait(self, reason: str, hint: Optional[float]) -> Optional[float]:
        policy = self.policy
        delay = hint if hint is not None else policy.backoff(self.count)
        if policy.max_attempts is not None and \
                self.count >= policy.max_attempts:
            logger.info('%s %s: %s; giving up after %d attempts',
                        self.method, self.path, reason, self.count)
            return None
        if policy.budget is not None and self._started is not None:
            spent = policy.clock.monotonic() - self._started
            if spent + delay > policy.budget:
                logger.info('%s %s: %s; giving up: waiting %.2f s more '
                            'would exceed the budget of %s s', self.method,
                            self.path, reason, delay, policy.budget)
                return None
        logger.info('%s %s: %s; retrying in %.2f s (attempt %d)',
                    self.method, self.path, reason, delay, self.count + 1)
        return delay


def resolve_policy(retry: Union[RetryPolicy, bool]) -> Optional[RetryPolicy]:
    """The policy ``retry`` stands for: a :class:`RetryPolicy` as it is,
    ``True`` the default policy, ``False`` none.

    :raises ValidationError: for anything else.
    """
    if isinstance(retry, RetryPolicy):
        return retry
    if retry is True:
        return RetryPolicy()
    if retry is False:
        return None
    raise ValidationError(f'retry must be a RetryPolicy, True or False, not '
                          f'{type(retry).__name__} ({retry!r}).')


# -- reading answers and failures ---------------------------------------------

def is_maintenance(response: requests.Response) -> bool:
    """Whether ``response`` says the platform is under maintenance: a 503
    whose JSON body has ``code`` 0."""
    if response.status_code != 503:
        return False
    try:
        body = response.json()
    except ValueError:
        return False
    return isinstance(body, dict) and body.get('code') == 0


def rate_limit_reset(headers: Any, now: float) -> Optional[float]:
    """When the rate-limit window ends (``X-RateLimit-Reset``), on our
    clock: a server whose ``Date`` is more than :data:`CLOCK_SKEW` seconds
    off ``now`` has its reset moved by as much.

    :param headers: the answer's headers.
    :param now: the current time, in seconds since the epoch.
    """
    reset = _number(headers.get('X-RateLimit-Reset'))
    if reset is None:
        return None
    try:
        server_now = email.utils.parsedate_to_datetime(
            headers.get('Date')).timestamp()
    except (TypeError, ValueError, IndexError):
        return reset
    skew = server_now - now
    return reset - skew if abs(skew) > CLOCK_SKEW else reset


def retry_after(headers: Any, now: float) -> Optional[float]:
    """The seconds ``Retry-After`` asks to wait (a number of seconds or an
    HTTP date; 0 for a time past), or ``None`` without a valid one.

    :param headers: the answer's headers.
    :param now: the current time, in seconds since the epoch.
    """
    value = headers.get('Retry-After')
    if value is None:
        return None
    seconds = _number(value)
    if seconds is None:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        seconds = when.timestamp() - now
    return max(seconds, 0.0)


def transport_failure(error: BaseException):
    """``(never_arrived, text)`` for a transport error worth another try:
    ``never_arrived`` is true when no byte of the request reached the
    platform (the connection was refused or could not be made in time).
    ``None`` for anything else (TLS, proxy, DNS, or an error whose cause is
    not known)."""
    if isinstance(error, (requests.exceptions.SSLError,
                          requests.exceptions.ProxyError)):
        return None
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True, 'connection timed out'
    if isinstance(error, requests.exceptions.ReadTimeout):
        return False, 'no answer in time'
    if isinstance(error, requests.exceptions.ChunkedEncodingError):
        return False, 'the answer was cut short'
    if not isinstance(error, requests.exceptions.ConnectionError):
        return None
    cause = error.args[0] if error.args else None
    if isinstance(cause, urllib3_errors.MaxRetryError):
        cause = cause.reason
    if isinstance(cause, urllib3_errors.NameResolutionError):
        return None
    if isinstance(cause, urllib3_errors.NewConnectionError):
        return True, 'connection refused'
    if isinstance(cause, (urllib3_errors.ProtocolError, ConnectionError)):
        return False, 'connection dropped'
    return None


def _number(value: Any) -> Optional[float]:
    """``value`` as a finite number, or ``None`` (a header saying ``inf``
    or ``nan`` is no hint)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _method_of(response: requests.Response) -> str:
    request = getattr(response, 'request', None)
    return (getattr(request, 'method', None) or '').upper()


def status_text(status: int) -> str:
    """``status`` with its standard reason phrase (``'502 Bad Gateway'``)."""
    phrase = reason_phrase(status)
    return f'{status} {phrase}' if phrase else str(status)


# -- back-off -------------------------------------------------------------------

def full_jitter(attempt: int, base_delay: float, max_delay: float) -> float:
    """The back-off after the ``attempt``-th try (1 for the first): a
    random part of ``base_delay * 2 ** (attempt - 1)``, capped at
    ``max_delay``. The one back-off of the SDK: API calls
    (:meth:`RetryPolicy.backoff`) and transfer parts
    (:mod:`sevenbridges.transfer.retries`) wait by it."""
    ceiling = min(max_delay, base_delay * 2 ** min(attempt - 1, 64))
    return random.uniform(0, ceiling)
