"""Decorators shared by the HTTP client and the models."""
import functools
import logging

from sevenbridges.errors import ERROR_BY_STATUS, SbgError, non_json_error

logger = logging.getLogger(__name__)


def inplace_reload(method):
    """Let ``method`` update its receiver in place.

    Unless ``inplace=False`` is passed as a keyword, the object the method
    returns is absorbed by the receiver (data, changes, snapshot) and the
    receiver is returned. With ``inplace=False`` the new object is returned
    and the receiver keeps its local edits. A falsy result returns the
    receiver.
    """

    def wrapped(obj, *args, **kwargs):
        result = method(obj, *args, **kwargs)
        in_place = kwargs.get('inplace') in (True, None)
        if in_place and result:
            obj._adopt(result)
            return obj
        return result if result else obj

    wrapped.__doc__ = method.__doc__
    wrapped.__module__ = method.__module__
    wrapped.__qualname__ = method.__qualname__
    wrapped.__name__ = method.__name__
    return wrapped


def throttle(func):
    """Run an HTTP client method under the client's parallel-request
    semaphore (``max_parallel_requests``), when it has one."""

    @functools.wraps(func)
    def wrapper(http_client, *args, **kwargs):
        limit = http_client._throttle_limit
        if limit:
            with limit:
                return func(http_client, *args, **kwargs)
        return func(http_client, *args, **kwargs)

    return wrapper


def _error_from_response(response):
    """Build the exception of an error response (status mapped to a class,
    attributes taken from the platform's JSON error body).

    :raises SbgError: :func:`~sevenbridges.errors.non_json_error` of a body
        that is not JSON.
    """
    status = response.status_code
    error_class = ERROR_BY_STATUS.get(status)
    error = error_class() if error_class else SbgError(status=status)
    try:
        body = response.json()
    except ValueError:
        raise non_json_error(status, response.text) from None
    if isinstance(body, dict):
        for key in ('message', 'code', 'status', 'more_info'):
            if key in body:
                setattr(error, key, body[key])
    return error


def check_for_error(func):
    """Turn the response of an HTTP client method into its result: the
    response itself for a 2xx status, ``None`` for 204, and the mapped
    :class:`~sevenbridges.errors.SbgError` subclass otherwise. Transport
    failures of ``requests`` become :class:`~sevenbridges.errors.SbgError`.
    """

    from requests import RequestException

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        try:
            response = func(*args, **kwargs)
        except RequestException as e:
            raise SbgError(message=str(e)) from e
        except SbgError:
            raise
        except ValueError as e:
            raise SbgError(message=str(e)) from e
        status = response.status_code
        if status == 204:
            return None
        if 200 <= status < 300:
            return response
        raise _error_from_response(response)

    return wrapper
