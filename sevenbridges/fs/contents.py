"""Reads and writes of files of the ``sbg://`` filesystem: ranged reads
of signed URLs, downloads, uploads, and whole trees through the folder
transfers."""
from __future__ import annotations

import errno
import numbers
import os
from typing import Any, Dict, List

from fsspec.callbacks import DEFAULT_CALLBACK  # type: ignore[import-untyped]
from fsspec.spec import AbstractFileSystem  # type: ignore[import-untyped]
from fsspec.utils import isfilelike  # type: ignore[import-untyped]

from sevenbridges.fs import paths, storage, trees
from sevenbridges.fs.errors import exists, is_a_folder, not_a_folder, os_errors
from sevenbridges.fs.files import (
    SevenBridgesReadFile,
    SevenBridgesSizedWriteFile,
    SevenBridgesWriteFile,
)
from sevenbridges.fs.listing import Info
from sevenbridges.transfer.stream import StreamedUpload, check_size


class FileContents(AbstractFileSystem):
    """The reads and writes of
    :class:`~sevenbridges.fs.filesystem.SevenBridgesFileSystem`."""

    # -- reads --------------------------------------------------------------------

    def _open(self, path: str, mode: str = 'rb', block_size: Any = None,
              autocommit: bool = True, cache_options: Any = None,
              **kwargs: Any) -> Any:
        path = self._strip_protocol(path)
        if mode == 'rb':
            info = self.info(path)
            if info['type'] == 'directory':
                raise is_a_folder(path)
            return SevenBridgesReadFile(
                self, path, info, block_size=block_size,
                autocommit=autocommit, cache_options=cache_options, **kwargs)
        if mode in ('wb', 'xb'):
            size = kwargs.pop('size', None)
            if size is not None:
                return self._open_sized(path, mode, check_size(size),
                                        block_size, autocommit=autocommit,
                                        cache_options=cache_options,
                                        **kwargs)
            self._check_writable(path, mode)
            return SevenBridgesWriteFile(
                self, path, mode, block_size=block_size,
                autocommit=autocommit, cache_options=cache_options, **kwargs)
        raise ValueError(f"mode: {mode!r} is not supported (rb, wb, xb; "
                         f"platform files are not appended to).")

    def signed_url(self, file_id: str, path: str) -> str:
        """A signed storage URL of the file ``file_id`` (one request)."""
        with os_errors(path):
            return self._file({'id': file_id, 'type': 'file',
                               'name': path}).download_info().url

    def _signed(self, info: Info) -> storage.SignedUrl:
        """The signed URL of a file, asked for when first needed."""
        return storage.SignedUrl(
            lambda: self.signed_url(info['id'], info['name']))

    def sign(self, path: str, expiration: int = 100, **kwargs: Any) -> str:
        """The signed storage URL of a file (its lifetime is the
        platform's: ``expiration`` is not used)."""
        path = self._strip_protocol(path)
        info = self.info(path)
        if info['type'] == 'directory':
            raise is_a_folder(path)
        return self.signed_url(info['id'], path)

    def cat_file(self, path: str, start: int | None = None,
                 end: int | None = None, **kwargs: Any) -> bytes:
        """The bytes of a file (``start`` and ``end`` as in a slice): one
        URL request, then ranged reads (in parallel for large reads)."""
        path = self._strip_protocol(path)
        info = self.info(path)
        if info['type'] == 'directory':
            raise is_a_folder(path)
        return self._read(info, start, end)

    def _read(self, info: Info, start: int | None, end: int | None,
              url: storage.SignedUrl | None = None) -> bytes:
        path, size = info['name'], info['size']
        first, last, _ = slice(start, end).indices(size)
        if last <= first:
            return b''
        if url is None:
            url = self._signed(info)
        length = last - first
        if length > storage.PART:
            return storage.read_parallel(
                self.storage_session, url, first, length, path,
                self.api.download_pool, self.timeout)
        return storage.read_bytes(self.storage_session, url, first, length,
                                  path, self.timeout)

    def cat_ranges(self, paths: List[str], starts: Any, ends: Any,
                   max_gap: int | None = None, on_error: str = 'return',
                   **kwargs: Any) -> List[Any]:
        """Ranges of files: one URL request per file, whatever the number
        of its ranges."""
        if max_gap is not None:
            raise NotImplementedError('max_gap')
        if not isinstance(paths, list):
            raise TypeError('paths must be a list.')
        starts = starts if isinstance(starts, list) else [starts] * len(paths)
        ends = ends if isinstance(ends, list) else [ends] * len(paths)
        if not len(starts) == len(ends) == len(paths):
            raise ValueError('paths, starts and ends must be as long.')
        urls: Dict[str, storage.SignedUrl] = {}
        results: List[Any] = []
        for path, start, end in zip(paths, starts, ends):
            try:
                info = self.info(path)
                if info['type'] == 'directory':
                    raise is_a_folder(info['name'])
                if info['id'] not in urls:
                    urls[info['id']] = self._signed(info)
                url = urls[info['id']]
                results.append(self._read(info, start, end, url))
            except Exception as error:
                if on_error != 'return':
                    raise
                results.append(error)
        return results

    def get_file(self, rpath: str, lpath: Any, callback: Any = DEFAULT_CALLBACK,
                 outfile: Any = None, **kwargs: Any) -> None:
        """Download a file with the SDK's download (parts in parallel, into
        a temporary file renamed at the end); a folder makes a local
        folder."""
        rpath = self._strip_protocol(rpath)
        if outfile is None and isfilelike(lpath):
            outfile = lpath
        info = self.info(rpath)
        if info['type'] == 'directory':
            if outfile is None:
                os.makedirs(lpath, exist_ok=True)
            return
        callback.set_size(info['size'])
        if outfile is not None:
            outfile.write(self._read(info, None, None))
        else:
            lpath = os.fspath(lpath)
            os.makedirs(os.path.dirname(os.path.abspath(lpath)),
                        exist_ok=True)
            with os_errors(rpath):
                self._file(info).download(lpath, overwrite=True,
                                          timeout=self.timeout)
        callback.relative_update(info['size'])

    def get(self, rpath: Any, lpath: Any, recursive: bool = False,
            callback: Any = DEFAULT_CALLBACK, maxdepth: int | None = None,
            **kwargs: Any) -> None:
        """fsspec's ``get``; a whole folder (``recursive``, no glob, no
        ``maxdepth``) goes as one folder transfer (see
        :mod:`~sevenbridges.fs.trees`)."""
        if not trees.download_tree(self, rpath, lpath, recursive, maxdepth):
            super().get(rpath, lpath, recursive=recursive, callback=callback,
                        maxdepth=maxdepth, **kwargs)

    def put(self, lpath: Any, rpath: Any, recursive: bool = False,
            callback: Any = DEFAULT_CALLBACK, maxdepth: int | None = None,
            **kwargs: Any) -> None:
        """fsspec's ``put``; a whole local folder (``recursive``, no glob,
        no ``maxdepth``) goes as one folder transfer (see
        :mod:`~sevenbridges.fs.trees`)."""
        if not trees.upload_tree(self, lpath, rpath, recursive, maxdepth):
            super().put(lpath, rpath, recursive=recursive, callback=callback,
                        maxdepth=maxdepth, **kwargs)

    # -- writes -------------------------------------------------------------------

    def _check_writable(self, path: str, mode: str) -> None:
        """Check, before anything is written, that a file can be written
        at ``path``.

        :raises PermissionError: above projects.
        :raises IsADirectoryError: a project or folder is there.
        :raises FileExistsError: a file is there and ``mode`` is ``xb``.
        :raises NotADirectoryError: a file is where a folder would be.
        :raises FileNotFoundError: the project does not exist.
        """
        if paths.is_project(path) and self.exists(path):
            raise is_a_folder(path)
        if paths.above_projects(path) or paths.is_project(path):
            raise PermissionError(errno.EACCES, 'Only projects are there',
                                  path)
        try:
            info = self.info(path)
        except FileNotFoundError:
            info = None
        if info is not None:
            if info['type'] == 'directory':
                raise is_a_folder(path)
            if mode == 'xb':
                raise exists(path)
        folder = paths.parent(path)
        while not paths.is_project(folder):
            try:
                info = self.info(folder)
            except FileNotFoundError:
                folder = paths.parent(folder)
                continue
            if info['type'] != 'directory':
                raise not_a_folder(folder)
            return
        self._list(folder)      # the project exists (a cached listing)

    def _destination(self, path: str) -> Dict[str, str]:
        """The upload arguments of ``path``'s folder (``project`` or
        ``parent``), the folders above it made as needed."""
        if not paths.is_project(paths.parent(path)):
            self.makedirs(paths.parent(path), exist_ok=True)
        return self._folder_of(path)

    def upload_local(self, local: str, path: str, overwrite: bool,
                     spilled: bool = False) -> None:
        """Upload the local file ``local`` to ``path`` (folders above it
        made as needed).

        :param spilled: ``local`` is a write's temporary file (written
            with ``O_DIRECT``): it is read the same way.
        :raises FileExistsError: the name is taken and not ``overwrite``.
        """
        where = self._destination(path)
        try:
            with os_errors(path):
                upload = self.api.files.upload(
                    local, file_name=paths.name(path), overwrite=overwrite,
                    timeout=self.timeout, api=self.api, wait=False,
                    **where)
                upload._direct_reads = spilled
                upload.start()
                upload.wait()
        finally:
            self.invalidate_cache(path)

    def _open_sized(self, path: str, mode: str, size: int,
                    block_size: Any, **kwargs: Any) -> SevenBridgesSizedWriteFile:
        """A file open for writing ``size`` bytes, its upload started
        (``block_size``: the part size asked of the platform)."""
        part_size = None if block_size in (None, 'default') else block_size
        if part_size is not None and (
                isinstance(part_size, bool) or
                not isinstance(part_size, numbers.Integral)
                or part_size < 1):
            raise ValueError(f'block_size must be a positive number of '
                             f'bytes (the part size), not {block_size!r}.')
        self._check_writable(path, mode)
        where = self._destination(path)
        upload = StreamedUpload(
            size, paths.name(path), project=where.get('project'),
            parent=where.get('parent'), overwrite=mode == 'wb',
            part_size=None if part_size is None else int(part_size),
            timeout=self.timeout, api=self.api)
        return SevenBridgesSizedWriteFile(self, path, mode, upload,
                                          block_size=block_size, **kwargs)

    def pipe_file(self, path: str, value: bytes, mode: str = 'overwrite',
                  **kwargs: Any) -> None:
        """Write ``value`` as the file's bytes, its parts sent straight
        from ``value`` (no copy, no temporary file); ``mode='create'`` only
        when the name is free (checked by the platform:
        ``FileExistsError``).
        """
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(f'value must be bytes, not '
                            f'{type(value).__name__}.')
        if mode not in ('overwrite', 'create'):
            raise ValueError(f"mode must be 'overwrite' or 'create', not "
                             f"{mode!r}.")
        kwargs.pop('size', None)
        with memoryview(value) as view, self.open(
                path, 'xb' if mode == 'create' else 'wb', size=view.nbytes,
                **kwargs) as target:
            target._take(view, copy=False)

    def touch(self, path: str, truncate: bool = True, **kwargs: Any) -> None:
        """Make an empty file (an upload of size 0: nothing spilled).

        :raises NotImplementedError: without ``truncate``, for a file that
            exists (as fsspec's).
        """
        if not truncate and self.exists(path):
            raise NotImplementedError('The platform keeps no time of a '
                                      'file to update.')
        kwargs.pop('size', None)
        with self.open(path, 'wb', size=0, **kwargs):
            pass

    def put_file(self, lpath: Any, rpath: str,
                 callback: Any = DEFAULT_CALLBACK, mode: str = 'overwrite',
                 **kwargs: Any) -> None:
        """Upload a local file with the SDK's upload (a local folder makes
        a folder); ``mode='create'`` only when the name is free."""
        rpath = self._strip_protocol(rpath)
        if os.path.isdir(lpath):
            self.makedirs(rpath, exist_ok=True)
            return
        self._check_writable(rpath, 'xb' if mode == 'create' else 'wb')
        size = os.path.getsize(lpath)
        callback.set_size(size)
        self.upload_local(os.fspath(lpath), rpath,
                          overwrite=mode != 'create')
        callback.relative_update(size)
