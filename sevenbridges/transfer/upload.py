"""Multipart uploads: :class:`Upload` (project files) and
:class:`CodePackageUpload` (automation code packages).

An upload runs in its own thread; its parts go to storage in parallel on
the client's ``upload_pool``. Parts are streamed from disk at their offset,
so memory stays small whatever the file size; each part is retried with
back-off (a fresh part URL each time, so expired URLs are renewed); a
failed upload is aborted on the server and raises its error from
:meth:`Upload.wait` and :meth:`Upload.result`. A journal in the user cache
(``~/.cache/sevenbridges/uploads``) lets a new process continue an upload
that a crash interrupted: the same file, destination and name continue
with the parts that are not yet stored.
"""
from __future__ import annotations

import json
import logging
import os
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import requests

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import check_part_size
from sevenbridges.models.enums import TransferState
from sevenbridges.transfer import journals, scheduling
from sevenbridges.transfer._fileio import (
    Buffers,
    PositionalFile,
    SendfileRefused,
)
from sevenbridges.transfer.controller import TransferController, controlled
from sevenbridges.transfer.options import TransferOptions
from sevenbridges.transfer.parts import (
    buffer_size,
    count_parts,
    part_layout,
    part_size_to_ask,
)
from sevenbridges.transfer.retries import with_retries
from sevenbridges.transfer.sessions import transfer_session

if TYPE_CHECKING:
    from sevenbridges._types import Api, AutomationRef, FileRef, ProjectRef
    from sevenbridges.models.file import File
    from sevenbridges.transfer.controller import TransferInterface as _Thread
else:
    _Thread = threading.Thread

logger = logging.getLogger(__name__)


class _PartReader:
    """A file-like view of ``size`` bytes at ``offset`` of a
    :class:`~sevenbridges.transfer._fileio.PositionalFile`: each block is
    read into ``buffer`` and handed out as a view of it (valid until the
    next read: the HTTP client sends a block before it asks for the next),
    so the part is never in memory and nothing is copied twice.
    """

    def __init__(self, source, offset, size, buffer, window=None):
        self._source = source
        self._offset = offset
        self._size = size
        self._position = 0
        self._buffer = buffer
        self._window = window

    def __len__(self):
        return self._size

    def read(self, amount=-1):
        left = self._size - self._position
        if amount is None or amount < 0:
            whole = bytearray(left)     # a read of everything: its own copy
            self._fill(memoryview(whole))
            return bytes(whole)
        view = self._buffer[:min(amount, left, len(self._buffer))]
        self._fill(view)
        return view

    def _fill(self, view):
        filled = 0
        while filled < len(view):
            count = self._source.read_into(
                view[filled:], self._offset + self._position + filled)
            if not count:
                raise SbgError('The file became shorter while it was '
                               'uploaded.')
            filled += count
        self._position += filled
        self._moved(filled)

    def send_to(self, sock):
        """Send the rest of the part to the plain socket ``sock`` from the
        file itself (:meth:`PositionalFile.send
        <sevenbridges.transfer._fileio.PositionalFile.send>`), not through
        the buffer: the storage connections of
        :mod:`~sevenbridges.transfer.sessions` call this instead of
        :meth:`read` where they can (plain HTTP, a system with
        ``sendfile``); the bytes on the wire are the same. Whether it
        sent the part: not when ``sendfile`` refused the file before it
        sent anything (the caller then reads and sends it)."""
        left = self._size - self._position
        try:
            sent = self._source.send(sock, self._offset + self._position,
                                     left, self._moved)
        except SendfileRefused:
            return False
        self._position += sent
        if sent < left:
            raise SbgError('The file became shorter while it was uploaded.')
        return True

    def sends_itself(self):
        """Whether :meth:`send_to` can send this part."""
        return self._source.sends

    def _moved(self, count):
        if self._window is not None:
            self._window.moved(count)

    def tell(self):
        return self._position

    def seek(self, position, whence=os.SEEK_SET):
        if whence == os.SEEK_CUR:
            position += self._position
        elif whence == os.SEEK_END:
            position += self._size
        self._position = max(0, min(position, self._size))
        return self._position


