"""The exception hierarchy of the SDK.

Every error the SDK raises on purpose is a :class:`SbgError` or one of its
subclasses. HTTP errors from the platform map to one subclass per status code
(see :data:`ERROR_BY_STATUS`); errors found on the client side (validation,
read-only fields, pagination, local files) carry ``status == -1``.

``str(error)`` tells what went wrong and why: the message, followed by the
HTTP status, the platform's error code and the link to more information when
the platform sent them, e.g.
``Not found. (status 404, code 5002, more info: https://docs...)``.

An error answer whose body is not JSON (a proxy's HTML page) raises the
class of its status all the same, with the page's title or first line as
the message; it is also a :class:`NonJSONResponseError`, the class the
reference raised for it (see :func:`non_json_error`).
"""
import re
from http import HTTPStatus
from typing import Any, Callable, Dict, Optional, Type

__all__ = [
    'SbgError', 'ResourceNotModified', 'NonJSONResponseError',
    'ReadOnlyPropertyError', 'ValidationError', 'TaskValidationError',
    'PaginationError', 'AdvanceAccessError', 'BadRequest', 'Unauthorized',
    'Forbidden', 'NotFound', 'MethodNotAllowed', 'RequestTimeout', 'Conflict',
    'URITooLong', 'TooManyRequests', 'ServerError', 'BadGateway',
    'ServiceUnavailable', 'GatewayTimeout', 'LocalFileAlreadyExists',
    'ExecutionDetailsInvalidTaskType', 'ERROR_BY_STATUS',
]

#: Status and code carried by errors detected on the client side.
LOCAL = -1


def _rebuild(cls: type, state: Dict[str, Any]) -> 'SbgError':
    error: SbgError = Exception.__new__(cls)
    error.__dict__.update(state)
    return error


class SbgError(Exception):
    """Base class of every error raised by the SDK.

    :param message: human readable description.
    :param code: the platform's error code (see the API documentation).
    :param status: the HTTP status of the response, if any.
    :param more_info: a link to the documentation of the error.
    """

    def __init__(self, message: Optional[str] = None, code: Any = None,
                 status: Optional[int] = None, more_info: Optional[str] = None):
        if message is not None:
            super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.more_info = more_info

    def __str__(self) -> str:
        details = []
        if self.status not in (None, LOCAL):
            details.append(f'status {self.status}')
        if self.code not in (None, LOCAL):
            details.append(f'code {self.code}')
        if self.more_info:
            details.append(f'more info: {self.more_info}')
        message = '' if self.message is None else str(self.message)
        if not details:
            return message
        if not message:
            return ', '.join(details)
        return f'{message} ({", ".join(details)})'

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(message={self.message!r}, '
                f'code={self.code!r}, status={self.status!r}, '
                f'more_info={self.more_info!r})')

    def __reduce__(self):
        # Subclasses have constructors of their own shapes: rebuild from the
        # attributes so that errors survive pickling (multiprocessing).
        return _rebuild, (type(self), dict(self.__dict__))


def _fixed_status_init(status: int) -> Callable[..., None]:
    """Constructor of an error class whose HTTP status is fixed."""

    def __init__(self, code=None, message=None, more_info=None):
        SbgError.__init__(self, message=message, code=code, status=status,
                          more_info=more_info)

    return __init__


def _local_error_init(self, message):
    SbgError.__init__(self, message=message, code=LOCAL, status=LOCAL)


class ResourceNotModified(SbgError):
    """``save()`` was called on a resource that has no changes."""

    def __init__(self):
        super().__init__(
            message='No relevant changes were detected in order to update '
                    'the resource on the server.',
            code=LOCAL, status=LOCAL)


class NonJSONResponseError(SbgError):
    """The server answered with a body that is not JSON."""

    def __init__(self, status, code=None, message=None, more_info=None):
        super().__init__(message=message, code=code, status=status,
                         more_info=more_info)


class ReadOnlyPropertyError(SbgError):
    """A read-only field was assigned."""
    __init__ = _local_error_init


class ValidationError(SbgError):
    """A value does not fit the field or argument it was given to."""
    __init__ = _local_error_init


class PaginationError(SbgError):
    """There is no next (or previous) page."""
    __init__ = _local_error_init


class TaskValidationError(SbgError):
    """A task could not be run because it has errors; see :attr:`task`."""

    def __init__(self, message, task=None):
        super().__init__(message=message, code=LOCAL, status=LOCAL)
        self.task = task


class AdvanceAccessError(SbgError):
    """An advance access feature was used without advance access."""

    def __init__(self, message=None):
        super().__init__(message=message, code=LOCAL, status=LOCAL)


class BadRequest(SbgError):
    """HTTP 400: the request was invalid."""
    __init__ = _fixed_status_init(400)


