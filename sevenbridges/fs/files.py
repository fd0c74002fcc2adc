"""Open files of the ``sbg://`` filesystem.

Reads (:class:`SevenBridgesReadFile`) are ranged ``GET`` requests of the
file's signed URL through fsspec's block caches: random access without
reading what is skipped.

Writes (:class:`SevenBridgesWriteFile`) take any size without knowing it in
advance, in bounded memory: what is written is appended to a temporary
file as it comes (no block gathered in memory); on ``close`` the temporary
file is uploaded as an ordinary multipart upload (parts in parallel,
retried, resumable) and removed. The platform's upload protocol needs the total size
before the first part (``POST /upload/multipart`` takes ``size``, the
platform answers the part size from it and keeps at most 10,000 parts at
offsets fixed by it), so parts cannot be streamed before the size is known:
the temporary file is what makes an unknown size possible.

``xb`` (and ``pipe_file(mode='create')``) upload without ``overwrite``:
the platform refuses an existing name when the upload starts and again when
it completes, so two writers never both succeed; the loser gets
``FileExistsError``.
"""
from __future__ import annotations

import os
import tempfile
from typing import TYPE_CHECKING, Any, Callable

from fsspec.spec import AbstractBufferedFile  # type: ignore[import-untyped]

from sevenbridges.fs import storage

if TYPE_CHECKING:
    from sevenbridges.fs.filesystem import SevenBridgesFileSystem
    from sevenbridges.fs.listing import Info


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


class SevenBridgesWriteFile(AbstractBufferedFile):
    """A file open for writing (``wb``, or ``xb``: only when the name is
    free). The platform gets the file on ``close`` (or at the commit of a
    transaction); until then nothing of it is there.

    :param fs: the filesystem.
    :param path: the file's path.
    :param mode: ``'wb'`` or ``'xb'``.
    """

    #: Bytes handed on so far (``None`` until the first write); fsspec's.
    offset: int | None

    def __init__(self, fs: SevenBridgesFileSystem, path: str, mode: str,
                 **kwargs: Any) -> None:
        super().__init__(fs, path, mode=mode, **kwargs)
        self._spill: Any = None

    def write(self, data: Any) -> int:
        """Append ``data`` to the temporary file (straight: no block is
        gathered in memory first)."""
        if not self.writable():
            raise ValueError('File not in write mode')
        if self.forced:
            raise ValueError('This file has been force-flushed, can only '
                             'close')
        if self.offset is None:
            self.offset = 0
            self._initiate_upload()
        count = self._on_spill(self._spill.write, data)
        self.loc += count
        return count

    def _on_spill(self, action: Callable[..., Any], *args: Any) -> Any:
        """``action(*args)`` on the temporary file (a write, or the close
        that writes what it still buffers). One that fails (a full disk)
        drops the file: what it holds is not what was written, and it is
        never uploaded (not even by a later ``close``)."""
        try:
            return action(*args)
        except BaseException:
            self.discard()
            self.closed = True
            raise

    def _initiate_upload(self) -> None:
        self._spill = tempfile.NamedTemporaryFile(
            prefix='sbg-fs-', suffix='.part', dir=self.fs.spill_dir,
            delete=False)

    def _upload_chunk(self, final: bool = False) -> bool:
        self._on_spill(self._spill.write, self.buffer.getbuffer())
        if final:
            self._on_spill(self._spill.close)
            if self.autocommit:
                self.commit()
        return True

    def commit(self) -> None:
        """Upload what was written (called by ``close``, or by the
        transaction that holds the file)."""
        try:
            self.fs.upload_local(self._spill.name, self.path,
                                 overwrite=self.mode == 'wb')
        finally:
            self.discard()

    def __exit__(self, exc_type: Any, *exc: Any) -> None:
        if exc_type is None:
            self.close()
            return
        # The block failed: what it wrote is not the file it meant.
        self.discard()
        self.closed = True

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
