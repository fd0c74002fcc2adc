"""Error handlers: callables ``handler(api, response) -> response`` that the
client runs on every response before it maps error statuses to exceptions.

A handler may re-send the request (``api.session.send(response.request)``)
and return the new response. A *repeatable* handler (see
:func:`repeatable_handler`) that returns a different response makes the
client run the whole handler list again on that response.

Install them with ``Api(error_handlers=[...])`` or
``api.add_error_handler(handler)``; :func:`maintenance_sleeper` is installed
by default::

    from sevenbridges.http.error_handlers import (
        rate_limit_sleeper, maintenance_sleeper, general_error_sleeper)
    api = sbg.Api(error_handlers=[rate_limit_sleeper, maintenance_sleeper])
"""
import logging
import time

logger = logging.getLogger(__name__)


def repeatable_handler(f):
    """Mark ``f`` as a repeatable handler: when it returns a new response
    the client restarts the handler list on that response."""
    f.is_repeatable = True
    return f


def _resend(api, response):
    return api.session.send(response.request)


@repeatable_handler
def rate_limit_sleeper(api, response):
    """While the platform answers 429 (rate limit exhausted), sleep until the
    limit resets (header ``X-RateLimit-Reset``, epoch seconds) and send the
    request again.

    :param api: the client.
    :param response: the response to inspect.
    :return: the first response that is not a 429.
    """
    while response.status_code == 429:
        reset = response.headers.get('X-RateLimit-Reset')
        if reset is None:
            # Without a reset time, honour Retry-After or wait a second.
            seconds = int(float(response.headers.get('Retry-After', 1)))
        else:
            seconds = max(int(float(reset)) - int(time.time()), 0)
        logger.warning('Rate limit reached! Waiting for %s s', seconds)
        time.sleep(seconds)
        response = _resend(api, response)
    return response


@repeatable_handler
def maintenance_sleeper(api, response, sleep=300):
    """While the platform is under maintenance (503 with error code 0),
    sleep ``sleep`` seconds and send the request again. Any other 503 is
    returned as it is (and raised as
    :class:`~sevenbridges.errors.ServiceUnavailable`).

    :param api: the client.
    :param response: the response to inspect.
    :param sleep: seconds to wait between attempts.
    """
    while response.status_code == 503:
        try:
            body = response.json()
        except ValueError:
            return response
        if not isinstance(body, dict) or body.get('code') != 0:
            return response
        logger.warning('Service unavailable (maintenance): '
                       'retrying in %s s', sleep)
        time.sleep(sleep)
        response = _resend(api, response)
    return response


@repeatable_handler
def general_error_sleeper(api, response, sleep=300):
    """While the platform answers with a 5xx status, sleep ``sleep`` seconds
    and send the request again.

    :param api: the client.
    :param response: the response to inspect.
    :param sleep: seconds to wait between attempts.
    """
    while response.status_code >= 500:
        logger.warning('Server error %s: retrying in %s s',
                       response.status_code, sleep)
        time.sleep(sleep)
        response = _resend(api, response)
    return response
