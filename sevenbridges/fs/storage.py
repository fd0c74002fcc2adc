"""Reads of a file's bytes from its signed storage URL: ranged ``GET`` requests on
a storage session (which never carries the API token), the URL fetched
once per open file and renewed when the storage says it expired.
"""
from __future__ import annotations

import ctypes
import errno
import http.client
import sys
import threading
from concurrent.futures import Executor, wait
from typing import Any, Callable, Tuple

import requests
import urllib3

from sevenbridges.errors import SbgError
from sevenbridges.transfer._fileio import IO_CHUNK
from sevenbridges.transfer.retries import with_retries

#: Attempts of one ranged read (connection errors and 5xx answers).
ATTEMPTS = 4
#: Bytes of one ranged GET when a large read is split among threads.
PART = 64 * 1024 * 1024
#: The storage answers of a URL that expired (or whose signature is no
#: longer accepted): the URL is renewed and the read tried again.
_EXPIRED = (401, 403)
_RETRYABLE = (requests.RequestException, http.client.HTTPException,
              urllib3.exceptions.HTTPError, ConnectionError, TimeoutError)
#: Ranges are of the stored bytes, never of a compressed form.
_HEADERS = {'Accept-Encoding': 'identity'}


#: Reads larger than this are received straight into the ``bytes`` object
#: returned (see :func:`filled_bytes`); smaller ones into a ``bytearray``
#: copied once, which costs little at their size.
DIRECT_MIN = 1024 * 1024


def _c_api() -> Tuple[Any, Any] | None:
    """CPython's ``PyBytes_FromStringAndSize`` and ``PyBytes_AsString``
    as private ctypes prototypes (the shared ``ctypes.pythonapi``
    attributes are not changed), or ``None`` on another interpreter."""
    if sys.implementation.name != 'cpython':
        return None
    try:
        pythonapi = ctypes.pythonapi
        new = ctypes.PYFUNCTYPE(ctypes.py_object, ctypes.c_void_p,
                                ctypes.c_ssize_t)(
            ('PyBytes_FromStringAndSize', pythonapi))
        address = ctypes.PYFUNCTYPE(ctypes.c_void_p, ctypes.py_object)(
            ('PyBytes_AsString', pythonapi))
    except (AttributeError, OSError):
        return None
    return new, address


#: ``(new, address)`` of :func:`_c_api`; ``None``: :func:`filled_bytes`
#: fills a ``bytearray`` and copies it.
_C_API = _c_api()


def filled_bytes(length: int, fill: Callable[[memoryview], None]) -> bytes:
    """A new ``bytes`` object of ``length`` bytes, filled by
    ``fill(view)``, ``view`` a writable ``memoryview`` (format ``'B'``) of
    ``length`` bytes.

    Above :data:`DIRECT_MIN` bytes on CPython, ``view`` is the memory of
    the ``bytes`` object itself: made by the C-API's
    ``PyBytes_FromStringAndSize(NULL, length)`` ("contents
    uninitialized": the caller fills them before anyone else sees the
    object), so no second allocation of ``length`` bytes and no copy. It
    is sound only because the object is new, referenced by nobody else
    until this function returns it (nor hashed: its hash is computed when
    first asked for), and because ``fill`` keeps its contract:

    ``fill`` must not leave (return or raise) while anything it started may
    still write into ``view`` (a thread reading into a slice of it): the
    memory of a ``bytes`` object must never change once it is shared.

    Elsewhere (another interpreter, small sizes; size 0 and 1 may be shared
    singletons) ``view`` is of a ``bytearray``, copied into the ``bytes``
    returned.
    """
    if _C_API is None or length <= DIRECT_MIN:
        buffer = bytearray(length)
        with memoryview(buffer) as view:
            fill(view)
        return bytes(buffer)
    new, address = _C_API
    result = new(None, length)
    memory = (ctypes.c_char * length).from_address(address(result))
    # every view of ``memory`` (and slice of one) keeps the object alive,
    # should a view outlive a broken contract
    memory.owner = result  # type: ignore[attr-defined]
    with memoryview(memory) as raw, raw.cast('B') as view:
        fill(view)
    return result


class _ServerError(SbgError):
    """A 5xx answer of the storage (tried again)."""