class UPartedFile:
    """The parts of an upload and their transfer: each part is read at its
    offset, PUT to its storage URL and reported to the API, by the client's
    upload pool, as many at a time as :attr:`window` says.

    Iterating yields the size of each part as it completes.

    :param fp: the source, a
        :class:`~sevenbridges.transfer._fileio.PositionalFile`.
    """
    _URL = {'upload_part': '/upload/multipart/{upload_id}/part/{part_number}'}

    def __init__(self, fp, file_size, part_size, upload, timeout,
                 storage_session, api):
        self.fp = fp
        self.file_size = file_size
        self.part_size = part_size
        self.upload = upload
        self.upload_id = upload._upload_id
        self.timeout = timeout
        self.session = storage_session
        self.api = api
        self.pool = api.upload_pool
        self.parts = part_layout(file_size, part_size)
        self.total = len(self.parts)
        self.transfer = upload
        self.scheduler = scheduling.PartScheduler(
            self.parts, self.pool, self._transfer, settle=True)
        self.window = self.scheduler.window
        self.buffers = Buffers(buffer_size(file_size),
                               aligned=getattr(fp, 'reads_direct', False))

    def get_parts(self):
        """The parts: ``[{'part': n, 'offset': start, 'limit': end}]``."""
        return [{'part': number, 'offset': offset, 'limit': offset + size}
                for number, offset, size in self.parts]

    submit = scheduling.submit_part
    done = scheduling.all_started
    __iter__ = scheduling.completed_parts

    # -- one part --------------------------------------------------------------

    def _part_url(self, number):
        try:
            response = self.api.get(url=self._URL['upload_part'].format(
                upload_id=self.upload_id, part_number=number))
        except SbgError as e:
            raise SbgError(f'Unable to get upload url for part number '
                           f'{number}: {e}') from e
        return response.json()['url']

    @contextmanager
    def _part_body(self, offset, size):
        """The body of the part at ``offset`` for one PUT: a
        :class:`_PartReader` of the source on a lent buffer."""
        with self.buffers.lend() as buffer:
            yield _PartReader(self.fp, offset, size, buffer, self.window)

    def _put(self, url, offset, size):
        with self._part_body(offset, size) as body:
            try:
                response = self.session.put(url, data=body,
                                            timeout=self.timeout)
            except requests.RequestException as e:
                raise SbgError(f'Failed to submit the part. Reason: '
                               f'{e}') from e
        with response:
            if not 200 <= response.status_code < 300:
                raise SbgError(f'Storage refused the part: HTTP '
                               f'{response.status_code} '
                               f'{response.text[:200]}')
            return response.headers.get('ETag', '').strip('"')

    def _report(self, number, etag):
        data = {'part_number': number,
                'response': {'headers': {'ETag': etag}}}
        try:
            self.api.post(url=self._URL['upload_part'].format(
                upload_id=self.upload_id, part_number=''), data=data)
        except SbgError as e:
            raise SbgError(f'Unable to report part number {number}. Reason: '
                           f'{e.message}') from e

    def _transfer(self, part):
        number, offset, size = part

        def attempt():
            etag = self._put(self._part_url(number), offset, size)
            self._report(number, etag)
            self.upload._part_stored(number, etag)
            return size

        return with_retries(
            attempt, self.upload._retry,
            (SbgError, OSError, KeyError, ValueError),
            f'Failed to upload part {number} of {self.upload._file_name}',
            stopped=lambda: self.upload._control.stopping)