class Unauthorized(SbgError):
    """HTTP 401: the token is missing, invalid or expired."""
    __init__ = _fixed_status_init(401)


class Forbidden(SbgError):
    """HTTP 403: the token is valid but lacks the permission."""
    __init__ = _fixed_status_init(403)


class NotFound(SbgError):
    """HTTP 404: the resource does not exist or is not visible."""
    __init__ = _fixed_status_init(404)


class MethodNotAllowed(SbgError):
    """HTTP 405."""
    __init__ = _fixed_status_init(405)


class RequestTimeout(SbgError):
    """HTTP 408."""
    __init__ = _fixed_status_init(408)


class Conflict(SbgError):
    """HTTP 409: the request conflicts with existing state."""
    __init__ = _fixed_status_init(409)


class URITooLong(SbgError):
    """HTTP 414, also raised before sending an over-long URL."""
    __init__ = _fixed_status_init(414)


class TooManyRequests(SbgError):
    """HTTP 429: the rate limit is exhausted."""
    __init__ = _fixed_status_init(429)


class ServerError(SbgError):
    """HTTP 500."""
    __init__ = _fixed_status_init(500)


class BadGateway(SbgError):
    """HTTP 502: a gateway in front of the platform got no valid answer
    from it."""
    __init__ = _fixed_status_init(502)


class ServiceUnavailable(SbgError):
    """HTTP 503: the platform is unavailable (maintenance)."""
    __init__ = _fixed_status_init(503)


class GatewayTimeout(SbgError):
    """HTTP 504: a gateway in front of the platform got no answer from it in
    time."""
    __init__ = _fixed_status_init(504)


class LocalFileAlreadyExists(SbgError):
    """A download target exists and ``overwrite`` was not allowed."""
    __init__ = _fixed_status_init(LOCAL)


class ExecutionDetailsInvalidTaskType(SbgError):
    """Execution details were asked of a task type that has none."""
    __init__ = _fixed_status_init(LOCAL)


#: The exception class raised for each HTTP status of an error response.
ERROR_BY_STATUS: Dict[int, Type[SbgError]] = {
    400: BadRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    405: MethodNotAllowed,
    408: RequestTimeout,
    409: Conflict,
    414: URITooLong,
    429: TooManyRequests,
    500: ServerError,
    502: BadGateway,
    503: ServiceUnavailable,
    504: GatewayTimeout,
}


def _non_json_variant(error_class: Type[SbgError]) -> Type[SbgError]:
    name = f'NonJSON{error_class.__name__}'
    return type(name, (error_class, NonJSONResponseError), {
        '__module__': __name__, '__qualname__': name,
        '__doc__': f'{error_class.__name__} whose body was not JSON.'})


#: The class raised for each HTTP status of an error answer whose body is not
#: JSON: the status's class and :class:`NonJSONResponseError` at once (each
#: is also a name of this module, so that the errors pickle).
NON_JSON_ERROR_BY_STATUS: Dict[int, Type[SbgError]] = {
    status: _non_json_variant(error_class)
    for status, error_class in ERROR_BY_STATUS.items()}
globals().update({error_class.__name__: error_class
                  for error_class in NON_JSON_ERROR_BY_STATUS.values()})


def reason_phrase(status: int) -> Optional[str]:
    """The standard reason phrase of ``status`` (``'Bad Gateway'`` for
    502), or ``None`` for a status that has none."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return None


_TITLE = re.compile(r'<title[^>]*>(.*?)</title>', re.IGNORECASE | re.DOTALL)
_LONGEST_LINE = 200


def first_line(body: str) -> str:
    """What a body that is not JSON says, in one line: an HTML page's title,
    else the first line that is not blank (at most 200 characters)."""
    title = _TITLE.search(body)
    if title and title.group(1).strip():
        line = ' '.join(title.group(1).split())
    else:
        line = next((text.strip() for text in body.splitlines()
                     if text.strip()), '')
    if len(line) > _LONGEST_LINE:
        line = line[:_LONGEST_LINE - 3] + '...'
    return line


def non_json_error(status: int, body: str) -> SbgError:
    """The error of an answer with ``status`` whose ``body`` is not JSON:
    an instance of the status's class (:data:`ERROR_BY_STATUS`, e.g.
    :class:`BadGateway`) that is also a :class:`NonJSONResponseError`, or a
    plain :class:`NonJSONResponseError` for another status. Its message is
    :func:`first_line` of the body (the status's reason phrase when the
    body says nothing); ``code`` is ``None``.
    """
    message = first_line(body) or reason_phrase(status)
    error_class = NON_JSON_ERROR_BY_STATUS.get(status)
    if error_class is None:
        return NonJSONResponseError(status=status, message=message)
    return error_class(message=message)