class SignedUrl:
    """The storage URL of one file: asked of the API (``fetch()``) when
    first needed, then kept; :meth:`renew` asks again. Kept only by the
    open file, never in ``info``, ``ukey`` nor a pickle.

    :param fetch: returns a new signed URL.
    """

    def __init__(self, fetch: Callable[[], str]) -> None:
        self._fetch = fetch
        self._url: str | None = None
        self._lock = threading.Lock()

    def get(self) -> str:
        with self._lock:
            if self._url is None:
                self._url = self._fetch()
            return self._url

    def renew(self, expired: str) -> str:
        """A new URL, unless another thread renewed ``expired`` already."""
        with self._lock:
            if self._url == expired or self._url is None:
                self._url = self._fetch()
            return self._url

    def __repr__(self) -> str:
        return '<SignedUrl>'   # never the URL: it grants access


def _get_range(session: requests.Session, url: SignedUrl, start: int,
               into: memoryview, timeout: float | None, path: str) -> None:
    """Fill ``into`` with the bytes from ``start``; one renewal of an
    expired URL."""
    address = url.get()
    for renewed in (False, True):
        end = start + len(into) - 1
        response = session.get(address, stream=True, timeout=timeout,
                               headers=dict(_HEADERS,
                                            Range=f'bytes={start}-{end}'))
        with response:
            status = response.status_code
            if status in _EXPIRED and not renewed:
                address = url.renew(address)
                continue
            if status >= 500:
                raise _ServerError(f'HTTP {status}')
            if status == 404:
                raise FileNotFoundError(errno.ENOENT, 'The file is gone '
                                        'from the storage', path)
            if status != 206 and not (status == 200 and start == 0):
                raise OSError(errno.EIO, f'The storage answered HTTP '
                              f'{status} for bytes {start}-{end}', path)
            _read_body(response, into, path)
            return


def _read_body(response: requests.Response, into: memoryview,
               path: str) -> None:
    """Read the body into ``into``: from the socket straight into it (the
    raw HTTP response's ``readinto``, as downloads read theirs), a
    compressed body through ``requests``' decoding."""
    raw = getattr(response.raw, '_fp', None)
    encoding = response.headers.get('Content-Encoding', 'identity').lower()
    filled = 0
    if raw is None or not hasattr(raw, 'readinto') or encoding != 'identity':
        for chunk in response.iter_content(IO_CHUNK):
            count = min(len(chunk), len(into) - filled)
            into[filled:filled + count] = chunk[:count]
            filled += count
            if filled == len(into):
                break
    else:
        while filled < len(into):
            count = raw.readinto(into[filled:filled + IO_CHUNK])
            if not count:
                break
            filled += count
    if filled < len(into):
        raise OSError(errno.EIO, f'The storage sent {filled} of '
                      f'{len(into)} bytes', path)


def read_range(session: requests.Session, url: SignedUrl, start: int,
               into: memoryview, path: str, timeout: float | None = None,
               ) -> None:
    """Fill ``into`` with the file's bytes from ``start`` (retried with
    back-off on connection errors and 5xx answers).

    :raises FileNotFoundError: the storage no longer has the file.
    :raises OSError: any other failure.
    """
    if not len(into):
        return
    try:
        with_retries(lambda: _get_range(session, url, start, into, timeout,
                                        path),
                     ATTEMPTS, _RETRYABLE + (_ServerError,),
                     f'Reading {path}', raise_last=True)
    except (_ServerError, *_RETRYABLE) as error:
        raise OSError(errno.EIO, f'Reading failed: {error}', path) from error


def read_parallel(session: requests.Session, url: SignedUrl, start: int,
                  length: int, path: str, pool: Executor,
                  timeout: float | None = None) -> bytes:
    """``length`` bytes from ``start``, in ranged GETs of :data:`PART`
    bytes run on ``pool``, each read into its place of the ``bytes``
    returned (:func:`filled_bytes`: no copy).

    On a failure (or an interruption) the reads not started are cancelled
    and the running ones waited for before the error leaves: no thread
    writes into the memory after this returns or raises.
    """
    def fill(view: memoryview) -> None:
        futures = [pool.submit(read_range, session, url, start + offset,
                               view[offset:offset + PART], path, timeout)
                   for offset in range(0, length, PART)]
        try:
            for future in futures:
                future.result()
        finally:
            for future in futures:
                future.cancel()
            wait(futures)

    return filled_bytes(length, fill)


def read_bytes(session: requests.Session, url: SignedUrl, start: int,
               length: int, path: str, timeout: float | None = None,
               ) -> bytes:
    """``length`` bytes from ``start`` in one ranged GET (this thread),
    read into the ``bytes`` returned (:func:`filled_bytes`)."""
    return filled_bytes(length, lambda view: read_range(
        session, url, start, view, path, timeout))
