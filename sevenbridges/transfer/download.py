"""Multipart downloads: :class:`Download`.

A download runs in its own thread; ranged GETs of its parts run in
parallel on the client's ``download_pool`` and are written at their offsets
into a temporary file beside the target (``<target>.<hash>``). Every answer
must be the requested range (206 and ``Content-Range``); a part that fails
is retried with back-off. Only when every byte is there (the size checked)
is the temporary file renamed to the target, so a failed or stopped
download leaves no file under the target name and removes its temporary
file. A journal beside the temporary file (``<temporary>.parts``) lets a
new process continue a download that a crash interrupted.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
from typing import TYPE_CHECKING

import requests

from sevenbridges.errors import SbgError
from sevenbridges.models.enums import PartSize, TransferState
from sevenbridges.transfer import _control

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.transfer._control import TransferInterface as _Thread
else:
    _Thread = threading.Thread
from sevenbridges.transfer.utils import Part

logger = logging.getLogger(__name__)

#: Bytes per ranged request when no part size is given.
DEFAULT_PART_SIZE = 8 * PartSize.MB

_CONTENT_RANGE = re.compile(r'bytes (\d+)-(\d+)/(\d+|\*)')
_UNSATISFIABLE = re.compile(r'bytes \*/(\d+)')


def _probe_once(session, url, timeout):
    """The size of the object at ``url``, from a one-byte ranged GET."""
    try:
        response = session.get(url, headers={'Range': 'bytes=0-0'},
                               stream=True, timeout=timeout)
    except requests.RequestException as e:
        raise SbgError(str(e)) from e
    with response:
        content_range = response.headers.get('Content-Range', '')
        if response.status_code == 206:
            match = _CONTENT_RANGE.match(content_range)
            if match and match.group(3) != '*':
                return int(match.group(3))
        elif response.status_code == 416:
            match = _UNSATISFIABLE.match(content_range)
            if match:
                return int(match.group(1))
        elif response.status_code == 200:
            length = response.headers.get('Content-Length')
            if length is not None:
                return int(length)
            raise SbgError('Server did not provide Content-Length Headers!')
        raise SbgError(f'Unable to get the size of the file: HTTP '
                       f'{response.status_code}')


def _probe_size(session, url, timeout, retries):
    """:func:`_probe_once`, retried with back-off."""
    for attempt in range(1, retries + 1):
        try:
            return _probe_once(session, url, timeout)
        except SbgError:
            if attempt == retries:
                raise
            _control.backoff(attempt)


class DPartedFile:
    """The parts of a download and their transfer: each part is a ranged
    GET written at its offset of the temporary file, by the download pool,
    at most ``pool workers`` parts at a time. Iterating yields a
    :class:`~sevenbridges.transfer.utils.Part` as each completes."""

    def __init__(self, file_path, session, url, file_size, part_size,
                 timeout, pool):
        self.file_path = file_path
        self.session = session
        self.url = url
        self.file_size = file_size
        self.part_size = part_size
        self.timeout = timeout
        self.pool = pool
        self.transfer = None
        self.parts = _control.part_layout(file_size, part_size) \
            if file_size else []
        self.total = len(self.parts)
        self.submitted = set()
        self.total_submitted = 0
        self._waiting = None

    def get_parts(self):
        """The parts as :class:`~sevenbridges.transfer.utils.Part`."""
        return [Part(start=offset, size=size)
                for _, offset, size in self.parts]

    submit = _control.submit_part
    done = _control.parts_started
    __iter__ = _control.iterate_parts

    def _fetch(self, offset, size):
        end = offset + size - 1
        try:
            response = self.session.get(
                self.url, headers={'Range': f'bytes={offset}-{end}'},
                stream=True, timeout=self.timeout)
        except requests.RequestException as e:
            raise SbgError(f'Failed to download file. Response: {e}') from e
        with response:
            if response.status_code == 206:
                expected = f'bytes {offset}-{end}/'
                if not response.headers.get('Content-Range', '').startswith(
                        expected):
                    raise SbgError(
                        f'Storage answered another range than bytes '
                        f'{offset}-{end}: '
                        f'{response.headers.get("Content-Range")}')
            elif not (response.status_code == 200 and offset == 0
                      and size == self.file_size):
                raise SbgError(f'Failed to download file. Response: HTTP '
                               f'{response.status_code} for bytes '
                               f'{offset}-{end}')
            written = 0
            fd = os.open(self.file_path, os.O_WRONLY)
            try:
                for chunk in response.iter_content(_control.IO_CHUNK):
                    if written + len(chunk) > size:
                        raise SbgError('Storage sent more bytes than asked.')
                    os.pwrite(fd, chunk, offset + written)
                    written += len(chunk)
            finally:
                os.close(fd)
        if written != size:
            raise SbgError(f'Storage sent {written} of the {size} bytes at '
                           f'{offset}.')

    def _transfer(self, part):
        number, offset, size = part

        def attempt():
            self._fetch(offset, size)
            self.transfer._part_stored(number)
            return Part(start=offset, size=size)

        return _control.with_retries(
            self.transfer, self.transfer._retry_count,
            f'Download failed! Part {number}', attempt,
            (SbgError, OSError, requests.RequestException))


@_control.transfer_class
class Download(_Thread):
    """Download a storage URL to a local file.

    ::

        download = file.download('reads.copy.fastq', wait=False)
        download.add_progress_callback(simple_progress_bar)
        download.start()
        download.wait()      # raises the error if the download failed

    :param url: the (signed) storage URL.
    :param file_path: the local file to write.
    :param part_size: bytes per ranged request (at least 5 MiB; default
        8 MiB).
    :param retry_count: attempts per part (default 6).
    :param timeout: seconds per storage request (default 300).
    :param api: the client (its download pool and pool settings are used;
        its credentials are never sent to storage).
    """
    _kind = 'Download'

    def __init__(
            self, url: str, file_path: str, part_size: int | None = None,
            retry_count: int | None = None, timeout: float | None = None,
            api: Api | None = None) -> None:
        threading.Thread.__init__(self)
        self.daemon = True
        _control.init_control(self)
        if api is None:
            raise SbgError('Api instance missing.')
        if part_size and part_size < PartSize.DOWNLOAD_MINIMUM_PART_SIZE:
            self._status = TransferState.FAILED
            raise SbgError(f'Part size is too small! Minimum get_parts size '
                           f'is {PartSize.DOWNLOAD_MINIMUM_PART_SIZE}')
        self.url = url
        self._api = api
        self._file_path = file_path
        digest = hashlib.sha1(file_path.encode('utf-8')).hexdigest()[:10]
        self._temp_file = f'{file_path}.{digest}'
        self._journal = f'{self._temp_file}.parts'
        self._part_size = part_size or DEFAULT_PART_SIZE
        self._retry_count = retry_count or 6
        self._timeout = timeout or 300
        self._session = _control.storage_session(api, self._retry_count)
        self._file_size = _probe_size(self._session, url, self._timeout,
                                      self._retry_count)
        self._stored_parts: set[int] = set()
        self._journal_lock = threading.Lock()
        self._total_parts = len(_control.part_layout(
            self._file_size, self._part_size)) if self._file_size else 0

    @property
    def path(self) -> str:
        """The target file."""
        return self._file_path

    # -- the temporary file and its journal -----------------------------------------

    def _prepare_temporary_file(self):
        """Continue from a journal of the same size and part size, else
        start a new temporary file of the full size."""
        journal = _control.read_journal(self._journal)
        if (journal and journal.get('size') == self._file_size
                and journal.get('part_size') == self._part_size
                and os.path.exists(self._temp_file)):
            self._stored_parts = set(journal.get('parts', []))
            logger.info('Continuing download of %s: %s parts stored',
                        self._file_path, len(self._stored_parts))
        else:
            self._stored_parts = set()
            with open(self._temp_file, 'wb'):
                pass  # parts are written at their offsets
        for number, _offset, size in _control.part_layout(self._file_size,
                                                         self._part_size):
            if number in self._stored_parts:
                self._bytes_done += size
                self._parts_done += 1
        self._write_journal()

    def _write_journal(self):
        with self._journal_lock:
            _control.write_journal(self._journal, {
                'size': self._file_size, 'part_size': self._part_size,
                'parts': sorted(self._stored_parts)})

    def _part_stored(self, number):
        with self._journal_lock:
            self._stored_parts.add(number)
        self._write_journal()

    def _remove_temporary_files(self):
        _control.remove_quietly(self._temp_file)
        _control.remove_quietly(self._journal)

    def _clean_up_stopped(self):
        if self._status not in (TransferState.COMPLETED,
                                TransferState.FAILED):
            self._remove_temporary_files()

    def _part_done(self, part):
        _control.part_done(self, part.size)

    # -- the thread --------------------------------------------------------------------

    def run(self):
        """Transfer the file (called in the download's thread by
        :meth:`start`; called directly, it raises the error of a failed
        download)."""
        _control.begin(self)
        try:
            self._prepare_temporary_file()
            parted = DPartedFile(
                file_path=self._temp_file, session=self._session,
                url=self.url, file_size=self._file_size,
                part_size=self._part_size, timeout=self._timeout,
                pool=self._api.download_pool)
            parted.transfer = self
            for part in parted:
                self._part_done(part)
            if self._stop_signal:
                return
            _control.check_all_parts_stored(self, self._file_path)
            actual = os.path.getsize(self._temp_file)
            if actual != self._file_size:
                raise SbgError(f'Downloaded {actual} bytes instead of '
                               f'{self._file_size}.')
            try:
                os.replace(self._temp_file, self._file_path)
            except OSError as e:
                raise SbgError(f'Unable to rename the file due to an error: '
                               f'{e}.') from e
        except Exception as e:  # every failure ends the download the same way
            self._handle_failure(e)
            return
        _control.remove_quietly(self._journal)
        _control.finish(self)

    def _handle_failure(self, exception):
        error = exception if isinstance(exception, SbgError) \
            else SbgError(f'Download failed! {exception}')
        _control.fail(self, error)
        self._remove_temporary_files()
        if self._errorback:
            self._errorback(error)
        if threading.current_thread() is not self:
            raise error