@controlled
class Upload(_Thread):
    """Upload a local file into a project or a folder.

    ::

        upload = api.files.upload('reads.fastq', project='rfranklin/demo',
                                  wait=False)
        upload.add_progress_callback(simple_progress_bar)
        upload.start()
        upload.wait()            # raises the error if the upload failed
        file = upload.result()

    :param file_path: the local file.
    :param project: the project id (one of project or parent).
    :param parent: the folder id.
    :param file_name: the name on the platform (default: the local name).
    :param overwrite: replace a file of the same name.
    :param part_size: bytes per part asked of the platform (default: 32
        MiB, more for files that would need over 10,000 parts); the
        platform corrects it (at least 5 MiB, at most 5 GiB, at most 10,000
        parts) and its answer is used.
    :param retry_count: attempts per part (default 6).
    :param timeout: seconds per storage request (default 300).
    :param api: the client.
    :raises ValidationError: for a part size that is not a positive
        integer, or a negative ``retry_count`` or ``timeout``.
    """
    _URL = {
        'upload_init': '/upload/multipart',
        'upload_info': '/upload/multipart/{upload_id}',
        'upload_complete': '/upload/multipart/{upload_id}/complete',
    }
    _parted_file_class = UPartedFile
    #: Read the source with ``O_DIRECT`` where it is taken, never through
    #: the page cache (a file just written with ``O_DIRECT``: the
    #: filesystem's temporary files).
    _direct_reads = False

    def __init__(
            self, file_path: str, project: ProjectRef | None = None,
            parent: FileRef | None = None, file_name: str | None = None,
            overwrite: bool = False, part_size: int | None = None,
            retry_count: int | None = None, timeout: float | None = None,
            api: Api | None = None) -> None:
        self._set_up(file_path, project, parent, file_name, overwrite, api,
                     lambda: TransferOptions(part_size, retry_count, timeout))

    @classmethod
    def _with_options(cls, options: TransferOptions, file_path: str,
                      project: ProjectRef | None = None,
                      parent: FileRef | None = None,
                      file_name: str | None = None, overwrite: bool = False,
                      api: Api | None = None) -> Upload:
        """An upload with options its caller has checked (``File.upload``,
        folder transfers)."""
        upload = cls.__new__(cls)
        upload._set_up(file_path, project, parent, file_name, overwrite, api,
                       lambda: options)
        return upload

    def _set_up(self, file_path, project, parent, file_name, overwrite, api,
                make_options):
        """Check the arguments in the reference's order (destination, file,
        client, then the numbers of ``make_options()``) and set up."""
        self._new_transfer()
        self._check_destination(project, parent)
        if not file_path:
            raise SbgError('File path is not valid.')
        if not os.path.isfile(file_path):
            raise SbgError(f'File path {file_path} is not a path to a valid '
                           f'file.')
        if not api:
            raise SbgError('Api instance not provided!')
        self._file_path = file_path
        self._configure(os.path.getsize(file_path),
                        file_name or os.path.basename(file_path), project,
                        parent, overwrite, api, make_options())

    def _new_transfer(self):
        """The thread and its controller (before any argument is checked:
        a check may mark the transfer failed)."""
        threading.Thread.__init__(self)
        self.daemon = True
        self._control = TransferController(self, 'Upload',
                                           self._clean_up_stopped)

    def _configure(self, size, file_name, project, parent, overwrite, api,
                   options):
        """Set up the upload of ``size`` bytes as ``file_name`` (the
        arguments checked).

        :raises SbgError: for a size over the platform's maximum (the
            upload is then ``FAILED``).
        """
        self._retry = options.attempts
        self._timeout = options.seconds
        self._file_size = size
        try:
            self._part_size = part_size_to_ask(self._file_size,
                                               options.part_size)
        except SbgError:
            self._control.status = TransferState.FAILED
            raise
        self._file_name = file_name
        self._project = project
        self._parent = parent
        self._overwrite = overwrite
        self._api = api
        self._upload_id = None
        self._result = None
        self._stored_parts: dict[int, Any] = {}
        self._journal_lock = threading.Lock()
        self._journal: str | None = None
        self._control.file_size = self._file_size
        self._control.total_parts = count_parts(self._file_size,
                                                self._part_size)
        self.session = transfer_session(api, self._retry)

    @staticmethod
    def _check_destination(project, parent):
        if not project and not parent:
            raise SbgError('Project or parent identifier is required.')
        if project and parent:
            raise SbgError(
                'Project and parent identifiers are mutually exclusive.')

    @property
    def file_name(self) -> str:
        """The name of the file on the platform."""
        return self._file_name

    def result(self) -> File | None:
        """The uploaded :class:`~sevenbridges.models.file.File` (``None``
        until completed).

        :raises SbgError: the error that made the upload fail.
        """
        self._control.raise_error()
        return self._result

    def partition_file(self, fp):
        """The parts of the open source ``fp`` (an :class:`UPartedFile`)."""
        return self._parted_file_class(
            fp=fp, file_size=self._file_size, part_size=self._part_size,
            upload=self, timeout=self._timeout,
            storage_session=self.session, api=self._api)

    # -- the API side ------------------------------------------------------------

    def _init_body(self):
        data = {'name': self._file_name, 'size': self._file_size,
                'part_size': self._part_size}
        if self._project:
            data['project'] = self._project
        else:
            data['parent'] = self._parent
        return data

    def _init_params(self):
        return {'overwrite': True} if self._overwrite else None

    def _source_identity(self):
        """What the local file is: path, size and modification time."""
        stat = os.stat(self._file_path)
        return {'path': os.path.abspath(self._file_path),
                'size': stat.st_size, 'mtime_ns': stat.st_mtime_ns}

    def _target_identity(self):
        """Where the file goes: the API, the init body and parameters."""
        return {'api': self._api.url, 'kind': self._control.kind,
                'body': self._init_body(), 'params': self._init_params()}

    def _initialize(self):
        """Start the upload on the server, or continue one a journal
        remembers: only for the same source (path, size, modification time)
        and the same target. An upload of one part keeps no journal
        (``journals.keeps_journal``; the platform only ever grows the part
        size)."""
        self._source = self._source_identity()
        if journals.keeps_journal(self._control.total_parts):
            self._continue_or_start()
        else:
            self._start_on_server()
        self._control.total_parts = count_parts(self._file_size,
                                                self._part_size)

    def _continue_or_start(self):
        target = self._target_identity()
        key = journals.journal_key(json.dumps([self._source, target],
                                              sort_keys=True))
        self._journal = os.path.join(journals.cache_dir(), 'uploads',
                                     f'{key}.json')
        journal = journals.read_journal(self._journal)
        if (journal and journal.get('source') == self._source
                and journal.get('target') == target
                and self._server_knows(journal['upload_id'])):
            self._upload_id = journal['upload_id']
            self._part_size = journal['part_size']
            self._stored_parts = {int(number): etag for number, etag
                                  in journal['parts'].items()}
            logger.info('Continuing upload %s of %s: %s parts stored',
                        self._upload_id, self._file_name,
                        len(self._stored_parts))
        else:
            self._start_on_server()
        self._journal_head = {'source': self._source, 'target': target,
                              'upload_id': self._upload_id,
                              'part_size': self._part_size}
        self._control.count_stored(
            part_layout(self._file_size, self._part_size), self._stored_parts)
        self._write_journal()

    def _server_knows(self, upload_id):
        try:
            self._api.get(url=self._URL['upload_info'].format(
                upload_id=upload_id))
        except SbgError:
            return False
        return True

    def _start_on_server(self):
        try:
            response = self._api.post(url=self._URL['upload_init'],
                                      params=self._init_params(),
                                      data=self._init_body())
        except SbgError as e:
            raise SbgError(f'Unable to initialize upload! Failed to get '
                           f'upload id! Reason: {e.message}') from e
        answer = response.json()
        self._upload_id = answer['upload_id']
        given = answer.get('part_size')
        if given and given != self._part_size:
            try:
                check_part_size('part_size', given)
            except SbgError as e:
                raise SbgError(f'The server answered a part size that '
                               f'cannot work: {e}') from e
            self._part_size = given

    def _write_journal(self):
        if self._journal is None:  # one part: no journal
            return
        with self._journal_lock:
            journals.write_journal(self._journal, dict(
                self._journal_head, parts=self._stored_parts))

    def _part_stored(self, number, etag):
        """Journal a part the platform has been told about."""
        with self._journal_lock:
            self._stored_parts[number] = etag
        self._write_journal()

    def _check_source_unchanged(self):
        if self._source_identity() != self._source:
            raise SbgError(f'{self._file_path} changed while it was '
                           f'uploaded.')

    def _complete(self):
        try:
            response = self._api.post(url=self._URL['upload_complete'].format(
                upload_id=self._upload_id))
        except SbgError as e:
            raise SbgError(f'Failed to complete upload! Reason: '
                           f'{e.message}') from e
        return self._api.files(api=self._api, **response.json())

    def _abort(self):
        """Abort the upload on the server.

        :raises SbgError: ``'Failed to abort upload! Reason: ...'``.
        """
        if self._upload_id is None:
            return
        try:
            self._api.delete(url=self._URL['upload_info'].format(
                upload_id=self._upload_id))
        except Exception as e:  # any failure of the abort reads the same
            reason = e.message if isinstance(e, SbgError) else e
            raise SbgError(f'Failed to abort upload! Reason: {reason}') from e

    def _forget(self):
        journals.remove_quietly(self._journal)

    def _clean_up_stopped(self):
        if self._control.status in (TransferState.COMPLETED,
                                    TransferState.FAILED):
            return
        self._forget()
        try:
            self._abort()
        except SbgError:
            self._control.status = TransferState.FAILED
            raise

    # -- the thread ----------------------------------------------------------------

    def run(self):
        """Transfer the file (called in the upload's thread by
        :meth:`start`; called directly, it raises the error of a failed
        upload)."""
        self._control.run(
            self._upload,
            lambda e: f'Upload of {self._file_path} failed: {e}',
            self._clean_up_failed, lambda error: TransferState.FAILED)

    def _upload(self):
        """Move the parts and complete; whether the upload ran to its end
        (not stopped)."""
        self._initialize()
        with PositionalFile(self._file_path,
                            direct_reads=self._direct_reads) as source:
            if not self._control.move_parts(self.partition_file(source),
                                            self._stored_parts,
                                            self._file_name):
                return False
        self._check_source_unchanged()
        self._result = self._complete()
        self._forget()
        return True

    def _clean_up_failed(self, error):
        """Abort on the server (best effort: a failed abort is logged) and
        forget the journal of an aborted upload."""
        try:
            self._abort()
        except SbgError as abort_error:
            logger.warning('%s (after: %s)', abort_error, error)
        else:
            self._forget()


