"""Parts, progress and the progress bar of transfers."""
import math
import sys

__all__ = ['Part', 'Progress', 'total_parts', 'simple_progress_bar']


def total_parts(file_size, part_size):
    """How many parts of ``part_size`` bytes cover ``file_size`` bytes."""
    return int(math.ceil(file_size / part_size))


class Part:
    """A piece of a file: where it starts and how many bytes it has."""

    def __init__(self, start=None, size=None):
        self._start = start
        self._size = size

    @property
    def start(self):
        """Offset of the part's first byte."""
        return self._start

    @property
    def size(self):
        """Bytes in the part."""
        return self._size

    def __repr__(self):
        return f'<Part: start={self._start}, size={self._size}>'


class Progress:
    """A snapshot of a transfer's progress, given to progress callbacks.

    :param num_of_parts: parts of the file.
    :param parts_done: parts transferred completely.
    :param bytes_done: bytes transferred.
    :param file_size: bytes of the file.
    :param duration: seconds since the transfer started.
    """

    def __init__(self, num_of_parts, parts_done, bytes_done, file_size,
                 duration):
        self._num_of_parts = num_of_parts
        self._parts_done = parts_done
        self._bytes_done = bytes_done
        self._file_size = file_size
        self._duration = duration

    @property
    def num_of_parts(self):
        return self._num_of_parts

    @property
    def parts_done(self):
        return self._parts_done

    @property
    def bytes_done(self):
        return self._bytes_done

    @property
    def file_size(self):
        return self._file_size

    @property
    def duration(self):
        """Seconds since the transfer started."""
        return self._duration

    @property
    def progress(self):
        """Percent done (0 to 100)."""
        if not self._file_size:
            return 100.0 if self._parts_done else 0.0
        return min(self._bytes_done / self._file_size * 100, 100.0)

    @property
    def bandwidth(self):
        """Megabytes (10^6 bytes) per second so far."""
        if not self._duration:
            return 0.0
        return (self._bytes_done / 1_000_000) / self._duration

    def __repr__(self):
        return (f'<Progress: {self.progress:.2f}% of {self._file_size} B, '
                f'parts {self._parts_done}/{self._num_of_parts}>')


def simple_progress_bar(progress):
    """Print a one-line progress bar (use it as a progress callback)::

        upload.add_progress_callback(simple_progress_bar)

    :param progress: a :class:`Progress`.
    """
    sys.stdout.write(
        f'\rTransfer: Progress[{progress.progress:.2f}%], '
        f'Bandwidth[{progress.bandwidth:.2f}MB/s], '
        f'Parts[total={progress.num_of_parts}, Done={progress.parts_done}],'
        f'  Duration[{progress.duration:.2f}s]\b')
    sys.stdout.flush()
