"""Multipart downloads: :class:`Download`.

A download runs in its own thread; ranged GETs of its parts run in
parallel on the client's ``download_pool`` (as many as its
:class:`~sevenbridges.transfer._window.PartWindow` says) and are read from
the socket into one reusable buffer per part and written at their offsets
into a temporary file beside the target (``<target>.<hash>``): no copy of
the bytes is made in between. A large file on a block device has its
room reserved first and is written with ``O_DIRECT`` from
page-aligned buffers (see :mod:`sevenbridges.transfer._fileio`). Every
answer must be the requested range (206 and ``Content-Range``) of the same
version of the object; a part that fails is retried with back-off. Only
when every byte is there (every part's count and the file's size checked)
is the temporary file renamed to the target, so a failed or stopped download
leaves no file under the target name and removes its temporary file.

A journal beside the temporary file (``<temporary>.parts``) lets a new
process continue a download of several parts that a crash interrupted. It
records what is downloaded: the file (its id, else the storage URL without
its signature), its version (the storage's ``ETag``, else
``Last-Modified``, else the file's size and ``modified_on``), the size and
the part size. A download continues
only when all of them are the same, and starts over otherwise.

A download gets a storage session (a pool of connections) of its own,
unless it is made inside :func:`sessions.sharing_storage_session
<sevenbridges.transfer.sessions.sharing_storage_session>`, as the folder
transfers make theirs: their files then share one session.
"""
from __future__ import annotations

import hashlib
import http.client
import logging
import os
import re
import threading
from typing import TYPE_CHECKING, Callable
from urllib.parse import urlsplit

import requests
import urllib3

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import check_download_path
from sevenbridges.models.enums import PartSize, TransferState
from sevenbridges.transfer import journals, scheduling
from sevenbridges.transfer._fileio import (
    DIRECT_ALIGNMENT,
    DIRECT_MINIMUM,
    IO_CHUNK,
    Buffers,
    PositionalFile,
    fill,
)
from sevenbridges.transfer.controller import TransferController, controlled
from sevenbridges.transfer.options import TransferOptions
from sevenbridges.transfer.parts import (
    buffer_size,
    count_parts,
    download_part_size,
    part_layout,
)
from sevenbridges.transfer.retries import with_retries
from sevenbridges.transfer.sessions import transfer_session
from sevenbridges.transfer.utils import Part

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.transfer.controller import TransferInterface as _Thread
else:
    _Thread = threading.Thread

logger = logging.getLogger(__name__)

#: Headers of every storage request of a download: ranges are of the
#: stored bytes, never of a compressed form.
_HEADERS = {'Accept-Encoding': 'identity'}

#: What a failed ranged GET can raise.
_RETRYABLE = (SbgError, OSError, requests.RequestException,
              http.client.HTTPException, urllib3.exceptions.HTTPError)

_CONTENT_RANGE = re.compile(r'bytes (\d+)-(\d+)/(\d+|\*)')
_UNSATISFIABLE = re.compile(r'bytes \*/(\d+)')


def temporary_path(file_path: str) -> str:
    """The temporary file a download of ``file_path`` writes before it
    renames it: ``<file_path>.<first 10 hex digits of sha1(file_path)>``
    (its journal adds ``.parts``)."""
    digest = hashlib.sha1(file_path.encode('utf-8')).hexdigest()[:10]
    return f'{file_path}.{digest}'


class _SourceChanged(SbgError):
    """The object changed on the storage during the download (not
    retried)."""


def _version_of(response):
    """The object's version in a storage answer: its ``ETag``, else its
    ``Last-Modified`` (``None`` when it has neither)."""
    headers = response.headers
    etag = headers.get('ETag')
    if etag:
        return f'etag:{etag}'
    modified = headers.get('Last-Modified')
    return f'modified:{modified}' if modified else None


