"""Reading a platform file that may still grow: a job's log.

A :class:`LogReader` remembers how many bytes of the file it has read and
asks the storage only for the bytes after them (``Range: bytes=<offset>-``):
206 brings new bytes, 416 says there are none yet. Requests go through a
storage session of the transfer layer, which never carries the API token;
the signed URL comes from the file's ``download_info`` and is asked for
again when the storage refuses it (it expired). Bytes become text through
an incremental decoder, so that a character whose bytes arrive in two reads
is decoded whole.
"""
from __future__ import annotations

import codecs
import logging
from typing import TYPE_CHECKING, Iterator

import requests

from sevenbridges.errors import SbgError, ValidationError
from sevenbridges.transfer.download import _HEADERS
from sevenbridges.transfer.sessions import storage_session

if TYPE_CHECKING:
    from sevenbridges._types import Api

__all__ = ['LogReader', 'check_encoding']

logger = logging.getLogger(__name__)

#: Bytes handed out at a time while a read streams the storage's answer.
CHUNK_SIZE = 1024 * 1024
#: Seconds per storage request when the client has no timeout.
STORAGE_TIMEOUT = 60.0
#: Storage answers that mean the signed URL is no longer good.
_REFUSED_URL = (401, 403, 404, 410)


def check_encoding(encoding: object) -> str:
    """``encoding`` when Python knows it.

    :raises ValidationError: naming the parameter otherwise.
    """
    try:
        if not isinstance(encoding, str):
            raise LookupError(encoding)
        codecs.lookup(encoding)
    except LookupError:
        raise ValidationError(f'encoding must be the name of a text '
                              f'encoding, not {encoding!r}.') from None
    return encoding


class LogReader:
    """The text of a platform file, read piece by piece as the file grows.

    Close it (or use it in a ``with`` block) to release its connections.

    :param api: the client (its ``download_info`` calls, and the settings
        of the storage session).
    :param file_id: the file's id.
    :param encoding: the text's encoding; bytes that are not valid in it
        read as U+FFFD.
    """

    def __init__(self, api: Api, file_id: str, encoding: str = 'utf-8'):
        self._api = api
        self.file_id = file_id
        self._decoder = codecs.getincrementaldecoder(
            check_encoding(encoding))(errors='replace')
        self._session: requests.Session | None = None
        self._url: str | None = None
        #: Bytes read so far.
        self.offset = 0

    def __repr__(self) -> str:
        return f'<LogReader: file={self.file_id}, offset={self.offset}>'

    def __enter__(self) -> LogReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the storage connections."""
        if self._session is not None:
            self._session.close()
            self._session = None

    def read(self) -> str:
        """The text added since the last read (``''`` when nothing is
        new)."""
        return ''.join(self.iter_new())

    def iter_new(self, chunk_size: int = CHUNK_SIZE) -> Iterator[str]:
        """The text added since the last read, in pieces of at most
        ``chunk_size`` bytes (each decoded: nothing is held back but the
        bytes of a character that is not complete yet).

        :raises SbgError: when the storage answers an error.
        """
        response = self._request_new_bytes()
        if response is None:
            return
        with response:
            skip = self.offset if response.status_code == 200 else 0
            for chunk in response.iter_content(chunk_size):
                if skip:  # the whole object came back: drop what was read
                    dropped = min(skip, len(chunk))
                    chunk, skip = chunk[dropped:], skip - dropped
                if not chunk:
                    continue
                self.offset += len(chunk)
                text = self._decoder.decode(chunk)
                if text:
                    yield text

    def finish(self) -> str:
        """What is left in the decoder once the file has ended (the
        replacement character for an incomplete last character)."""
        return self._decoder.decode(b'', final=True)

    # -- storage --------------------------------------------------------------

    def _storage(self) -> requests.Session:
        if self._session is None:
            self._session = storage_session(self._api, 2)
        return self._session

    def _signed_url(self, renew: bool = False) -> str:
        if self._url is None or renew:
            self._url = self._api.files(api=self._api, id=self.file_id) \
                .download_info().url
        return self._url

    def _get(self, url: str) -> requests.Response:
        timeout = getattr(self._api, 'timeout', None) or STORAGE_TIMEOUT
        try:
            return self._storage().get(
                url, headers=dict(_HEADERS, Range=f'bytes={self.offset}-'),
                stream=True, timeout=timeout)
        except requests.RequestException as e:
            raise SbgError(f'Reading the log file {self.file_id} failed: '
                           f'{e}') from e

    def _request_new_bytes(self) -> requests.Response | None:
        """The storage's answer with the bytes after :attr:`offset`, or
        ``None`` when there are none."""
        response = self._get(self._signed_url())
        if response.status_code in _REFUSED_URL:
            response.close()
            logger.debug('Storage refused the URL of log file %s (HTTP %d)'
                         ': asking for a new one', self.file_id,
                         response.status_code)
            response = self._get(self._signed_url(renew=True))
        status = response.status_code
        if status == 416:
            response.close()
            return None
        if status == 206:
            expected = f'bytes {self.offset}-'
            if response.headers.get('Content-Range', '').startswith(expected):
                return response
        elif status == 200:
            return response
        response.close()
        raise SbgError(f'Reading the log file {self.file_id} from byte '
                       f'{self.offset} failed: HTTP {status} '
                       f'{response.headers.get("Content-Range", "")}'.strip())
