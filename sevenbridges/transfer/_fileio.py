"""Reads and writes at offsets of one local file, from many threads at once.

``os.preadv``/``os.pread`` and ``os.pwrite`` where the system has them (one
descriptor, no shared position, no copy of the caller's buffer); elsewhere
(Windows) every thread gets its own handle and seeks it. Always binary, never
buffered by Python: the callers move large blocks.

Buffered writes to one file are made one at a time. Linux serialises them
on the file's inode lock anyway, and sixteen threads waiting there
spin on it (``rwsem_spin_on_owner``) instead of sleeping: a download of 16
parts into a file on disk spent a sixth of its CPU so. Waiting on a Python
lock sleeps; the writes themselves take no longer.

A file on a block device opened with ``direct=True`` (downloads and the
emulator's received parts of :data:`DIRECT_MINIMUM` bytes or more)
writes its aligned blocks with ``O_DIRECT``: from the caller's page-aligned
buffer (:func:`new_buffer` with ``aligned=True``) straight to the disk,
without the kernel's copy into fresh page cache, which took most of a
download's CPU on machines that hand freed memory back to their host (a
512 MiB download to ext4: 0.7-0.9 CPU s/GiB instead of 2.2-3.3, and faster).
These writes are not serialised: each waits for the disk, and the file
system runs them side by side where their blocks are allocated
(:meth:`PositionalFile.reserve`; into holes, ext4 makes them wait for each
other). What is not aligned (a file's tail),
files not on a block device (tmpfs, where ``O_DIRECT`` would be a
buffered write without the lock; network and FUSE file systems), and
everything where ``O_DIRECT`` is refused (at open, or ``EINVAL`` at a
write) or missing (macOS, Windows) go through the ordinary descriptor.
A file opened with ``direct_reads=True`` (the temporary file of a
filesystem write, just written with ``O_DIRECT``, which its upload reads
back) reads its aligned blocks the same way, into page-aligned buffers,
and is never sent with ``sendfile``: no page cache is filled for it.
"""
from __future__ import annotations

import errno
import logging
import mmap
import os
import selectors
import socket
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

logger = logging.getLogger(__name__)

#: Bytes moved between the network and the disk at once; each part in
#: flight holds one buffer of this size.
IO_CHUNK = 1024 * 1024


#: Bytes asked of each ``sendfile`` call of :meth:`PositionalFile.send`
#: (it sends what the socket's buffer takes, often less); the progress is
#: reported after each call.
SEND_CHUNK = 8 * IO_CHUNK


#: What ``sendfile`` raises where a file (or file system) cannot be sent
#: with it: such a file is then read and sent as before.
_NO_SENDFILE = frozenset(code for code in (
    errno.EINVAL, errno.ENOSYS, getattr(errno, 'EOPNOTSUPP', None),
    getattr(errno, 'ENOTSUP', None)) if code)


class SendfileRefused(OSError):
    """``sendfile`` is refused for this file: nothing was sent."""


#: What a preallocation that fails for want of room raises (the others
#: are of file systems that cannot preallocate).
_NO_ROOM = frozenset(code for code in (
    errno.ENOSPC, getattr(errno, 'EDQUOT', None), errno.EFBIG) if code)

#: What ``O_DIRECT`` writes align to: their offsets, lengths and memory (a
#: page; block devices ask for at most this).
DIRECT_ALIGNMENT = 4096


#: Bytes under which a file (or a part received by the emulator) is written
#: through the page cache, never with ``O_DIRECT``: a small file must not
#: wait for the disk, and its copy costs little.
DIRECT_MINIMUM = 8 * IO_CHUNK


def new_buffer(size: int = IO_CHUNK, aligned: bool = False) -> memoryview:
    """A buffer for one part's blocks (reused for each block of the part);
    ``aligned``: its memory starts on a page (an anonymous ``mmap``), as
    ``O_DIRECT`` writes need."""
    if aligned:
        return memoryview(mmap.mmap(-1, size))
    return memoryview(bytearray(size))


def fill(reader, view: memoryview) -> int:
    """Read from ``reader`` (its ``readinto``) into all of ``view``, less
    only at its end; the count read. Whole buffers keep the blocks written
    from them aligned (see :class:`PositionalFile`)."""
    filled = 0
    while filled < len(view):
        count = reader.readinto(view[filled:])
        if not count:
            break
        filled += count
    return filled


