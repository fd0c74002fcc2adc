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

A connection that cannot be made (refused, a host name that does not
resolve, a connect timeout) most often means a wrong URL, not a busy
platform: it is tried ``connect_attempts`` times (3) within
``connect_budget`` seconds (10) of the first failure, then the call fails.
Rate limits and maintenance keep the long ``budget`` (5 minutes).

Requests that are not safe to repeat (``POST``, which creates things) are
sent again only when the failure proves that the platform did not act on
them: a refused connection, a 429, a maintenance 503. A dropped connection,
a read timeout or a gateway error after a ``POST`` is raised at once: the
platform may have done the work.

A create whose name is unique in its container (its natural key: a folder's
name in its parent) is safe to repeat all the same: a second one cannot
make a duplicate, the platform answers 409. Its request is sent with
``idempotent=True`` and is retried like a ``PUT``; a 409 answered to it
after a failure that may have let an earlier request through raises
:class:`ResentConflict`, and the model returns the object of that name
(see :meth:`Resource._create
<sevenbridges.meta.resource.Resource._create>`). A 409 to its first request
is a plain :class:`~sevenbridges.errors.Conflict`.

Back-offs are exponential with full jitter (``base_delay`` doubled at each
attempt, capped at ``max_delay``, a random part of it slept). A call gives
up when the next wait would end past its ``budget`` (seconds since its
first request was sent) or after ``max_attempts``; the last error is then
raised as it would have been without the policy. Each wait is logged on
the ``sevenbridges.http.retry`` logger with its reason and the time to the
next try: at ``WARNING`` when it is longer than :data:`LONG_WAIT` seconds,
else at ``INFO``.
"""
from __future__ import annotations

import email.utils
import functools
import logging
import math
import random
import time
from typing import Any, Collection, Iterable, Optional, Union

import requests
from urllib3 import exceptions as urllib3_errors

from sevenbridges.errors import Conflict, ValidationError, reason_phrase
from sevenbridges.meta.arguments import check_requests, check_seconds
from sevenbridges.meta.value import Value

logger = logging.getLogger(__name__)

__all__ = ['RetryPolicy', 'Clock', 'IDEMPOTENT_METHODS', 'DEFAULT_STATUSES',
           'LONG_WAIT', 'ResentConflict', 'resolve_policy', 'is_maintenance',
           'retry_after', 'rate_limit_reset', 'is_connection_failure']

#: Methods that do the same thing however many times they are sent.
IDEMPOTENT_METHODS = frozenset({'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH',
                                'DELETE'})

#: The reasons of the answers that prove the platform did not act on the
#: request (so a create may be sent again).
RATE_LIMITED = 'rate limited (429)'
MAINTENANCE = 'platform under maintenance (503)'

#: The answers the policy retries by default.
DEFAULT_STATUSES = frozenset({429, 502, 503, 504})

#: Waits longer than this many seconds are logged at ``WARNING``.
LONG_WAIT = 5.0

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


class RetryPolicy(Value):
    """How a client retries its API calls (see
    :mod:`sevenbridges.http.retry`). A value: it never changes once made,
    and two policies of the same settings are equal (the clock aside).

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
        it); ``None``: a :class:`Clock`.
    :param connect_attempts: requests per call at most while the
        connection cannot be made (refused, host name not resolved,
        connect timeout); ``None``: as many as the other limits allow.
    :param connect_budget: seconds, counted from the first request that
        could not connect, within which such a request is sent again;
        ``None``: no limit of its own.
    :raises ValidationError: for a value that is not of its kind.
    """
    budget: Optional[float]
    max_attempts: Optional[int]
    base_delay: float
    max_delay: float
    statuses: Collection[int]
    pacing: bool
    clock: Clock
    connect_attempts: Optional[int]
    connect_budget: Optional[float]

    #: The settings compared, hashed and shown by ``repr`` (not the clock).
    _SETTINGS = ('budget', 'max_attempts', 'base_delay', 'max_delay',
                 'statuses', 'pacing', 'connect_attempts', 'connect_budget')

    def __init__(self, budget: Optional[float] = 300.0,
                 max_attempts: Optional[int] = None, base_delay: float = 0.5,
                 max_delay: float = 30.0,
                 statuses: Collection[int] = DEFAULT_STATUSES,
                 pacing: bool = True, clock: Optional[Clock] = None,
                 connect_attempts: Optional[int] = 3,
                 connect_budget: Optional[float] = 10.0) -> None:
        self._set(budget=budget, max_attempts=max_attempts,
                  base_delay=base_delay, max_delay=max_delay,
                  statuses=statuses, pacing=pacing,
                  clock=Clock() if clock is None else clock,
                  connect_attempts=connect_attempts,
                  connect_budget=connect_budget)
        self._check_settings()

    def _check_settings(self) -> None:
        check_seconds('budget', self.budget, optional=True, say_none=True)
        check_seconds('base_delay', self.base_delay)
        check_seconds('max_delay', self.max_delay)
        check_seconds('connect_budget', self.connect_budget, optional=True,
                      say_none=True)
        check_requests('max_attempts', self.max_attempts)
        check_requests('connect_attempts', self.connect_attempts)
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

    def reason_to_retry(self, response: requests.Response,
                        idempotent: Optional[bool] = None) -> Optional[str]:
        """Why ``response`` calls for sending its request again (a short
        text for the log), or ``None`` when it does not.

        :param idempotent: whether the request is safe to repeat (default:
            its method is one of :data:`IDEMPOTENT_METHODS`).
        """
        status = response.status_code
        if status not in self.statuses:
            return None
        if status == 429:
            return RATE_LIMITED
        if status == 503 and is_maintenance(response):
            return MAINTENANCE
        if idempotent is None:
            idempotent = _method_of(response) in IDEMPOTENT_METHODS
        return status_text(status) if idempotent else None

    def reason_to_retry_error(self, method: str, error: BaseException,
                              idempotent: Optional[bool] = None
                              ) -> Optional[str]:
        """Why the transport ``error`` of a ``method`` request calls for
        sending it again, or ``None`` when it does not.

        :param idempotent: whether the request is safe to repeat (default:
            ``method`` is one of :data:`IDEMPOTENT_METHODS`).
        """
        failure = transport_failure(error)
        if failure is None:
            return None
        never_arrived, text = failure
        if idempotent is None:
            idempotent = method.upper() in IDEMPOTENT_METHODS
        return text if never_arrived or idempotent else None

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

    def start(self, method: str, path: str,
              connect_attempts: Optional[int] = None,
              idempotent: Optional[bool] = None) -> 'Attempts':
        """The retry bookkeeping of one call.

        :param connect_attempts: requests at most while the connection
            cannot be made, when fewer than the policy's
            :attr:`connect_attempts` (the client's ``retry_count``).
        :param idempotent: whether its request is safe to repeat; default:
            by its method.
        """
        return Attempts(self, method, path, connect_attempts, idempotent)


class Attempts:
    """The attempts of one call under a :class:`RetryPolicy`: each failure
    gives the wait before the next request, or ``None`` to give up.

    :param connect_attempts: a tighter limit than the policy's
        ``connect_attempts``, or ``None``.
    :param idempotent: whether the request is safe to repeat (``None``: by
        its method).

    :attr:`may_have_acted` tells whether a request of the call met a
    failure after which the platform may have acted on it (a gateway error,
    a dropped connection, no answer in time), as opposed to one that proves
    it did not (a 429, a maintenance 503, a refused connection).
    """

    def __init__(self, policy: RetryPolicy, method: str, path: str,
                 connect_attempts: Optional[int] = None,
                 idempotent: Optional[bool] = None):
        self.policy = policy
        self.method = method.upper()
        self.path = path
        self.idempotent = idempotent
        self.count = 0
        limits = [limit for limit in (policy.connect_attempts,
                                      connect_attempts) if limit is not None]
        #: Requests at most while the connection cannot be made.
        self.connect_limit: Optional[int] = min(limits) if limits else None
        #: Requests of this call that could not connect.
        self.connect_failures = 0
        self.may_have_acted = False
        self._started: Optional[float] = None
        self._last_sent: Optional[float] = None
        self._connect_started: Optional[float] = None

    def sent(self) -> None:
        """Count a request (the first one starts the budget)."""
        self.count += 1
        self._last_sent = self.policy.clock.monotonic()
        if self._started is None:
            self._started = self._last_sent

    def elapsed(self) -> float:
        """Seconds since the first request of the call (0 before it)."""
        if self._started is None:
            return 0.0
        return self.policy.clock.monotonic() - self._started

    def after_response(self, response: requests.Response) -> Optional[float]:
        """The wait before sending again after ``response``, or ``None``."""
        reason = self.policy.reason_to_retry(response, self.idempotent)
        if reason is None:
            return None
        if reason not in (RATE_LIMITED, MAINTENANCE):
            self.may_have_acted = True
        hint = self.policy.hinted_delay(response)
        return self._wait(reason, hint)

    def after_error(self, error: BaseException) -> Optional[float]:
        """The wait before sending again after the transport ``error``, or
        ``None``."""
        reason = self.policy.reason_to_retry_error(self.method, error,
                                                   self.idempotent)
        if reason is None:
            return None
        never_arrived, _ = transport_failure(error)
        if not never_arrived:
            self.may_have_acted = True
            return self._wait(reason, None)
        self.connect_failures += 1
        if self._connect_started is None:
            self._connect_started = self._last_sent
        # Its own back-offs: short, whatever waits came before.
        delay = self.policy.backoff(self.connect_failures)
        if self.connect_limit is not None and \
                self.connect_failures >= self.connect_limit:
            self._give_up(reason, f'giving up after {self.connect_failures} '
                                  f'attempts to connect')
            return None
        budget = self.policy.connect_budget
        if budget is not None and self._connect_started is not None and \
                self._spent_since(self._connect_started) + delay > budget:
            self._give_up(reason, f'giving up: no connection within '
                                  f'{budget:g} s')
            return None
        return self._wait(reason, delay)

    def _spent_since(self, start: float) -> float:
        return self.policy.clock.monotonic() - start

    def _give_up(self, reason: str, text: str) -> None:
        logger.info('%s %s: %s; %s', self.method, self.path, reason, text)

    def _wait(self, reason: str, hint: Optional[float]) -> Optional[float]:
        policy = self.policy
        delay = hint if hint is not None else policy.backoff(self.count)
        if policy.max_attempts is not None and \
                self.count >= policy.max_attempts:
            self._give_up(reason, f'giving up after {self.count} attempts')
            return None
        if policy.budget is not None and self._started is not None:
            if self._spent_since(self._started) + delay > policy.budget:
                self._give_up(reason, f'giving up: waiting {delay:.2f} s '
                                      f'more would exceed the budget of '
                                      f'{policy.budget} s')
                return None
        logger.log(logging.WARNING if delay > LONG_WAIT else logging.INFO,
                   '%s %s: %s; next try in %s (attempt %d)', self.method,
                   self.path, reason, seconds_text(delay), self.count + 1)
        return delay


class ResentConflict(Conflict):
    """A 409 answered to a create that is safe to repeat (its name is
    unique in its container), sent again after a failure that may have let
    an earlier request through: the name it conflicts with may be that
    request's own work. It is a :class:`~sevenbridges.errors.Conflict`;
    the model that sent the create looks for the object of that name
    before raising it."""

    @classmethod
    def of(cls, conflict: Conflict) -> 'ResentConflict':
        """The same error as ``conflict``, of this class."""
        return cls(code=conflict.code, message=conflict.message,
                   more_info=conflict.more_info)


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


def _http_date(value: Any) -> Optional[float]:
    """An HTTP date (``Date``) in seconds since the epoch, or ``None``."""
    if isinstance(value, str):
        return _parsed_http_date(value)
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


@functools.lru_cache(maxsize=4)
def _parsed_http_date(value: str) -> Optional[float]:
    """:func:`_http_date` of a text: answers within a second carry the same
    one, parsed once."""
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return None


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
    server_now = _http_date(headers.get('Date'))
    if server_now is None:
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
    platform (the connection was refused, the host name did not resolve,
    or the connection could not be made in time). ``None`` for anything
    else (TLS, proxy, or an error whose cause is not known)."""
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
        return True, 'host name not resolved'
    if isinstance(cause, urllib3_errors.NewConnectionError):
        return True, _connection_text(cause)
    if isinstance(cause, (urllib3_errors.ProtocolError, ConnectionError)):
        return False, 'connection dropped'
    return None


def _connection_text(error: BaseException) -> str:
    """What stopped a new connection: ``'connection refused'``, or the
    system's words for another failure (``'no connection (Network is
    unreachable)'``)."""
    system_error = error.__cause__ or error.__context__
    if isinstance(system_error, OSError) and \
            not isinstance(system_error, ConnectionRefusedError) and \
            system_error.strerror:
        return f'no connection ({system_error.strerror})'
    return 'connection refused'


def is_connection_failure(error: BaseException) -> bool:
    """Whether the transport ``error`` is a connection that could not be
    made (refused, host name not resolved, connect timeout): the request
    never reached the platform."""
    failure = transport_failure(error)
    return failure is not None and failure[0]


def seconds_text(seconds: float) -> str:
    """A wait for people: ``'0.43 s'``, ``'5.5 s'``, ``'12 s'``."""
    if seconds < 1:
        return f'{seconds:.2f} s'
    if seconds < 10:
        return f'{seconds:.1f} s'
    return f'{seconds:.0f} s'


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
