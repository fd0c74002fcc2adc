"""The options of a transfer, checked once: bytes per part, attempts per
part, seconds per storage request, files in flight and the progress
callback (as s3transfer's ``TransferConfig``).

An upload, a download and a folder transfer each make one
:class:`TransferOptions` of what the caller gave, and hand it on: the
transfers that a folder transfer or ``File.upload``/``File.download``
start take it as it is, without checking it again.
"""
from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import (
    check_attempts,
    check_callback,
    check_part_size,
    check_seconds,
    check_workers,
)
from sevenbridges.meta.value import Value
from sevenbridges.models.enums import PartSize

__all__ = ['TransferOptions', 'DEFAULT_ATTEMPTS', 'DEFAULT_TIMEOUT']

#: Attempts per part when none (or 0) is given, as the reference reads it.
DEFAULT_ATTEMPTS = 6

#: Seconds per storage request when none (or 0) is given.
DEFAULT_TIMEOUT = 300


class TransferOptions(Value):
    """How a transfer moves its parts.

    :param part_size: bytes per part (``None``: chosen for the file's size).
    :param retry_count: attempts per part (``None`` or 0: 6).
    :param timeout: seconds per storage request (``None`` or 0: 300).
    :param workers: files in flight at once, for folder transfers
        (``None``: the client's pool's workers).
    :param progress: the progress callback of a folder transfer.
    :param names: the caller's names of these parameters where they differ
        (``{'part_size': 'chunk_size', 'retry_count': 'retry'}``), for the
        error messages.
    :raises ValidationError: naming the parameter, for a part size that is
        not a positive integer, a negative or fractional number of
        attempts, a timeout that is not a number of seconds, workers that
        are not a positive integer, or a progress callback that is not
        callable.
    """
    _SETTINGS = ('part_size', 'retry_count', 'timeout', 'workers',
                 'progress')

    part_size: Optional[int]
    retry_count: Optional[int]
    timeout: Optional[float]
    workers: Optional[int]
    progress: Optional[Callable[..., Any]]

    def __init__(self, part_size: Optional[int] = None,
                 retry_count: Optional[int] = None,
                 timeout: Optional[float] = None,
                 workers: Optional[int] = None,
                 progress: Optional[Callable[..., Any]] = None,
                 names: Optional[Mapping[str, str]] = None) -> None:
        named = dict(names or {})

        def name(parameter: str) -> str:
            return named.get(parameter, parameter)

        check_callback(name('progress'), progress)
        workers = check_workers(name('workers'), workers)
        check_part_size(name('part_size'), part_size)
        check_attempts(name('retry_count'), retry_count)
        check_seconds(name('timeout'), timeout, optional=True)
        self._set(part_size=part_size, retry_count=retry_count,
                  timeout=timeout, workers=workers, progress=progress)

    @classmethod
    def of_folders(cls, progress: Any = None, workers: Any = None,
                   part_size: Any = None, retry: Any = 6,
                   timeout: Any = 300) -> TransferOptions:
        """The options of a folder transfer, in the order and with the
        names of its parameters (``retry`` for attempts)."""
        return cls(part_size, retry, timeout, workers, progress,
                   names={'retry_count': 'retry'})

    @property
    def attempts(self) -> int:
        """Attempts per part (the default for ``None`` or 0)."""
        return self.retry_count or DEFAULT_ATTEMPTS

    @property
    def seconds(self) -> float:
        """Seconds per storage request (the default for ``None`` or 0)."""
        return self.timeout or DEFAULT_TIMEOUT

    def check_download(self) -> TransferOptions:
        """These options, when a download can use them.

        :raises SbgError: for a part size under 5 MiB (the reference's
            message).
        """
        if self.part_size and \
                self.part_size < PartSize.DOWNLOAD_MINIMUM_PART_SIZE:
            raise SbgError(f'Part size is too small! Minimum get_parts size '
                           f'is {PartSize.DOWNLOAD_MINIMUM_PART_SIZE}')
        return self