class Buffers:
    """The buffers of one transfer: a part borrows one while it moves
    (:meth:`lend`) and the next part reuses it, so there are never more
    than parts in flight, and no part pays for fresh memory.

    :param size: bytes per buffer.
    :param aligned: page-aligned buffers (see :func:`new_buffer`).
    """

    def __init__(self, size: int = IO_CHUNK, aligned: bool = False) -> None:
        self._size = size
        self._aligned = aligned
        self._free: list[memoryview] = []

    @contextmanager
    def lend(self) -> Iterator[memoryview]:
        """A buffer for the ``with`` block."""
        try:
            buffer = self._free.pop()       # atomic: no lock needed
        except IndexError:
            buffer = new_buffer(self._size, self._aligned)
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
    :param direct: write aligned blocks with ``O_DIRECT`` where it is taken
        (see the module's documentation); the views written must then
        start on a page (buffers of :func:`new_buffer` with ``aligned``).
    :param direct_reads: read aligned blocks with ``O_DIRECT`` where it is
        taken, into views that start on a page, and never :meth:`send`
        (a file just written with ``O_DIRECT`` is not in the page cache:
        read through it, or sent from it, it would fill fresh page cache).
    """

    def __init__(self, path: str, writable: bool = False,
                 write_lock: threading.Lock | None = None,
                 direct: bool = False, direct_reads: bool = False) -> None:
        self.path = path
        self._mode = 'r+b' if writable else 'rb'
        self._shared = open(path, self._mode, buffering=0)
        self._positional = hasattr(os, 'pwrite' if writable else 'pread')
        self._local = threading.local()
        self._handles = [self._shared]
        self._lock = threading.Lock()
        # one write at a time
        self._write_lock = write_lock or threading.Lock()
        self._direct_descriptor = self._open_direct(os.O_WRONLY) \
            if direct and writable and self._positional else None
        # the descriptor while direct writes are taken
        self._direct = self._direct_descriptor
        self._reads_descriptor = self._open_direct(os.O_RDONLY) \
            if direct_reads and hasattr(os, 'preadv') else None
        # the descriptor while direct reads are taken
        self._direct_reads = self._reads_descriptor
        self._sends = hasattr(os, 'sendfile') and not direct_reads

    def _open_direct(self, flags: int) -> int | None:
        """A descriptor of the file for ``O_DIRECT`` writes or reads
        (``flags``; ``None`` where there is none, or the file is not on a
        block device: its device's major number is 0)."""
        flag = getattr(os, 'O_DIRECT', None)
        if flag is None or not os.major(
                os.fstat(self._shared.fileno()).st_dev):
            return None
        try:
            return os.open(self.path, flags | flag)
        except OSError as error:
            logger.debug('No O_DIRECT to %s: %s', self.path, error)
            return None

    @property
    def reads_direct(self) -> bool:
        """Whether aligned blocks are read with ``O_DIRECT``."""
        return self._direct_reads is not None

    @property
    def direct(self) -> bool:
        """Whether aligned blocks are written with ``O_DIRECT``."""
        return self._direct is not None

    def reserve(self, size: int, offset: int = 0) -> None:
        """Allocate ``size`` bytes of the file (from ``offset``) on the
        disk at once (``posix_fallocate``), so that the writes there find
        their blocks allocated. Where the file system has no ``fallocate``, glibc
        allocates by writing into each block instead (slower, the same
        result); a refusal (another C library, no such call) is ignored.

        :raises OSError: when the disk (or the user's quota) has no room
            for them (``ENOSPC``, ``EDQUOT``, ``EFBIG``).
        """
        if not hasattr(os, 'posix_fallocate'):
            return
        try:
            os.posix_fallocate(self._shared.fileno(), offset, size)
        except OSError as error:
            if error.errno in _NO_ROOM:
                raise
            logger.debug('No preallocation of %s: %s', self.path, error)

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
        if self._direct_reads is not None and not (
                offset % DIRECT_ALIGNMENT or len(view) % DIRECT_ALIGNMENT):
            try:
                return os.preadv(self._direct_reads, [view], offset)
            except OSError as error:
                if error.errno != errno.EINVAL:
                    raise
                logger.debug('O_DIRECT reads of %s refused: %s', self.path,
                             error)
                self._direct_reads = None   # closed with the file
        if hasattr(os, 'preadv'):
            return os.preadv(self._shared.fileno(), [view], offset)
        data = os.pread(self._shared.fileno(), len(view), offset)
        view[:len(data)] = data
        return len(data)

    @property
    def sends(self) -> bool:
        """Whether :meth:`send` is available: ``os.sendfile`` exists, and
        has not refused this file."""
        return self._sends

    def send(self, sock: socket.socket, offset: int, count: int,
             moved: Callable[[int], None] | None = None) -> int:
        """Send ``count`` bytes at ``offset`` to the plain (not TLS)
        socket ``sock`` with ``os.sendfile``: from the page cache to the
        socket, without a copy into this process, nor reads and sends
        from Python for each block. Waits for room in the socket's buffer
        as ``sendall`` does, at most the socket's timeout each time.
        ``moved`` is called with the bytes of each call sent; the count
        sent (less than ``count`` only where the file ends sooner).

        :raises TimeoutError: when the socket takes nothing for its
            timeout.
        :raises SendfileRefused: when ``sendfile`` refuses the file before
            it sent anything (then :attr:`sends` is false: the caller reads
            and sends it instead).
        """
        out, source = sock.fileno(), self._shared.fileno()
        timeout = sock.gettimeout()
        sent = 0
        with selectors.DefaultSelector() as selector:
            selector.register(out, selectors.EVENT_WRITE)
            while sent < count:
                try:
                    done = os.sendfile(out, source, offset + sent,
                                       min(count - sent, SEND_CHUNK))
                except BlockingIOError:
                    if not selector.select(timeout):
                        raise TimeoutError('timed out') from None
                    continue
                except OSError as error:
                    if sent or error.errno not in _NO_SENDFILE:
                        raise
                    logger.debug('No sendfile from %s: %s', self.path,
                                 error)
                    self._sends = False
                    raise SendfileRefused(error.errno,
                                          error.strerror) from error
                if not done:
                    break               # the end of the file
                sent += done
                if moved is not None:
                    moved(done)
        return sent

    def write_at(self, view: memoryview, offset: int) -> None:
        """Write all of ``view`` at ``offset``: its aligned blocks with
        ``O_DIRECT`` when the file takes them, the rest after the write of
        another thread in progress, if any (see the module's
        documentation)."""
        if not self._positional:
            handle = self._handle()
            with self._write_lock:
                handle.seek(offset)
                while view:
                    view = view[handle.write(view):]
            return
        if self._direct is not None and not offset % DIRECT_ALIGNMENT:
            view, offset = self._write_direct(view, offset)
        descriptor = self._shared.fileno()
        with self._write_lock:
            while view:
                written = os.pwrite(descriptor, view, offset)
                view, offset = view[written:], offset + written

    def _write_direct(self, view: memoryview,
                      offset: int) -> tuple[memoryview, int]:
        """Write the aligned blocks at the start of ``view`` (at an aligned
        ``offset``) with ``O_DIRECT``; what is left to write, and where.
        A refusal (``EINVAL``) ends the file's direct writes."""
        descriptor = self._direct
        while descriptor is not None and len(view) >= DIRECT_ALIGNMENT:
            try:
                written = os.pwrite(
                    descriptor, view[:len(view) - len(view) % DIRECT_ALIGNMENT],
                    offset)
            except OSError as error:
                if error.errno != errno.EINVAL:
                    raise
                logger.debug('O_DIRECT writes to %s refused: %s', self.path,
                             error)
                self._direct = None   # closed with the file
                break
            view, offset = view[written:], offset + written
            if written % DIRECT_ALIGNMENT:
                break
        return view, offset

    def close(self) -> None:
        """Close every handle (call once no thread uses the file)."""
        with self._lock:
            handles, self._handles = self._handles, []
            direct, self._direct_descriptor = self._direct_descriptor, None
            reads, self._reads_descriptor = self._reads_descriptor, None
        for handle in handles:
            handle.close()
        for descriptor in (direct, reads):
            if descriptor is not None:
                os.close(descriptor)

    def __enter__(self) -> PositionalFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
