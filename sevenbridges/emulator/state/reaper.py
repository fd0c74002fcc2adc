"""Bytes removed off the request path.

Unlinking a large file is not free: on ext4, 512 MiB take about 100 ms,
mostly freeing its cached pages and extents. The platform's storage frees
replaced and deleted objects in the background; so does the emulator. A
file to remove is renamed aside at once (atomic, and instant on one file
system), so that it is gone from where it was before the request that
removed it answers; one background thread then unlinks it.
"""
import contextlib
import os
import queue
import threading

from sevenbridges.emulator.state.common import new_id
from sevenbridges.transfer.journals import remove_quietly

#: The folder, inside the one a :class:`Reaper` serves, of what waits to be
#: unlinked.
REMOVED = '.removed'


class Reaper:
    """Removes files of ``folder``: at once from their place, their bytes
    in the background.

    What an emulator killed before it could unlink is unlinked when the
    next one starts on the same data directory.

    :param folder: the folder whose files it removes (what it sets aside
        stays on that file system, in ``folder/.removed``).
    """

    def __init__(self, folder: str):
        self.folder = os.path.join(folder, REMOVED)
        os.makedirs(self.folder, exist_ok=True)
        self._queue: queue.Queue = queue.Queue()
        self._lock = threading.Lock()
        self._thread = None
        for name in sorted(os.listdir(self.folder)):
            self._unlink_later(os.path.join(self.folder, name))

    def remove(self, path: str) -> None:
        """Remove the file at ``path`` now (nothing when there is none); its
        bytes are freed in the background."""
        aside = os.path.join(self.folder, new_id())
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            return
        except OSError:
            # Not on the same file system after all: unlink in place.
            with contextlib.suppress(FileNotFoundError):
                os.remove(path)
            return
        self._unlink_later(aside)

    def close(self) -> None:
        """Unlink everything still waiting, then stop the thread."""
        with self._lock:
            thread, self._thread = self._thread, None
            if thread is None:
                return
            self._queue.put(None)
        thread.join()

    def _unlink_later(self, path):
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name='emulator-reaper', daemon=True)
                self._thread.start()
            self._queue.put(path)

    def _run(self):
        while True:
            path = self._queue.get()
            if path is None:
                return
            remove_quietly(path)