def _probe_once(session, url, timeout):
    """The size and version of the object at ``url``, from a one-byte
    ranged GET."""
    try:
        response = session.get(url, headers=dict(_HEADERS, Range='bytes=0-0'),
                               stream=True, timeout=timeout)
    except requests.RequestException as e:
        raise SbgError(str(e)) from e
    with response:
        version = _version_of(response)
        content_range = response.headers.get('Content-Range', '')
        if response.status_code == 206:
            match = _CONTENT_RANGE.match(content_range)
            if match and match.group(3) != '*':
                return int(match.group(3)), version
        elif response.status_code == 416:
            match = _UNSATISFIABLE.match(content_range)
            if match:
                return int(match.group(1)), version
        elif response.status_code == 200:
            length = response.headers.get('Content-Length')
            if length is not None:
                return int(length), version
            raise SbgError('Server did not provide Content-Length Headers!')
        raise SbgError(f'Unable to get the size of the file: HTTP '
                       f'{response.status_code}')


def _probe(session, url, timeout, retries):
    """:func:`_probe_once`, retried with back-off (the last error is
    raised as it is)."""
    return with_retries(lambda: _probe_once(session, url, timeout), retries,
                        SbgError, 'Reading the size of the file',
                        raise_last=True)


def _copy_body(response, size, write, moved, buffer):
    """Read the body of ``response`` (``size`` bytes expected) and hand it to
    ``write(view, position)`` block by block; ``moved(count)`` after each.

    The body is read from the socket straight into ``buffer`` (the raw HTTP
    response's ``readinto``); a compressed body goes through ``requests``'
    decoding instead.

    :return: the bytes read.
    :raises SbgError: when the body is longer than ``size``.
    """
    raw = getattr(response.raw, '_fp', None)
    encoding = response.headers.get('Content-Encoding', 'identity').lower()
    if raw is None or not hasattr(raw, 'readinto') or encoding != 'identity':
        written = 0
        for chunk in response.iter_content(IO_CHUNK):
            if written + len(chunk) > size:
                raise SbgError('Storage sent more bytes than asked.')
            write(memoryview(chunk), written)
            written += len(chunk)
            moved(len(chunk))
        return written
    written = 0
    while True:
        # one byte more than expected shows a body that is too long
        wanted = min(len(buffer), size - written + 1)
        count = fill(raw, buffer[:wanted])
        if not count:
            break
        if written + count > size:
            raise SbgError('Storage sent more bytes than asked.')
        write(buffer[:count], written)
        written += count
        moved(count)
        if count < wanted:
            break   # the end of the body
    release = getattr(response.raw, 'release_conn', None)
    if release is not None:
        release()  # the body was read to its end: the connection is reusable
    return written


