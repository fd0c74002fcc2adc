"""Uploads of bytes handed over as they come, of a size known in advance:
:class:`StreamedUpload`.

The platform's multipart upload needs the file's size when it starts
(``POST /upload/multipart`` takes ``size``, and the platform answers the
part size from it). Given the size, the bytes need not be anywhere first:
each part is gathered in a buffer as it is written and sent as soon as it
is full, by the client's upload pool (part URL, ``PUT``, report, retries:
the parts of :class:`~sevenbridges.transfer.upload.Upload`), while the
next part fills. Memory stays at ``buffers`` parts whatever the size, and
nothing goes to disk. Bytes that stay unchanged in memory until the upload
ends (``write(data, copy=False)``) are sent as slices of themselves, not
copied.

A streamed upload keeps no journal: its bytes cannot be read again by
another process. One that fails, or ends with fewer (or more) bytes than
it announced, is aborted on the server: nothing is created under its name
and no file is replaced.
"""
from __future__ import annotations

import logging
import numbers
from concurrent.futures import FIRST_COMPLETED, Future, wait
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, NoReturn, Tuple

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import check_count
from sevenbridges.models.enums import PartSize, TransferState
from sevenbridges.transfer._fileio import new_buffer
from sevenbridges.transfer.options import TransferOptions
from sevenbridges.transfer.parts import count_parts
from sevenbridges.transfer.upload import UPartedFile, Upload

if TYPE_CHECKING:
    from sevenbridges._types import Api, FileRef, ProjectRef
    from sevenbridges.models.file import File

__all__ = ['StreamedUpload', 'check_size', 'BUFFERS']

logger = logging.getLogger(__name__)

#: Part buffers of a streamed upload when none is said: two parts are sent
#: while the next one fills (512 MiB in parts of 32 MiB, fresh processes:
#: 529-764 MiB/s with three, 586-680 with two, alternated runs).
BUFFERS = 3


def check_size(size: Any) -> int:
    """``size`` as an ``int``: the bytes a streamed upload will be given.

    :raises TypeError: for anything but a whole number (a ``bool`` too).
    :raises ValueError: for a negative number, or one over the platform's
        largest file.
    """
    if isinstance(size, bool) or not isinstance(size, numbers.Integral):
        raise TypeError(f'size must be an int (the number of bytes that '
                        f'will be written), not {type(size).__name__}.')
    size = int(size)
    if not 0 <= size <= PartSize.MAXIMUM_OBJECT_SIZE:
        raise ValueError(f'size must be from 0 to '
                         f'{PartSize.MAXIMUM_OBJECT_SIZE} bytes, not '
                         f'{size}.')
    return size


class StreamedParts(UPartedFile):
    """The parts of a :class:`StreamedUpload`, each sent from the memory
    that holds it (:attr:`bodies`, by offset) instead of a source file."""

    def __init__(self, upload: StreamedUpload) -> None:
        super().__init__(None, upload._file_size, upload._part_size, upload,
                         upload._timeout, upload.session, upload._api)
        #: The bytes of each part in flight, by offset.
        self.bodies: Dict[int, memoryview] = {}

    @contextmanager
    def _part_body(self, offset: int, size: int) -> Iterator[memoryview]:
        yield self.bodies[offset]


