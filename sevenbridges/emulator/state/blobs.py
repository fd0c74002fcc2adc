"""The bytes of files, one local file (a blob) each."""
import os
import shutil

from sevenbridges.emulator.state.common import new_id
from sevenbridges.emulator.state.reaper import Reaper


class Blobs:
    """The blobs of files, by file id.

    :param folder: where they are kept.
    """

    def __init__(self, folder):
        self.folder = folder
        os.makedirs(folder, exist_ok=True)
        self._reaper = Reaper(folder)

    def path(self, file_id):
        """Where the bytes of a file are."""
        return os.path.join(self.folder, file_id)

    def staging_path(self, purpose):
        """A new path beside the blobs, to gather bytes before they become
        a file's (``purpose`` names it: ``copy``, ``import``...)."""
        return os.path.join(self.folder, f'.{purpose}-{new_id()}')

    def keep(self, file_id, content=None, source_path=None,
             copied_from=None):
        """Keep the bytes of a file (given, moved from ``source_path``, or
        copied from the file ``copied_from`` through a staging path, so
        that a blob is never seen half written); return their size."""
        target = self.path(file_id)
        if copied_from is not None:
            source_path = self.staging_path('copy')
            shutil.copyfile(copied_from, source_path)
        if source_path is not None:
            os.replace(source_path, target)
        else:
            with open(target, 'wb') as fp:
                fp.write(content or b'')
        return os.path.getsize(target)

    def follow(self, file_id, source):
        """Make the bytes of a file those of the local file ``source``, as
        it grows (a hard link, a symbolic one where hard links fail);
        return their size now."""
        target = self.path(file_id)
        try:
            os.link(source, target)
        except OSError:
            os.symlink(os.path.abspath(source), target)
        return os.path.getsize(target)

    def size(self, file_id):
        """The size of a file's bytes now (``None`` when they are
        gone)."""
        try:
            return os.path.getsize(self.path(file_id))
        except OSError:
            return None

    def remove(self, file_id):
        """Remove a file's bytes, if there are any: gone from
        :meth:`path` at once, freed in the background (see
        :mod:`~sevenbridges.emulator.state.reaper`)."""
        self._reaper.remove(self.path(file_id))

    def close(self):
        """Free the bytes of every file removed so far."""
        self._reaper.close()
