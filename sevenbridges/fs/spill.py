"""The temporary file that holds what a file open for writing received,
until ``close`` uploads it (see :mod:`sevenbridges.fs.files` for why a
write of unknown size needs one).

:meth:`Spill.write` copies the caller's bytes into one of a few
page-aligned blocks of :data:`BLOCK` bytes and returns; a thread of the
spill writes each full block to the file while the caller goes on making
the next ones (a ``to_csv`` or ``to_parquet`` producing them on one core,
the kernel copying them into the page cache on another).

The blocks go through the page cache by default: a spill is read back at
once by the upload and removed, so most of it never needs to reach the
disk. With :data:`DIRECT` they are written with ``O_DIRECT`` where the
file system takes it (see
:class:`~sevenbridges.transfer._fileio.PositionalFile`), straight to the
disk: on the 2-core VMs of ``benchmarks/filesystem.py``, which give freed
memory back to their host, that cut the spill of 512 MiB from 1.1-2.1 s
(1.0-1.4 CPU s: the kernel touching fresh page cache) to 0.4-0.5 s
(0.2 CPU s), but the upload then read the file from the disk into fresh
page cache (close: 1.0-1.9 s instead of 0.5-1.0), so the write took as
long; where memory is at hand (``--memory warm``) it was slower (1.3-1.4 s
against 0.9-1.2), and on a slow disk (a network volume of 125 MiB/s) it
would cost seconds per GiB each way.

Memory stays bounded: at most :data:`BLOCKS` blocks; a caller faster than
the writes waits for a free block. A file no larger than one block never
reaches the thread: it is written through the page cache on ``close``
(a small file must not wait for the disk). A failure of the thread (a full
disk) is raised by the next ``write`` or by ``close``.
"""
from __future__ import annotations

import os
import queue
import tempfile
import threading
from typing import Any, List, Tuple

from sevenbridges.transfer._fileio import PositionalFile, new_buffer

#: Bytes of one block (one write of the thread).
BLOCK = 8 * 1024 * 1024
#: Blocks of one spill at most (its memory: ``BLOCK * BLOCKS``).
BLOCKS = 4
#: Write the blocks with ``O_DIRECT`` where the file system takes it
#: (see above: not by default).
DIRECT = False

_Job = Tuple[memoryview, int, int]


class Spill:
    """A temporary file filled in the background.

    :param folder: where it is made (``None``: the system's temporary
        folder).
    """

    def __init__(self, folder: str | None = None) -> None:
        descriptor, self.name = tempfile.mkstemp(prefix='sbg-fs-',
                                                 suffix='.part', dir=folder)
        os.close(descriptor)
        #: where the current block starts in the file
        self._start = 0
        self._blocks: List[memoryview] = [new_buffer(BLOCK, aligned=True)]
        self._free: queue.Queue[memoryview] = queue.Queue()
        self._full: queue.Queue[_Job | None] = queue.Queue()
        self._current = self._blocks[0]
        self._filled = 0
        self._file: PositionalFile | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._stopped = False
        self.closed = False

    # -- the caller's side --------------------------------------------------------

    def write(self, data: Any) -> int:
        """Append ``data`` (any bytes-like object); its length.

        :raises OSError: the writes of earlier blocks failed.
        """
        if self.closed:
            raise ValueError('write to a closed spill')
        view = memoryview(data)
        if view.format != 'B' or view.ndim != 1:
            view = view.cast('B')
        count = len(view)
        while view:
            self._raise_failure()
            take = min(len(view), BLOCK - self._filled)
            self._current[self._filled:self._filled + take] = view[:take]
            self._filled += take
            view = view[take:]
            if self._filled == BLOCK:
                self._hand_on()
        return count

    @property
    def size(self) -> int:
        """Bytes written so far."""
        return self._start + self._filled

    def _hand_on(self) -> None:
        """Give the full current block to the thread; take a free one."""
        if self._thread is None:
            self._file = PositionalFile(self.name, writable=True,
                                        direct=DIRECT)
            self._thread = threading.Thread(target=self._run, daemon=True,
                                            name='sbg-fs-spill')
            self._thread.start()
        self._full.put((self._current, self._start, self._filled))
        self._start += self._filled
        self._filled = 0
        if len(self._blocks) < BLOCKS:
            self._current = new_buffer(BLOCK, aligned=True)
            self._blocks.append(self._current)
        else:
            self._current = self._free.get()

    def close(self) -> None:
        """Write what is left and wait until all of it is in the file.

        :raises OSError: a write failed (the file is then incomplete).
        """
        if self.closed:
            return
        self.closed = True
        if self._thread is None:
            # one block at most: through the page cache, at once
            with open(self.name, 'wb') as fp:
                fp.write(self._current[:self._filled])
            return
        if self._filled:
            self._full.put((self._current, self._start, self._filled))
        self._finish()
        self._raise_failure()

    def discard(self) -> None:
        """Stop, and remove the file."""
        self._stopped = True
        self.closed = True
        if self._thread is not None:
            self._finish()
        try:
            os.remove(self.name)
        except FileNotFoundError:
            pass

    def _finish(self) -> None:
        """Let the thread write what it was given, then end it."""
        if self._thread is not None and self._thread.is_alive():
            self._full.put(None)
            self._thread.join()
        if self._file is not None:
            self._file.close()
            self._file = None

    def _raise_failure(self) -> None:
        if self._error is not None:
            raise self._error

    # -- the thread ---------------------------------------------------------------

    def _run(self) -> None:
        assert self._file is not None
        while True:
            job = self._full.get()
            if job is None:
                return
            block, offset, length = job
            try:
                if self._error is None and not self._stopped:
                    self._file.write_at(block[:length], offset)
            except BaseException as error:  # raised in the caller's thread
                self._error = error
            finally:
                self._free.put(block)
