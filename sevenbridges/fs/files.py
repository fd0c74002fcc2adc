"""Open files of the ``sbg://`` filesystem.

Reads (:class:`SevenBridgesReadFile`) are ranged ``GET`` requests of the
file's signed URL through fsspec's block caches: random access without
reading what is skipped.

The platform's upload protocol needs the total size before the first part
(``POST /upload/multipart`` takes ``size``; the platform answers the part
size from it and keeps at most 10,000 parts at offsets fixed by it). So
there are two kinds of writes:

- Of a known size (:class:`SevenBridgesSizedWriteFile`, ``open(path, 'wb',
  size=N)``, and ``pipe_file``): the upload starts at ``open``, each part
  is sent as soon as it is written (a :class:`~sevenbridges.transfer.
  stream.StreamedUpload`: memory of three parts, nothing on disk), and
  ``close`` completes it.
- Of an unknown size (:class:`SevenBridgesWriteFile`, ``open(path,
  'wb')``): what is written is appended to a temporary file as it comes
  (:class:`Spill`: through one 8 MiB buffer, with ``O_DIRECT``); on
  ``close`` the temporary file is uploaded as an ordinary multipart upload
  (parts in parallel, retried, resumable; read back with ``O_DIRECT``) and
  removed. The temporary file is what makes an unknown size possible.

``xb`` (and ``pipe_file(mode='create')``) upload without ``overwrite``:
the platform refuses an existing name when the upload starts and again when
it completes, so two writers never both succeed; the loser gets
``FileExistsError``.
"""
from __future__ import annotations

import logging
import os
import tempfile
from typing import TYPE_CHECKING, Any, Callable

from fsspec.spec import AbstractBufferedFile  # type: ignore[import-untyped]

from sevenbridges.errors import SbgError
from sevenbridges.fs import storage
from sevenbridges.fs.errors import os_errors
from sevenbridges.transfer._fileio import PositionalFile, new_buffer

if TYPE_CHECKING:
    from sevenbridges.fs.filesystem import SevenBridgesFileSystem
    from sevenbridges.fs.listing import Info
    from sevenbridges.transfer.stream import StreamedUpload

logger = logging.getLogger(__name__)


class SevenBridgesReadFile(AbstractBufferedFile):
    """A file open for reading (``rb``): seekable, read by ranges.

    :param fs: the filesystem.
    :param path: the file's path.
    :param info: its ``info`` (id and size, from the listing).
    """

    def __init__(self, fs: SevenBridgesFileSystem, path: str, info: Info,
                 **kwargs: Any) -> None:
        kwargs['size'] = info['size']
        self.file_id = info['id']
        self.signed_url = fs._signed(info)
        super().__init__(fs, path, mode='rb', **kwargs)

    def _fetch_range(self, start: int, end: int) -> bytes:
        end = min(end, self.size)
        if end <= start:
            return b''
        return storage.read_bytes(self.fs.storage_session, self.signed_url,
                                  start, end - start, self.path,
                                  self.fs.timeout)


#: Bytes a write of an unknown size gathers before it writes them to its
#: temporary file (one buffer, reused).
SPILL_BLOCK = 8 * 1024 * 1024


class Spill:
    """The temporary file of a write of an unknown size, in ``folder``
    (``None``: the system's temporary folder).

    What is written is gathered in one reused page-aligned buffer of
    :data:`SPILL_BLOCK` bytes and written from it with ``O_DIRECT`` where
    the file system takes it (a :class:`~sevenbridges.transfer._fileio.
    PositionalFile` with ``direct``), and the upload reads it back the same
    way (``direct_reads``): no fresh page cache is filled for it, which
    cost most of such a write (512 MiB in fresh processes: 77-86 MiB/s and
    6-7 CPU s/GiB through the page cache, 276-310 MiB/s and 0.8-0.9 CPU
    s/GiB so). Elsewhere (tmpfs, no ``O_DIRECT``) the blocks are ordinary
    writes.
    """

    def __init__(self, folder: str | None) -> None:
        descriptor, self.name = tempfile.mkstemp(prefix='sbg-fs-',
                                                 suffix='.part', dir=folder)
        os.close(descriptor)
        try:
            self._file: PositionalFile | None = PositionalFile(
                self.name, writable=True, direct=True)
        except BaseException:
            os.remove(self.name)
            raise
        self._buffer = new_buffer(SPILL_BLOCK, aligned=True)
        self._filled = 0
        self._offset = 0

    def write(self, data: Any) -> int:
        """Append ``data``; the number of bytes."""
        if self._file is None:
            raise ValueError('I/O operation on closed file.')
        with memoryview(data) as given, given.cast('B') as view:
            count = len(view)
            while view:
                taken = min(len(view), SPILL_BLOCK - self._filled)
                self._buffer[self._filled:self._filled + taken] = \
                    view[:taken]
                self._filled += taken
                view = view[taken:]
                if self._filled == SPILL_BLOCK:
                    self._write_buffer(self._file)
        return count

    def _write_buffer(self, file: PositionalFile) -> None:
        file.write_at(self._buffer[:self._filled], self._offset)
        self._offset += self._filled
        self._filled = 0

    def close(self) -> None:
        """Write what the buffer holds and close the file (once)."""
        file, self._file = self._file, None
        if file is None:
            return
        try:
            if self._filled:
                self._write_buffer(file)
        finally:
            file.close()