class StreamedUpload(Upload):
    """Upload ``size`` bytes, handed over with :meth:`write` as they come,
    into a project or a folder: nothing is read from a file, nothing is
    written to one.

    ::

        from sevenbridges.transfer.stream import StreamedUpload

        header, body = b'sample,reads\\n', b'S1,100\\nS2,250\\n'
        upload = StreamedUpload(len(header) + len(body), 'table.csv',
                                project='rfranklin/demo', api=api)
        upload.open()                 # the upload starts on the platform
        upload.write(header)
        upload.write(body)
        file = upload.close()         # the file is there

    Each part is gathered in one of ``buffers`` buffers (of the part size
    the platform answers) and sent when full, while the next fills; when
    every buffer is in flight, :meth:`write` waits for a part to be
    stored. A part that cannot be stored (after its retries), too many
    bytes, or too few at :meth:`close` abort the upload on the platform.

    :param size: the bytes that will be written, exactly.
    :param file_name: the name on the platform.
    :param project: the project id (one of project or parent).
    :param parent: the folder id.
    :param overwrite: replace a file of the same name (else the platform
        refuses the name at :meth:`open`, and again at :meth:`close`).
    :param part_size: bytes per part asked of the platform (default: as
        :class:`~sevenbridges.transfer.upload.Upload` asks).
    :param retry_count: attempts per part (default 6).
    :param timeout: seconds per storage request (default 300).
    :param buffers: part buffers (default :data:`BUFFERS`): memory is
        about ``buffers`` times the part size.
    :param api: the client.
    :raises TypeError: ``size`` is not a whole number.
    :raises ValueError: ``size`` is negative or over the platform's
        largest file.
    :raises SbgError: a missing destination, name or client.
    :raises ValidationError: for a part size, ``retry_count``,
        ``timeout`` or ``buffers`` out of range.
    """

    def __init__(self, size: int, file_name: str,
                 project: ProjectRef | None = None,
                 parent: FileRef | None = None, overwrite: bool = False,
                 part_size: int | None = None,
                 retry_count: int | None = None,
                 timeout: float | None = None, buffers: int | None = None,
                 api: Api | None = None) -> None:
        self._new_transfer()
        self._check_destination(project, parent)
        size = check_size(size)
        if not file_name:
            raise SbgError('A file name is required.')
        if not api:
            raise SbgError('Api instance not provided!')
        options = TransferOptions(part_size, retry_count, timeout)
        self._buffers = check_count('buffers', buffers, optional=True) or \
            BUFFERS
        self._file_path = None
        self._configure(size, file_name, project, parent, overwrite, api,
                        options)
        self._written = 0
        self._parts: StreamedParts | None = None
        self._layout: List[Tuple[int, int, int]] = []
        self._next = 0              # the part being filled
        self._current: memoryview | None = None
        self._filled = 0            # bytes of it in ``_current``
        self._free: List[memoryview] = []
        self._made = 0              # buffers made
        #: Parts in flight: their offset and the buffer they give back
        #: (``None``: the caller's memory).
        self._in_flight: Dict[Future, Tuple[int, memoryview | None]] = {}

    @property
    def size(self) -> int:
        """Bytes the upload takes, exactly."""
        return self._file_size

    @property
    def written(self) -> int:
        """Bytes written so far."""
        return self._written

    @property
    def part_size(self) -> int:
        """Bytes per part (the platform's answer, once open)."""
        return self._part_size

    def start(self) -> None:
        """Not for a streamed upload, which has no thread of its own:
        :meth:`open`, :meth:`write`, :meth:`close`.

        :raises SbgError: always.
        """
        raise SbgError('A streamed upload is not started: open() it, '
                       'write() its bytes and close() it.')

    run = start     # type: ignore[assignment]

    # -- the steps ---------------------------------------------------------------

    def open(self) -> None:
        """Start the upload on the platform (its part size is the one the
        platform answers).

        :raises SbgError: unless the upload is ``PREPARING``; the
            platform's refusal (``Conflict`` for a name that is taken,
            without ``overwrite``).
        """
        if self._control.status != TransferState.PREPARING:
            raise SbgError('Unable to open. Upload not in PREPARING state.')
        self._control.begin()
        try:
            self._start_on_server()
        except SbgError as error:
            self._control.fail(error)
            raise
        self._control.total_parts = count_parts(self._file_size,
                                                self._part_size)
        self._parts = StreamedParts(self)
        self._layout = self._parts.parts

    def write(self, data: Any, copy: bool = True) -> int:
        """Hand over the next bytes; the number of them. A part that
        fills is sent (this waits while every buffer is in flight).

        :param data: bytes, or any object of the buffer protocol.
        :param copy: ``False``: whole parts are sent from ``data`` itself,
            which must then stay unchanged until :meth:`close` returns.
        :raises ValueError: the bytes go over ``size`` (the upload is
            aborted).
        :raises SbgError: a part could not be stored (the upload is
            aborted).
        """
        self._check_running()
        with memoryview(data) as given, given.cast('B') as view:
            count = len(view)
            if self._written + count > self._file_size:
                self._fail(ValueError(
                    f'size: {self._file_size} bytes were announced; this '
                    f'write of {count} after {self._written} goes over '
                    f'them. The upload is aborted.'))
            try:
                while view:
                    view = self._fill(view, copy)
            except BaseException as error:
                self._fail(error)
        return count

    def finish(self) -> None:
        """Send what is left and wait until every part is stored (the
        upload is then ready to :meth:`complete`).

        :raises ValueError: fewer bytes than ``size`` were written (the
            upload is aborted).
        :raises SbgError: a part could not be stored (the upload is
            aborted).
        """
        self._check_running()
        if self._written < self._file_size:
            self._fail(ValueError(
                f'size: {self._file_size} bytes were announced, only '
                f'{self._written} written. The upload is aborted.'))
        try:
            if self._next < len(self._layout):      # an empty file's part
                number, offset, _ = self._layout[self._next]
                self._send(number, offset, memoryview(b''), None)
            while self._in_flight:
                self._wait_for_one()
            self._control.check_all_parts_stored(self._stored_parts,
                                                 self._file_name)
        except BaseException as error:
            self._fail(error)

    def complete(self) -> File:
        """Make the file of the stored parts (after :meth:`finish`); it is
        returned, and kept as :meth:`result`.

        :raises SbgError: the platform refused (the upload is aborted).
        """
        self._check_running()
        if self._in_flight or self._control.parts_done < \
                self._control.total_parts:
            raise SbgError('Unable to complete: the upload is not '
                           'finished.')
        try:
            self._result = self._complete()
        except BaseException as error:
            self._fail(error)
        self._control.finish()
        return self._result

    def close(self) -> File:
        """:meth:`finish` and :meth:`complete`: the uploaded file."""
        self.finish()
        return self.complete()

    def abort(self) -> None:
        """Abort the upload (the parts in flight end first): nothing is
        created on the platform. Nothing happens after the end of the
        upload.

        :raises SbgError: the platform could not be told (the upload
            stays ``STOPPED``; the platform drops unfinished uploads
            after a while).
        """
        if self._control.status in (TransferState.COMPLETED,
                                    TransferState.FAILED,
                                    TransferState.STOPPED):
            return
        self._control.status = TransferState.STOPPED
        self._end_parts()
        self._abort()

    # -- parts -------------------------------------------------------------------

    def _check_running(self) -> None:
        if self._control.status != TransferState.RUNNING or \
                self._parts is None:
            raise SbgError(f'The upload is not open '
                           f'({self._control.status}).')

    def _fill(self, view: memoryview, copy: bool) -> memoryview:
        """Put the start of ``view`` in the part being filled, send it
        when full; the rest of ``view``."""
        number, offset, size = self._layout[self._next]
        if not copy and not self._filled and len(view) >= size:
            self._written += size
            self._next += 1
            self._send(number, offset, view[:size], None)
            return view[size:]
        if self._current is None:
            self._current = self._buffer()
        count = min(len(view), size - self._filled)
        self._current[self._filled:self._filled + count] = view[:count]
        self._filled += count
        self._written += count
        if self._filled == size:
            buffer, self._current, self._filled = self._current, None, 0
            self._next += 1
            self._send(number, offset, buffer[:size], buffer)
        return view[count:]

    def _buffer(self) -> memoryview:
        """A free buffer (made while there are fewer than ``buffers``;
        else the first one a stored part gives back)."""
        while not self._free and self._made >= self._buffers:
            self._wait_for_one()
        if self._free:
            return self._free.pop()
        self._made += 1
        return new_buffer(self._layout[0][2])

    def _send(self, number: int, offset: int, body: memoryview,
              buffer: memoryview | None) -> None:
        """Send the part ``number`` (``body``) on the upload pool (at most
        the pool's workers at once)."""
        parts = self._parts
        assert parts is not None
        while len(self._in_flight) >= parts.scheduler.window.limit:
            self._wait_for_one()
        parts.bodies[offset] = body
        future = parts.scheduler.pool.submit(parts._transfer,
                                             (number, offset, len(body)))
        self._in_flight[future] = (offset, buffer)
        self._take_back([future for future in self._in_flight
                         if future.done()])

    def _wait_for_one(self) -> None:
        """Wait until a part in flight ends and take it back."""
        done, _ = wait(self._in_flight, return_when=FIRST_COMPLETED)
        self._take_back(done)

    def _take_back(self, done: Any) -> None:
        """Count the parts of the futures ``done`` as stored, and keep
        their buffers for the next parts.

        :raises SbgError: a part could not be stored.
        """
        for future in done:
            offset, buffer = self._in_flight.pop(future)
            assert self._parts is not None
            body = self._parts.bodies.pop(offset)
            size = future.result()
            if size is None:        # stopped
                continue
            self._control.part_done(len(body))
            if buffer is not None:
                self._free.append(buffer)

    def _end_parts(self) -> None:
        """Stop the parts: none starts an attempt again; wait for those in
        flight (their errors are the failure's, already raised)."""
        self._control.halt()
        wait(self._in_flight)
        self._in_flight.clear()
        if self._parts is not None:
            self._parts.bodies.clear()
        self._current = None
        self._free.clear()

    def _fail(self, error: BaseException) -> NoReturn:
        """End the upload with ``error``: the parts end, the platform is
        told to abort (a failed abort is logged), ``error`` is raised."""
        failure = error if isinstance(error, SbgError) else SbgError(
            f'Upload of {self._file_name} failed: {error}')
        self._control.fail(failure)
        self._end_parts()
        self._clean_up_failed(failure)
        raise error