class CodePackageUPartedFile(UPartedFile):
    """The parts of a code package upload."""
    _URL = {
        'upload_part': '/automation/upload/{upload_id}/part/{part_number}',
    }


class CodePackageUpload(Upload):
    """Upload the code of an automation package (see
    ``Automation.add_package``).

    :param file_path: the local code archive.
    :param automation_id: the automation.
    :param file_name: the uploaded file's name.
    :param part_size: bytes per part.
    :param retry_count: attempts per part.
    :param timeout: seconds per storage request.
    :param parent: not used (kept for compatibility).
    :param api: the client.
    """
    _URL = {
        'upload_init': '/automation/upload',
        'upload_info': '/automation/upload/{upload_id}',
        'upload_complete': '/automation/upload/{upload_id}/complete',
    }
    _parted_file_class = CodePackageUPartedFile

    def __init__(
            self, file_path: str, automation_id: AutomationRef,
            file_name: str | None = None, part_size: int | None = None,
            retry_count: int = 6, timeout: float = 300,
            parent: FileRef | None = None, api: Api | None = None) -> None:
        super().__init__(file_path=file_path, file_name=file_name,
                         overwrite=False, part_size=part_size,
                         retry_count=retry_count, timeout=timeout, api=api)
        if self._file_size == 0:
            raise SbgError('File size must not be 0.')
        self._automation_id = automation_id

    @staticmethod
    def _check_destination(project, parent):
        """Code packages go to their automation: nothing to check."""

    def _init_body(self):
        return {'name': self._file_name, 'size': self._file_size,
                'automation_id': getattr(self, '_automation_id', None),
                'part_size': self._part_size}

    def partition_file(self, fp):
        """The parts of the open code archive ``fp``."""
        return super().partition_file(fp)


__all__ = ['Upload', 'UPartedFile', 'CodePackageUpload',
           'CodePackageUPartedFile']