class _WriteFile(AbstractBufferedFile):
    """What the write files share: bytes handed on as they are written
    (:meth:`_take`, never gathered in fsspec's buffer first), and a ``with``
    block that fails drops what it wrote (:meth:`discard`)."""

    #: Bytes handed on so far (``None`` until the first write); fsspec's.
    offset: int | None

    def write(self, data: Any) -> int:
        """Hand ``data`` on (see the class); the number of bytes."""
        if not self.writable():
            raise ValueError('File not in write mode')
        if self.forced:
            raise ValueError('This file has been force-flushed, can only '
                             'close')
        count = self._take(data)
        self.loc += count
        return count

    def _take(self, data: Any) -> int:
        raise NotImplementedError

    def _end_writes(self) -> None:
        """Hand on what fsspec's buffer holds and end the writes (the
        file's bytes are then all where :meth:`commit` takes them)."""
        raise NotImplementedError

    def _upload_chunk(self, final: bool = False) -> bool:
        if final:
            self._end_writes()
            if self.autocommit:
                self.commit()
        return True

    def _failing(self, action: Callable[..., Any], *args: Any) -> Any:
        """``action(*args)``; one that fails drops what was written
        (:meth:`discard`) and closes the file: nothing of it is ever
        uploaded, not even by a later ``close``."""
        try:
            return action(*args)
        except BaseException:
            self.discard()
            self.closed = True
            raise

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self.close()
            return
        # The block failed: what it wrote is not the file it meant.
        self.discard()
        self.closed = True


class SevenBridgesWriteFile(_WriteFile):
    """A file open for writing (``wb``, or ``xb``: only when the name is
    free), of a size not known in advance. The platform gets the file on
    ``close`` (or at the commit of a transaction); until then nothing of it
    is there.

    :param fs: the filesystem.
    :param path: the file's path.
    :param mode: ``'wb'`` or ``'xb'``.
    """

    def __init__(self, fs: SevenBridgesFileSystem, path: str, mode: str,
                 **kwargs: Any) -> None:
        super().__init__(fs, path, mode=mode, **kwargs)
        self._spill: Any = None

    def _take(self, data: Any) -> int:
        """Append ``data`` to the temporary file (:class:`Spill`)."""
        if self.offset is None:
            self.offset = 0
            self._initiate_upload()
        return self._failing(self._spill.write, data)

    def _initiate_upload(self) -> None:
        self._spill = Spill(self.fs.spill_dir)

    def _upload_chunk(self, final: bool = False) -> bool:
        self._failing(self._spill.write, self.buffer.getbuffer())
        return super()._upload_chunk(final)

    def _end_writes(self) -> None:
        self._failing(self._spill.close)

    def commit(self) -> None:
        """Upload what was written (called by ``close``, or by the
        transaction that holds the file)."""
        try:
            self.fs.upload_local(self._spill.name, self.path,
                                 overwrite=self.mode == 'wb', spilled=True)
        finally:
            self.discard()

    def discard(self) -> None:
        """Drop what was written (nothing reaches the platform)."""
        if self._spill is None:
            return
        try:
            self._spill.close()
        except OSError:
            pass        # what it could not write is dropped with it
        finally:
            try:
                os.remove(self._spill.name)
            except FileNotFoundError:
                pass


class SevenBridgesSizedWriteFile(_WriteFile):
    """A file open for writing with its size said in advance
    (``open(path, 'wb', size=N)``, or ``xb``): the upload starts when the
    file is opened, each part goes to the platform as soon as it is written
    (:class:`~sevenbridges.transfer.stream.StreamedUpload`), and ``close``
    (or the commit of a transaction) makes the file. Nothing goes to disk.

    Exactly ``size`` bytes must be written: a write that goes over raises
    ``ValueError``, and so does a ``close`` before all of them; either
    aborts the upload, as a part that cannot be stored does (an
    ``OSError``). An aborted upload leaves nothing under the name, and a
    file it would have replaced stays as it was.

    :param fs: the filesystem.
    :param path: the file's path.
    :param mode: ``'wb'`` or ``'xb'``.
    :param upload: the upload (not yet open) of ``size`` bytes to ``path``.
    :raises FileExistsError: ``xb``, and the platform has the name.
    """

    def __init__(self, fs: SevenBridgesFileSystem, path: str, mode: str,
                 upload: StreamedUpload, **kwargs: Any) -> None:
        super().__init__(fs, path, mode=mode, **kwargs)
        self.size = upload.size
        self._upload = upload
        try:
            with os_errors(path):
                upload.open()
        except BaseException:
            self.closed = True      # nothing to finish when collected
            raise
        self.offset = 0

    def _take(self, data: Any, copy: bool | None = None) -> int:
        """Hand ``data`` to the upload; ``bytes`` (which nobody can change)
        are sent as they are where they fill whole parts, anything else is
        copied (unless ``copy`` is false: the caller keeps it unchanged
        until the file is closed)."""
        if copy is None:
            copy = not isinstance(data, bytes)
        with os_errors(self.path):
            return self._failing(self._upload.write, data, copy)

    def _end_writes(self) -> None:
        with os_errors(self.path):
            self._failing(self._upload.finish)

    def commit(self) -> None:
        """Make the file of the parts sent (called by ``close``, or by the
        transaction that holds the file)."""
        try:
            with os_errors(self.path):
                self._upload.complete()
        finally:
            self.fs.invalidate_cache(self.path)

    def discard(self) -> None:
        """Abort the upload (nothing reaches the platform; a failure to
        tell it is logged: it drops unfinished uploads after a while); the
        file is closed."""
        self.closed = True
        try:
            self._upload.abort()
        except SbgError as error:
            logger.warning('%s: %s', self.path, error)
