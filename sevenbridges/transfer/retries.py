"""The attempts of one part of a transfer (or of its size probe): tried
again after a back-off while the transfer goes on.

The waits are those of API calls (:func:`~sevenbridges.http.retry.full_jitter`
from :data:`BASE_DELAY`, doubled on each attempt, capped at
:data:`MAX_DELAY`), slept on the same kind of
:class:`~sevenbridges.http.retry.Clock`.
"""
from __future__ import annotations

import logging
from typing import Callable, Tuple, Type, TypeVar, Union

from sevenbridges.errors import SbgError
from sevenbridges.http.retry import Clock, full_jitter

logger = logging.getLogger(__name__)

#: Seconds of the first back-off of a part; doubles on each attempt, capped
#: at :data:`MAX_DELAY`.
BASE_DELAY = 0.5
MAX_DELAY = 30.0

#: Where the back-offs of parts are slept.
clock = Clock()

Result = TypeVar('Result')
Errors = Union[Type[BaseException], Tuple[Type[BaseException], ...]]


def with_retries(attempt: Callable[[], Result], attempts: int,
                 retryable: Errors, label: str,
                 fatal: Errors = (),
                 stopped: Callable[[], bool] = lambda: False,
                 raise_last: bool = False) -> Result | None:
    """``attempt()``, tried up to ``attempts`` times with back-off; ``None``
    once ``stopped()``; a ``fatal`` error is raised at once.

    :param label: what is tried, for the log and the error.
    :param raise_last: after the last attempt, raise its error as it is.
    :raises SbgError: ``'<label> after <attempts> attempts: <last error>'``.
    """
    error: BaseException | None = None
    for number in range(1, attempts + 1):
        if stopped():
            return None
        if number > 1:
            logger.warning('%s: attempt %s after %s', label, number, error)
            clock.sleep(full_jitter(number - 1, BASE_DELAY, MAX_DELAY))
        try:
            return attempt()
        except fatal:
            raise
        except retryable as e:
            error = e
    if raise_last and error is not None:
        raise error
    raise SbgError(f'{label} after {attempts} attempts: {error}')
