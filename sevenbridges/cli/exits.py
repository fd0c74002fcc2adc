"""Exit statuses of ``sbg`` and the one-line message of each failure.

=====  ==================================================================
0      success
1      any other error of the platform or the SDK
2      usage: a bad option, argument or local path (click's own status),
       or a target that exists (nothing is replaced unless asked)
3      not found: a project, file, app or task that does not exist
4      permission: a missing or wrong token, or no access
5      transfer: one or more files were not moved
130    interrupted (Ctrl-C); transfers resume when the command is run again
=====  ==================================================================
"""
from __future__ import annotations

from sevenbridges import errors

OK = 0
ERROR = 1
USAGE = 2
NOT_FOUND = 3
PERMISSION = 4
TRANSFER = 5
INTERRUPTED = 130


class TransferFailed(errors.SbgError):
    """Some files of a transfer failed (the command's report names them)."""


class TargetExists(errors.SbgError):
    """A file or folder of that name is there (and nothing asked to
    replace it)."""


def status_of(error: BaseException) -> int:
    """The exit status for ``error``."""
    if isinstance(error, errors.NotFound):
        return NOT_FOUND
    if isinstance(error, (errors.Unauthorized, errors.Forbidden)):
        return PERMISSION
    if isinstance(error, TransferFailed):
        return TRANSFER
    if isinstance(error, (ValueError, TypeError, errors.ValidationError,
                          errors.LocalFileAlreadyExists, TargetExists)):
        return USAGE
    return ERROR


def message_of(error: BaseException) -> str:
    """One line for ``error``: the platform's message, without traceback."""
    text = getattr(error, 'message', None) or str(error) or \
        type(error).__name__
    first = str(text).strip().splitlines()
    return first[0] if first else type(error).__name__