class DPartedFile:
    """The parts of a download and their transfer: each part is a ranged
    GET written at its offset of the temporary file, by the download pool,
    as many at a time as :attr:`window` says. Iterating yields a
    :class:`~sevenbridges.transfer.utils.Part` as each completes.

    ``file_path`` is opened (a
    :class:`~sevenbridges.transfer._fileio.PositionalFile`, :attr:`target`)
    when the first part starts; its owner closes it.
    """

    def __init__(self, file_path, session, url, file_size, part_size,
                 timeout, pool):
        self.file_path = file_path
        self.session = session
        self.url = url
        self.file_size = file_size
        self.part_size = part_size
        self.timeout = timeout
        self.pool = pool
        self.target = None
        self.transfer = None
        self.version = None
        self.parts = part_layout(file_size, part_size) if file_size else []
        self.total = len(self.parts)
        self.scheduler = scheduling.PartScheduler(self.parts, pool,
                                                  self._transfer)
        self.window = self.scheduler.window
        # O_DIRECT writes (see _fileio) for large files whose parts start
        # on pages
        self.direct = file_size >= DIRECT_MINIMUM and \
            not part_size % DIRECT_ALIGNMENT
        self.buffers = Buffers(buffer_size(file_size), aligned=self.direct)
        self._lock = threading.Lock()

    def get_parts(self):
        """The parts as :class:`~sevenbridges.transfer.utils.Part`."""
        return [Part(start=offset, size=size)
                for _, offset, size in self.parts]

    submit = scheduling.submit_part
    done = scheduling.all_started
    __iter__ = scheduling.completed_parts

    def _target(self):
        with self._lock:
            if self.target is None:
                self.target = PositionalFile(self.file_path, writable=True,
                                             direct=self.direct)
            return self.target

    def open_target(self):
        """Open the temporary file before the first part; one written with
        ``O_DIRECT`` gets its blocks allocated at once (a full disk fails
        the download before any part, and the blocks are allocated in one
        go, not by sixteen writers).

        :raises SbgError: when the disk has no room for the file.
        """
        target = self._target()
        if target.direct:
            try:
                target.reserve(self.file_size)
            except OSError as e:
                raise SbgError(f'No room for {self.file_size} bytes at '
                               f'{self.file_path}: {e}') from e

    def _check_answer(self, response, offset, end):
        if response.status_code == 206:
            content_range = response.headers.get('Content-Range', '')
            match = _CONTENT_RANGE.match(content_range)
            if match and match.group(3).isdigit() and \
                    int(match.group(3)) != self.file_size:
                raise _SourceChanged(
                    f'The file changed on the storage: it has '
                    f'{match.group(3)} bytes, not {self.file_size}.')
            if not content_range.startswith(f'bytes {offset}-{end}/'):
                raise SbgError(
                    f'Storage answered another range than bytes '
                    f'{offset}-{end}: {content_range}')
        elif not (response.status_code == 200 and offset == 0
                  and end == self.file_size - 1):
            raise SbgError(f'Failed to download file. Response: HTTP '
                           f'{response.status_code} for bytes {offset}-{end}')
        else:
            length = response.headers.get('Content-Length', '')
            if length.isdigit() and int(length) != self.file_size:
                raise _SourceChanged(
                    f'The file changed on the storage: it has {length} '
                    f'bytes, not {self.file_size}.')
        version = _version_of(response)
        if self.version and version and version != self.version:
            raise _SourceChanged(
                f'The file changed on the storage during the download '
                f'({self.version} became {version}).')

    def _fetch(self, offset, size):
        end = offset + size - 1
        try:
            response = self.session.get(
                self.url, headers=dict(_HEADERS, Range=f'bytes={offset}-{end}'),
                stream=True, timeout=self.timeout)
        except requests.RequestException as e:
            raise SbgError(f'Failed to download file. Response: {e}') from e
        target = self._target()
        with response, self.buffers.lend() as buffer:
            self._check_answer(response, offset, end)
            written = _copy_body(
                response, size,
                lambda view, at: target.write_at(view, offset + at),
                self.window.moved, buffer)
        if written != size:
            raise SbgError(f'Storage sent {written} of the {size} bytes at '
                           f'{offset}.')

    def _transfer(self, part):
        number, offset, size = part

        def attempt():
            self._fetch(offset, size)
            self.transfer._part_stored(number)
            return Part(start=offset, size=size)

        return with_retries(
            attempt, self.transfer._retry_count, _RETRYABLE,
            f'Download failed! Part {number}', fatal=_SourceChanged,
            stopped=lambda: self.transfer._control.stopping)


