"""Multipart uploads: of files into projects, and of automation code
packages."""
import os
import threading
import uuid

from sevenbridges.emulator.state.checks import INVALID, field
from sevenbridges.emulator.state.common import MIB
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.reaper import Reaper
from sevenbridges.transfer._fileio import (
    DIRECT_ALIGNMENT,
    DIRECT_MINIMUM,
    Buffers,
    PositionalFile,
    fill,
)

# The part size used when the client asks for none, and the platform's
# limits.
DEFAULT_PART_SIZE = 32 * MIB
MIN_PART_SIZE = 5 * MIB
MAX_PART_SIZE = 5 * 1024 * MIB
MAX_PARTS = 10000
MAX_UPLOAD_SIZE = 5 * 1024 * 1024 * MIB


def corrected_part_size(size, asked=None):
    """The part size of an upload of ``size`` bytes, as the platform
    corrects what the client asked: at least 5 MiB, large enough for at
    most 10,000 parts (rounded up to whole MiB), at most 5 GiB; a file over
    5 TiB is refused."""
    if size > MAX_UPLOAD_SIZE:
        raise ApiError(400, f'size: a file is at most {MAX_UPLOAD_SIZE} '
                            f'bytes (5 TiB).', INVALID)
    part_size = max(asked or DEFAULT_PART_SIZE, MIN_PART_SIZE)
    fitting = -(-size // MAX_PARTS)
    if part_size < fitting:
        part_size = -(-fitting // MIB) * MIB
    return min(part_size, MAX_PART_SIZE)


class Uploads:
    """The ``uploads`` collection and the bytes received so far.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param files: the :class:`~sevenbridges.emulator.state.files.Files`
        that a complete upload adds to.
    :param folder: where the parts are written.
    """

    def __init__(self, store, files, folder):
        self.store = store
        self.files = files
        self.folder = folder
        self._reaper = Reaper(folder)
        # One lock per upload: the buffered writes of its parts, received
        # side by side, are made one at a time; and page-aligned buffers,
        # reused, for O_DIRECT writes (see sevenbridges.transfer._fileio).
        self._write_locks = {}
        self._buffers = Buffers(aligned=True)

    def path(self, upload_id):
        return os.path.join(self.folder, upload_id)

    def start(self, user, body, overwrite, kind='file'):
        """A new multipart upload of a ``file`` (into a project) or of
        ``code`` (an automation package), with the part size the client
        must use (:func:`corrected_part_size`)."""
        size = field(body, 'size', int, required=True)
        name = field(body, 'name', str, required=True)
        if size < 0 or not name or '/' in name:
            raise ApiError(400, 'An upload needs a size (0 or more) and a '
                                'name (without "/").', INVALID)
        part_size = corrected_part_size(size, field(body, 'part_size', int))
        if kind == 'file':
            project, folder = self.files.container(
                user, body.get('project'), body.get('parent'), 'write')
            if not overwrite:
                self.files.check_free(folder, name)
        else:
            project, folder = None, None
        upload = {'id': uuid.uuid4().hex, 'name': name,
                  'size': size, 'part_size': part_size, 'project': project,
                  'parent': folder, 'kind': kind, 'overwrite': overwrite,
                  'owner': user['username'], 'stored': {}, 'reported': {},
                  'automation_id': body.get('automation_id')}
        os.makedirs(self.folder, exist_ok=True)
        with open(self.path(upload['id']), 'wb') as fp:
            fp.truncate(size)
        return self.store.put('uploads', upload)

    def get(self, user, upload_id):
        upload = self.store.get('uploads', upload_id)
        if upload is None or upload['owner'] != user['username']:
            raise ApiError(404, f'Upload {upload_id} not found.', 5006)
        return upload

    def store_part(self, upload_id, number, stream, length):
        """Write a part read from ``stream`` (which has ``readinto``) at its
        offset; return its ETag: a new token for each stored version of a
        part, not a digest (the complete step checks that the client
        reported the version stored; no byte is hashed)."""
        upload = self.store.get('uploads', upload_id)
        if upload is None:
            raise ApiError(404, 'Upload not found.', 5006)
        offset = (number - 1) * upload['part_size']
        # Received into a buffer, written at the part's offset from it; a
        # large part goes to the disk with O_DIRECT, as a download does.
        direct = length >= DIRECT_MINIMUM and not offset % DIRECT_ALIGNMENT
        written = 0
        lock = self._write_locks.setdefault(upload_id, threading.Lock())
        with PositionalFile(self.path(upload_id), writable=True,
                            write_lock=lock, direct=direct) as target, \
                self._buffers.lend() as buffer:
            if target.direct:
                # the part's blocks allocated first: O_DIRECT writes into
                # holes wait for each other on the file's lock
                target.reserve(length, offset)
            while written < length:
                count = fill(stream,
                             buffer[:min(len(buffer), length - written)])
                if not count:
                    break
                target.write_at(buffer[:count], offset + written)
                written += count
        if written != length:
            raise ApiError(400, 'The part body is shorter than announced.')
        etag = uuid.uuid4().hex
        with self.store.transaction():
            upload = self.store.get('uploads', upload_id)
            if upload is not None:
                upload['stored'][str(number)] = etag
                self.store.put('uploads', upload)
        return etag

    def report_part(self, user, upload_id, body):
        with self.store.transaction():
            upload = self.get(user, upload_id)
            number = field(body, 'part_number', int, required=True)
            response = field(body, 'response', dict, default={})
            etag = field(field(response, 'headers', dict, default={}),
                         'ETag', str, default='')
            upload['reported'][str(number)] = etag.strip('"')
            self.store.put('uploads', upload)

    def complete(self, user, upload_id):
        """The file an upload made, once every part is there as
        reported."""
        upload = self.get(user, upload_id)
        count = max(1, -(-upload['size'] // upload['part_size']))
        for number in map(str, range(1, count + 1)):
            stored = upload['stored'].get(number)
            if stored is None:
                raise ApiError(400, f'Part {number} was not uploaded.',
                               9000)
            if upload['reported'].get(number) != stored:
                raise ApiError(400, f'The ETag of part {number} does not '
                                    f'match.', 9000)
        path = self.path(upload_id)
        if upload['kind'] == 'file':
            doc = self.files.add_file(upload['project'], upload['parent'],
                                      upload['name'], source_path=path,
                                      replace=upload.get('overwrite', False))
        else:
            doc = self.files.add_loose_file(user, upload['name'],
                                            source_path=path)
        self.store.delete('uploads', upload_id)
        self._write_locks.pop(upload_id, None)
        return doc

    def abort(self, user, upload_id):
        self.get(user, upload_id)
        self.store.delete('uploads', upload_id)
        self._write_locks.pop(upload_id, None)
        self._reaper.remove(self.path(upload_id))

    def close(self):
        """Free the bytes of every upload aborted so far."""
        self._reaper.close()
