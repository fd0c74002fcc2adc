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

With the client's retry policy on (:attr:`HttpClient.retry
<sevenbridges.http.client.HttpClient.retry>`, the default), the handlers
run on the answer to each request the policy sends, and the three bundled
sleepers leave to the policy every answer it retries (a 429, a maintenance
503, a gateway error to an idempotent request): the policy waits for it
once, honours ``Retry-After`` and keeps to its budget. They still wait out
what the policy does not retry (``general_error_sleeper`` on a 500, or on a
502 answered to a ``POST``). With ``retry=False``, and whenever one is
called directly (``rate_limit_sleeper(api, response)``), they work exactly
as in the reference: they sleep and send the request again.
"""
import logging
import time

from sevenbridges.http.retry import RetryPolicy, is_maintenance

logger = logging.getLogger(__name__)


def repeatable_handler(f):
    """Mark ``f`` as a repeatable handler: when it returns a new response
    the client restarts the handler list on that response."""
    f.is_repeatable = True
    return f


def _resend(api, response):
    return api.session.send(response.request)


def _left_to_the_policy(api, response):
    """Whether ``response`` is left to a retry policy: the handler runs in
    the client's own chain (not called directly), under a policy that
    retries ``response`` itself."""
    policy_of_handlers = getattr(api, '_policy_of_handlers', None)
    policy = policy_of_handlers() if callable(policy_of_handlers) else None
    return isinstance(policy, RetryPolicy) and \
        policy.reason_to_retry(response) is not None


@repeatable_handler
def rate_limit_sleeper(api, response):
    """While the platform answers 429 (rate limit exhausted), sleep until the
    limit resets (header ``X-RateLimit-Reset``, epoch seconds) and send the
    request again.

    :param api: the client.
    :param response: the response to inspect.
    :return: the first response that is not a 429.
    """
    if _left_to_the_policy(api, response):
        return response
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
    if _left_to_the_policy(api, response):
        return response
    while is_maintenance(response):
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
    if _left_to_the_policy(api, response):
        return response
    while response.status_code >= 500:
        logger.warning('Server error %s: retrying in %s s',
                       response.status_code, sleep)
        time.sleep(sleep)
        response = _resend(api, response)
    return response