@controlled
class Download(_Thread):
    """Download a storage URL to a local file.

    ::

        download = file.download('reads.copy.fastq', wait=False)
        download.add_progress_callback(simple_progress_bar)
        download.start()
        download.wait()      # raises the error if the download failed

    :param url: the (signed) storage URL.
    :param file_path: the local file to write (its folder must exist).
    :param part_size: bytes per ranged request (at least 5 MiB; default:
        the file's size in 32 parts, from 8 to 64 MiB).
    :param retry_count: attempts per part (default 6).
    :param timeout: seconds per storage request (default 300).
    :param api: the client (its download pool and pool settings are used;
        its credentials are never sent to storage).
    :raises SbgError: for bad arguments (before any request), or when the
        storage does not tell the file's size.
    """
    def __init__(
            self, url: str, file_path: str, part_size: int | None = None,
            retry_count: int | None = None, timeout: float | None = None,
            api: Api | None = None) -> None:
        self._set_up(url, file_path, api, lambda: TransferOptions(
            part_size, retry_count, timeout).check_download())

    @classmethod
    def _with_options(cls, options: TransferOptions, url: str,
                      file_path: str, api: Api | None = None,
                      known_size: int | None = None,
                      part_sizing: Callable[[int], int] | None = None
                      ) -> Download:
        """A download with options its caller has checked
        (``File.download``, folder transfers); the path is checked here.
        With ``known_size`` (the size the platform just told, a folder
        listing's), a file of one part is fetched without the size probe,
        one request instead of two, and the answer must still show that
        size (a file replaced since is an error). ``part_sizing``: the part
        size of a file of a given size when the options give none (a
        folder download's, see ``parts.tree_part_size``; default
        ``download_part_size``)."""
        download = cls.__new__(cls)
        download._set_up(url, file_path, api, lambda: options, known_size,
                         part_sizing)
        return download

    def _set_up(self, url, file_path, api, make_options, known_size=None,
                part_sizing=None):
        """Check the arguments in the reference's order (client, the
        numbers of ``make_options()``, then the path) and set up."""
        threading.Thread.__init__(self)
        self.daemon = True
        self._control = TransferController(self, 'Download',
                                           self._clean_up_stopped)
        if api is None:
            raise SbgError('Api instance missing.')
        try:
            options = make_options()
            file_path = check_download_path(file_path)
        except SbgError:
            self._control.status = TransferState.FAILED
            raise
        self.url = url
        self._api = api
        self._file_path = file_path
        self._temp_file = temporary_path(file_path)
        self._journal = f'{self._temp_file}.parts'
        self._retry_count = options.attempts
        self._timeout = options.seconds
        self._session = transfer_session(api, self._retry_count)
        part_size = options.part_size
        sizing = part_sizing or download_part_size
        if known_size is not None and known_size <= (
                part_size or sizing(known_size)):
            self._file_size, self._storage_version = known_size, None
        else:
            self._file_size, self._storage_version = _probe(
                self._session, url, self._timeout, self._retry_count)
        self._part_size = part_size or sizing(self._file_size)
        # a part size of our choosing gives way to a journal's (see
        # _prepare_temporary_file)
        self._part_size_chosen = part_size is None
        self._file_id = urlsplit(url)._replace(query='', fragment='').geturl()
        self._fallback_version: str | None = None
        self._stored_parts: set[int] = set()
        self._journal_lock = threading.Lock()
        self._control.file_size = self._file_size
        self._control.total_parts = count_parts(
            self._file_size, self._part_size) if self._file_size else 0

    @property
    def path(self) -> str:
        """The target file."""
        return self._file_path

    def identify(self, file_id: str, version: str | None = None) -> None:
        """Name the file downloaded, for the resume journal (see the module's
        documentation); ``File.download`` does.

        :param file_id: the platform's id of the file.
        :param version: what tells the file's versions apart when the
            storage answer has no ``ETag`` nor ``Last-Modified`` (for
            example its size and ``modified_on``).
        """
        self._file_id = file_id
        self._fallback_version = version

    # -- the temporary file and its journal -----------------------------------------

    def _journal_head(self):
        """What the journal must match to continue."""
        return {'file': self._file_id,
                'version': self._storage_version or self._fallback_version,
                'size': self._file_size, 'part_size': self._part_size}

    def _prepare_temporary_file(self):
        """Continue from a journal of the same file, version, size and part
        size; else start a new, empty temporary file. A download of one
        part keeps no journal (``journals.keeps_journal``).

        Where no part size was asked, a journal of the same file, version
        and size keeps its own (a folder download sizes parts by what is
        left to download, which is less when it continues)."""
        journal = journals.read_journal(self._journal, missing=False)
        self._continue_with_part_size_of(journal)
        if not journals.keeps_journal(self._control.total_parts):
            if journal is not False:  # of an earlier version
                journals.remove_quietly(self._journal)
            self._journal = None
            with open(self._temp_file, 'wb'):
                pass
            return
        head = self._journal_head()
        if (journal and head['version'] is not None
                and {key: journal.get(key) for key in head} == head
                and os.path.isfile(self._temp_file)):
            self._stored_parts = set(journal.get('parts', []))
            logger.info('Continuing download of %s: %s parts stored',
                        self._file_path, len(self._stored_parts))
        else:
            if journal:
                logger.info('Starting the download of %s over: the journal '
                            'is of another file or version', self._file_path)
            self._stored_parts = set()
            with open(self._temp_file, 'wb'):
                pass  # parts are written at their offsets
        self._control.count_stored(
            part_layout(self._file_size, self._part_size), self._stored_parts)
        self._write_journal()

    def _continue_with_part_size_of(self, journal):
        """Take the part size of ``journal`` when it is of this very file
        (id, version, size) and no part size was asked."""
        if not journal or not self._part_size_chosen:
            return
        head = self._journal_head()
        size = journal.get('part_size')
        if (head['version'] is None or size == self._part_size
                or type(size) is not int
                or size < PartSize.DOWNLOAD_MINIMUM_PART_SIZE
                or any(journal.get(key) != head[key]
                       for key in ('file', 'version', 'size'))):
            return
        self._part_size = size
        self._control.total_parts = count_parts(self._file_size, size) \
            if self._file_size else 0

    def _write_journal(self):
        if self._journal is None:  # one part: no journal
            return
        with self._journal_lock:
            journals.write_journal(self._journal, dict(
                self._journal_head(), parts=sorted(self._stored_parts)))

    def _part_stored(self, number):
        with self._journal_lock:
            self._stored_parts.add(number)
        self._write_journal()

    def _remove_temporary_files(self):
        journals.remove_quietly(self._temp_file)
        journals.remove_quietly(self._journal)

    def _clean_up_stopped(self):
        if self._control.status not in (TransferState.COMPLETED,
                                        TransferState.FAILED):
            self._remove_temporary_files()

    # -- the thread --------------------------------------------------------------------

    def run(self):
        """Transfer the file (called in the download's thread by
        :meth:`start`; called directly, it raises the error of a failed
        download)."""
        self._control.run(
            self._download, lambda e: f'Download failed! {e}',
            lambda error: self._remove_temporary_files(),
            lambda error: error)

    def _download(self):
        """Move the parts and rename the temporary file; whether the
        download ran to its end (not stopped)."""
        self._prepare_temporary_file()
        parted = DPartedFile(
            file_path=self._temp_file, session=self._session, url=self.url,
            file_size=self._file_size, part_size=self._part_size,
            timeout=self._timeout, pool=self._api.download_pool)
        parted.transfer = self
        parted.version = self._storage_version
        try:
            if parted.direct:
                parted.open_target()
            if not self._control.move_parts(
                    (part.size for part in parted), self._stored_parts,
                    self._file_path):
                return False
        finally:
            if parted.target is not None:
                parted.target.close()
        actual = os.path.getsize(self._temp_file)
        if actual != self._file_size:
            raise SbgError(f'Downloaded {actual} bytes instead of '
                           f'{self._file_size}.')
        try:
            os.replace(self._temp_file, self._file_path)
        except OSError as e:
            raise SbgError(f'Unable to rename the file due to an error: '
                           f'{e}.') from e
        journals.remove_quietly(self._journal)
        return True
