"""Parts of a file: their sizes and layout.

An upload asks the platform for a part size (:func:`part_size_to_ask`) and
uses the one it answers; a download chooses its own
(:func:`download_part_size`). Parts are numbered from 1, at their offsets
(:func:`part_layout`).
"""
from __future__ import annotations

from sevenbridges.errors import SbgError
from sevenbridges.models.enums import PartSize
from sevenbridges.transfer._fileio import IO_CHUNK

__all__ = ['check_file_size', 'part_size_to_ask', 'download_part_size',
           'tree_part_size', 'count_parts', 'part_layout', 'buffer_size']

#: Bytes per ranged request of a download when no part size is given: the
#: file's size in :data:`DEFAULT_PARTS` parts (whole MiB), at least
#: ``DEFAULT_PART_SIZE`` and at most ``MAXIMUM_DEFAULT_PART_SIZE``: every
#: worker gets parts, and a large file does not pay a request for every
#: few MiB.
DEFAULT_PART_SIZE = 8 * PartSize.MB
MAXIMUM_DEFAULT_PART_SIZE = 64 * PartSize.MB
DEFAULT_PARTS = 32


def check_file_size(file_size):
    """:raises SbgError: when a file is too large for the platform."""
    if file_size > PartSize.MAXIMUM_OBJECT_SIZE:
        raise SbgError(f'File size = {file_size}b. Maximum file size is '
                       f'{PartSize.MAXIMUM_OBJECT_SIZE}b')


def part_size_to_ask(file_size, requested=None):
    """The part size an upload asks the platform for: ``requested`` as
    given (the platform corrects it, and its answer is the one used), else
    the recommended size, grown (in whole MiB) so that the file fits in the
    maximum number of parts.

    :raises SbgError: for a file over the platform's maximum size.
    """
    check_file_size(file_size)
    if requested is not None:
        return requested
    needed = -(-file_size // PartSize.MAXIMUM_TOTAL_PARTS)
    needed = -(-needed // PartSize.MB) * PartSize.MB
    return max(PartSize.UPLOAD_RECOMMENDED_SIZE, needed)


def download_part_size(file_size):
    """The part size of a download of ``file_size`` bytes when none is
    given (see :data:`DEFAULT_PARTS`)."""
    size = -(-file_size // DEFAULT_PARTS // PartSize.MB) * PartSize.MB
    return min(MAXIMUM_DEFAULT_PART_SIZE, max(DEFAULT_PART_SIZE, size))


#: Parts a file of a folder download keeps at least when the tree's parts
#: are made larger (see :func:`tree_part_size`): it still moves in
#: parallel, and the last files do not leave workers idle.
TREE_MINIMUM_PARTS = 4


def tree_part_size(file_size, large_bytes, workers):
    """The part size of a file of ``file_size`` bytes in a folder download
    whose files of more than one default part hold ``large_bytes`` bytes
    together, on a pool of ``workers``: those bytes over the workers (whole
    MiB), so that the tree's parts are about as many as the workers (its
    files share them: four files of 64 MiB make 16 parts of 16 MiB, not 32
    of 8, and move about 15% faster on loopback for less CPU); never under
    the file's own :func:`download_part_size` (a tree of one large file
    keeps its parallelism), and at most the file in
    :data:`TREE_MINIMUM_PARTS` parts."""
    own = download_part_size(file_size)
    shared = _whole_mib(-(-large_bytes // max(1, workers)))
    return max(own, min(shared, _whole_mib(
        -(-file_size // TREE_MINIMUM_PARTS)), MAXIMUM_DEFAULT_PART_SIZE))


def _whole_mib(size):
    return -(-size // PartSize.MB) * PartSize.MB


def count_parts(file_size, part_size):
    """How many parts :func:`part_layout` makes (at least one)."""
    return max(1, -(-file_size // part_size))


def part_layout(file_size, part_size):
    """``[(number, offset, size), ...]`` of a file: 1-based numbers, every
    part full but the last, which is never empty (an empty file has one
    empty part)."""
    if file_size == 0:
        return [(1, 0, 0)]
    return [(index + 1, offset, min(part_size, file_size - offset))
            for index, offset in enumerate(range(0, file_size, part_size))]


def buffer_size(file_size):
    """Bytes of the buffers that move the blocks of a file of
    ``file_size`` bytes: ``IO_CHUNK``, or the file and one byte (which
    shows a body longer than asked) when that is less. A buffer is
    allocated and zeroed whole: a small file does not pay for a MiB."""
    return min(IO_CHUNK, file_size + 1)
