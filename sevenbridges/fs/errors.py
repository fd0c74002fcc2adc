"""The SDK's errors as the PyData stack expects them: the builtin
``OSError`` subclasses, with ``errno`` and the path."""
from __future__ import annotations

import errno
from contextlib import contextmanager
from typing import Iterator

from sevenbridges.errors import (
    Conflict,
    Forbidden,
    NotFound,
    SbgError,
    Unauthorized,
)

#: The OSError of each answer the platform gives, by the SDK's error class.
_BY_ERROR = (
    (NotFound, FileNotFoundError, errno.ENOENT),
    (Conflict, FileExistsError, errno.EEXIST),
    (Forbidden, PermissionError, errno.EACCES),
    (Unauthorized, PermissionError, errno.EACCES),
)


def as_os_error(error: SbgError, path: str) -> OSError:
    """The ``OSError`` that says what ``error`` (or the error it was raised
    from, as transfers wrap theirs) means for ``path``."""
    cause: BaseException | None = error
    while cause is not None:
        for sdk_error, os_error, number in _BY_ERROR:
            if isinstance(cause, sdk_error):
                return os_error(number, str(cause.message or cause), path)
        cause = cause.__cause__
    return OSError(errno.EIO, str(error), path)


@contextmanager
def os_errors(path: str) -> Iterator[None]:
    """Within the block, an :class:`~sevenbridges.errors.SbgError` is
    raised as the ``OSError`` it means for ``path``."""
    try:
        yield
    except SbgError as error:
        raise as_os_error(error, path) from error


def not_found(path: str) -> FileNotFoundError:
    return FileNotFoundError(errno.ENOENT, 'No such file or folder', path)


def is_a_folder(path: str) -> IsADirectoryError:
    return IsADirectoryError(errno.EISDIR, 'Is a folder', path)


def not_a_folder(path: str) -> NotADirectoryError:
    return NotADirectoryError(errno.ENOTDIR, 'Not a folder', path)


def exists(path: str) -> FileExistsError:
    return FileExistsError(errno.EEXIST, 'Already exists', path)
