"""Reads and writes at offsets of one local file, from many threads at once.

``os.preadv``/``os.pread`` and ``os.pwrite`` where the system has them (one
descriptor, no shared position, no copy of the caller's buffer); elsewhere
(Windows) every thread gets its own handle and seeks it. Always binary, never
buffered by Python: the callers move large blocks.

Writes to one file are made one at a time. Linux serialises buffered writes
to one file on its inode lock anyway, and sixteen threads waiting there
spin on it (``rwsem_spin_on_owner``) instead of sleeping: a download of 16
parts into a file on disk spent a sixth of its CPU so. Waiting on a Python
lock sleeps; the writes themselves take no longer.
"""
from __future__ import annotations

import os
import threading
from contextlib import contextmanager
from typing import Iterator

#: Bytes moved between the network and the disk at once; each part in
#: flight holds one buffer of this size.
IO_CHUNK = 1024 * 1024


def new_buffer(size: int = IO_CHUNK) -> memoryview:
    """A buffer for one part's blocks (reused for each block of the part)."""
    return memoryview(bytearray(size))


class Buffers:
    """The buffers of one transfer: a part borrows one while it moves
    (:meth:`lend`) and the next part reuses it, so there are never more
    than parts in flight, and no part pays for fresh memory.

    :param size: bytes per buffer.
    """

    def __init__(self, size: int = IO_CHUNK) -> None:
        self._size = size
        self._free: list[memoryview] = []

    @contextmanager
    def lend(self) -> Iterator[memoryview]:
        """A buffer for the ``with`` block."""
        try:
            buffer = self._free.pop()       # atomic: no lock needed
        except IndexError:
            buffer = new_buffer(self._size)
        try:
            yield buffer
        finally:
            self._free.append(buffer)


class PositionalFile:
    """A local file read or written at offsets by several threads.

    :param path: the file (it must exist).
    :param writable: open for writing (else read only).
    :param write_lock: the lock its writes are made under (default: its
        own); writers of one file through several instances share one.
    """

    def __init__(self, path: str, writable: bool = False,
                 write_lock: threading.Lock | None = None) -> None:
        self.path = path
        self._mode = 'r+b' if writable else 'rb'
        self._shared = open(path, self._mode, buffering=0)
        self._positional = hasattr(os, 'pwrite' if writable else 'pread')
        self._local = threading.local()
        self._handles = [self._shared]
        self._lock = threading.Lock()
        # one write at a time
        self._write_lock = write_lock or threading.Lock()

    def _handle(self):
        """This thread's own handle (systems without positional calls)."""
        handle = getattr(self._local, 'handle', None)
        if handle is None:
            handle = open(self.path, self._mode, buffering=0)
            with self._lock:
                self._handles.append(handle)
            self._local.handle = handle
        return handle

    def read_into(self, view: memoryview, offset: int) -> int:
        """Read up to ``len(view)`` bytes at ``offset`` into ``view``; the
        count read (0 at the end of the file)."""
        if not self._positional:
            handle = self._handle()
            handle.seek(offset)
            return handle.readinto(view) or 0
        if hasattr(os, 'preadv'):
            return os.preadv(self._shared.fileno(), [view], offset)
        data = os.pread(self._shared.fileno(), len(view), offset)
        view[:len(data)] = data
        return len(data)

    def write_at(self, view: memoryview, offset: int) -> None:
        """Write all of ``view`` at ``offset`` (after the write of another
        thread in progress, if any: see the module's documentation)."""
        if not self._positional:
            handle = self._handle()
            with self._write_lock:
                handle.seek(offset)
                while view:
                    view = view[handle.write(view):]
            return
        descriptor = self._shared.fileno()
        with self._write_lock:
            while view:
                written = os.pwrite(descriptor, view, offset)
                view, offset = view[written:], offset + written

    def close(self) -> None:
        """Close every handle (call once no thread uses the file)."""
        with self._lock:
            handles, self._handles = self._handles, []
        for handle in handles:
            handle.close()

    def __enter__(self) -> PositionalFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
