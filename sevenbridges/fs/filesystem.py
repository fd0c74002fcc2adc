""":class:`SevenBridgesFileSystem`: platform files as an fsspec filesystem
(``sbg://OWNER/PROJECT/folder/name``), over the SDK's own client."""
from __future__ import annotations

import errno
import hashlib
import os
import re
import threading
import time
from typing import Any, Dict, List, Tuple

from fsspec.callbacks import DEFAULT_CALLBACK  # type: ignore[import-untyped]
from fsspec.spec import AbstractFileSystem  # type: ignore[import-untyped]
from fsspec.utils import isfilelike  # type: ignore[import-untyped]

from sevenbridges.fs import listing, paths, storage, trees
from sevenbridges.fs.errors import (
    exists,
    is_a_folder,
    not_a_folder,
    not_found,
    os_errors,
)
from sevenbridges.fs.files import SevenBridgesReadFile, SevenBridgesWriteFile
from sevenbridges.fs.listing import Info

#: Seconds a listing is kept before it is asked for again.
LISTINGS_EXPIRY = 60.0
#: Files per bulk delete (the platform's largest bulk request).
BULK = 100
#: The storage options that hold a credential: never in ``to_dict`` or
#: ``to_json`` without ``include_password=True``, never in ``repr``.
SECRET_OPTIONS = ('token', 'session_id')


def _optional(name: str, value: Any, kind: type | tuple) -> None:
    if value is not None and not isinstance(value, kind):
        raise TypeError(f'{name} must be {getattr(kind, "__name__", kind)}, '
                        f'not {type(value).__name__}.')


def project_short_name(name: str) -> str:
    """The short name (the part of the id after the owner) the platform
    gives a project named ``name``."""
    return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')


class _CachedBySettings(type(AbstractFileSystem)):  # type: ignore[misc]
    """fsspec's cache of instances, keyed also on the settings of the
    environment (``SB_API_ENDPOINT``, a digest of ``SB_AUTH_TOKEN``) as
    they are when a filesystem is asked for: one made without arguments
    follows the environment instead of an older instance's."""

    @property
    def environment_settings(cls) -> Tuple[str | None, str]:
        token = os.environ.get('SB_AUTH_TOKEN') or ''
        return (os.environ.get('SB_API_ENDPOINT'),
                hashlib.sha256(token.encode()).hexdigest())


class SevenBridgesFileSystem(AbstractFileSystem, metaclass=_CachedBySettings):
    """The platform's projects, folders and files as an fsspec filesystem,
    for the protocols ``sbg://`` and ``sevenbridges://``::

        import pandas as pd
        frame = pd.DataFrame({'sample': ['S1', 'S2'], 'reads': [100, 250]})
        frame.to_csv('sbg://rfranklin/demo/runs/samples.csv', index=False)
        print(pd.read_csv('sbg://rfranklin/demo/runs/samples.csv'))

    Paths are ``OWNER/PROJECT/folder/.../name``; the root holds the
    projects the user can read, ``OWNER`` the owner's projects. Every API
    call goes through an :class:`~sevenbridges.api.Api` (retries, pacing,
    proxies); bytes move on storage sessions that never carry the token.

    Every argument is a plain value, so that the filesystem pickles and is
    built again where it is unpickled (on a dask worker). Without
    ``endpoint``, ``token``, ``profile`` and ``session_id`` the settings are
    resolved as ``Api()`` resolves them (``SB_API_ENDPOINT`` and
    ``SB_AUTH_TOKEN``, then the ``default`` profile). A ``token`` given
    here travels inside every pickle of the filesystem: prefer a profile or
    the environment where pickles go to other machines.

    :param endpoint: the API's URL (``https://api.sbgenomics.com/v2``).
    :param token: an authentication token.
    :param profile: a profile of ``~/.sevenbridges/credentials``.
    :param session_id: a session id (code running on the platform).
    :param proxies: ``{'http_proxy': ..., 'https_proxy': ...}``.
    :param use_listings_cache: keep folder listings.
    :param listings_expiry_time: seconds a listing is kept (default 60);
        writes, removals, copies and moves made through the filesystem drop
        the listings they change at once.
    :param max_paths: listings kept at most (default: no limit).
    :param timeout: seconds per storage request.
    :param spill_dir: where written files wait for their upload (default:
        the system's temporary folder).
    :raises TypeError: an argument of the wrong type (nothing is sent).
    """
    protocol = paths.PROTOCOLS
    root_marker = ''
    _extra_tokenize_attributes = ('environment_settings',)

    def __init__(self, endpoint: str | None = None, token: str | None = None,
                 profile: str | None = None, session_id: str | None = None,
                 proxies: Dict[str, str] | None = None,
                 use_listings_cache: bool = True,
                 listings_expiry_time: float | None = LISTINGS_EXPIRY,
                 max_paths: int | None = None, timeout: float = 300,
                 spill_dir: str | None = None, **kwargs: Any) -> None:
        for name, value in (('endpoint', endpoint), ('token', token),
                            ('profile', profile), ('session_id', session_id),
                            ('spill_dir', spill_dir)):
            _optional(name, value, str)
        _optional('proxies', proxies, dict)
        _optional('timeout', timeout, (int, float))
        super().__init__(use_listings_cache=use_listings_cache,
                         listings_expiry_time=listings_expiry_time,
                         max_paths=max_paths, **kwargs)
        self.api = self._client(endpoint, token, profile, session_id,
                                proxies)
        self.profile = profile
        self.timeout = timeout
        self.spill_dir = spill_dir
        self._storage_session: Any = None
        self._moving = threading.local()
        self._root_folders: Dict[str, str] = {}
        #: Projects asked for one by one (``info`` of ``OWNER/PROJECT``).
        self._projects: Dict[str, Tuple[float, Info]] = {}

    @staticmethod
    def _client(endpoint, token, profile, session_id, proxies):
        from sevenbridges.api import Api
        from sevenbridges.config import Config
        if profile:
            api = Api(config=Config(profile=profile, proxies=proxies))
        elif endpoint or token or session_id:
            if endpoint is None:
                endpoint = Api().url
            api = Api(url=endpoint, token=token or session_id,
                      proxies=proxies)
        else:
            api = Api()
        if session_id:
            api._session_id = session_id
        return api

    def __repr__(self) -> str:
        profile = f', profile={self.profile}' if self.profile else ''
        return f'<SevenBridgesFileSystem {self.api.url}{profile}>'

    @property
    def fsid(self) -> str:
        return f'sbg:{self.api.url}'

    def to_dict(self, *, include_password: bool = True) -> Dict[str, Any]:
        """fsspec's ``to_dict``; without ``include_password`` no credential
        (``token``, ``session_id``) is in it."""
        result = super().to_dict(include_password=include_password)
        if not include_password:
            for option in SECRET_OPTIONS:
                result.pop(option, None)
        return result

    @property
    def storage_session(self) -> Any:
        """The session of storage URLs (made when first needed; no API
        credential ever goes on it)."""
        if self._storage_session is None:
            from sevenbridges.transfer.sessions import storage_session
            self._storage_session = storage_session(self.api,
                                                    storage.ATTEMPTS)
        return self._storage_session

    # -- paths ------------------------------------------------------------------

    @classmethod
    def _strip_protocol(cls, path: Any) -> Any:
        if isinstance(path, list):
            return [cls._strip_protocol(item) for item in path]
        return paths.strip(os.fspath(path))

    @classmethod
    def _parent(cls, path: str) -> str:
        return paths.parent(cls._strip_protocol(path))

    # -- listings ---------------------------------------------------------------

    def _cached_listing(self, path: str) -> List[Info] | None:
        if not self.dircache.use_listings_cache:
            return None
        try:
            return self.dircache[path]
        except KeyError:
            return None

    def _list(self, path: str) -> List[Info]:
        """The items of the folder, project, owner or root at ``path``
        (from the cache while it lasts).

        :raises FileNotFoundError: nothing is there.
        :raises NotADirectoryError: a file is there.
        """
        items = self._cached_listing(path)
        if items is not None:
            return items
        with os_errors(path):
            if not path:
                items = listing.projects(self.api)
            elif paths.above_projects(path):
                items = listing.projects(self.api, owner=path)
                if not items:
                    raise not_found(path)
            elif paths.is_project(path):
                items = listing.folder_items(self.api, path,
                                             {'project': path})
            else:
                folder = self.info(path)
                if folder['type'] != 'directory':
                    raise not_a_folder(path)
                items = listing.folder_items(self.api, path,
                                             {'parent': folder['id']})
        if self.dircache.use_listings_cache:
            self.dircache[path] = items
        return items

    def ls(self, path: str, detail: bool = True, refresh: bool = False,
           **kwargs: Any) -> List[Any]:
        """The items of a folder (one request per page of it); of a file,
        its own ``info``.

        :param refresh: ask the platform, not the cache.
        """
        path = self._strip_protocol(path)
        if refresh:
            self.dircache.pop(path, None)
        try:
            items = self._list(path)
        except NotADirectoryError:
            items = [self.info(path)]
        return items if detail else [item['name'] for item in items]

    def info(self, path: str, **kwargs: Any) -> Info:
        """``name``, ``size``, ``type``, ``id``, ``created``, ``modified``,
        ``metadata`` and ``tags``, from the listing of the folder the path
        is in.

        :raises FileNotFoundError: nothing is there.
        """
        path = self._strip_protocol(path)
        if not path:
            return listing.root_info(path)
        if paths.above_projects(path):
            self._list(path)
            return listing.root_info(path)
        folder = paths.parent(path)
        for listed in (folder, paths.parent(folder)):
            items = self._cached_listing(listed)
            if items is not None:
                found = [item for item in items if item['name'] == path]
                if found:
                    return found[0]
                if listed == folder:
                    raise not_found(path)
        if paths.is_project(path):
            return self._project(path)
        try:
            items = self._list(folder)
        except NotADirectoryError:
            raise not_found(path) from None
        for item in items:
            if item['name'] == path:
                return item
        raise not_found(path)

    def _project(self, path: str) -> Info:
        """The ``info`` of the project ``path``, asked once while the
        listings last."""
        kept = self._projects.get(path)
        expiry = self.dircache.listings_expiry_time
        if kept is None or not self.dircache.use_listings_cache or (
                expiry is not None and time.time() - kept[0] > expiry):
            with os_errors(path):
                kept = (time.time(), listing.project(self.api, path))
            self._projects[path] = kept
        return kept[1]

    def ukey(self, path: str) -> str:
        """A key that changes when the file does: its id, modification time
        and size."""
        info = self.info(path)
        key = f'{info["id"]}:{info["modified"]}:{info["size"]}'
        return hashlib.sha256(key.encode()).hexdigest()

    def created(self, path: str) -> Any:
        return self.info(path)['created']

    def modified(self, path: str) -> Any:
        return self.info(path)['modified']

    def invalidate_cache(self, path: str | None = None) -> None:
        """Drop the listings of ``path``, of what is below it and of the
        folder it is in (all of them without ``path``)."""
        if path is None:
            self.dircache.clear()
            self._projects.clear()
        else:
            path = self._strip_protocol(path)
            self._projects.pop(path, None)
            if not path:
                self.dircache.clear()
                self._projects.clear()
            for key in list(self.dircache):
                if key in (path, paths.parent(path)) or \
                        key.startswith(path + '/'):
                    self.dircache.pop(key, None)
        super().invalidate_cache(path)

    # -- folders ------------------------------------------------------------------

    def mkdir(self, path: str, create_parents: bool = True,
              create_project: bool = False, billing_group: Any = None,
              **kwargs: Any) -> None:
        """Make a folder (and the folders above it, with
        ``create_parents``).

        A project is made only when asked (``create_project=True``, with
        its ``billing_group`` or the user's first); its id must be the one
        the platform derives from the name (``OWNER/lower-case-name``).

        :raises PermissionError: for a project, unless asked; for the root
            and an owner.
        :raises FileExistsError: something has that name.
        :raises NotADirectoryError: a file is in the way.
        :raises FileNotFoundError: the project does not exist, or the
            folder above does not and ``create_parents`` is false.
        """
        path = self._strip_protocol(path)
        if paths.above_projects(path):
            raise PermissionError(errno.EACCES, 'Only projects are there',
                                  path)
        if paths.is_project(path):
            self._make_project(path, create_project, billing_group)
            return
        if self.exists(path):
            raise exists(path)
        folder = paths.parent(path)
        if not paths.is_project(folder) and create_parents and \
                not self.exists(folder):
            self.mkdir(folder, create_parents=True)
        where = self._folder_of(path)
        with os_errors(path):
            self.api.files.create_folder(paths.name(path), api=self.api,
                                         **where)
        self.invalidate_cache(path)

    def _make_project(self, path, create_project, billing_group):
        owner, short = paths.parts(path)
        if self.exists(path):
            raise exists(path)
        if not create_project:
            raise PermissionError(errno.EACCES, 'A project is made only '
                                  'with create_project=True', path)
        if project_short_name(short) != short:
            raise ValueError(f'path: the platform names the project '
                             f'{short!r} {project_short_name(short)!r}.')
        with os_errors(path):
            if self.api.users.me().username != owner:
                raise PermissionError(errno.EACCES, 'Projects are made '
                                      'only for oneself', path)
            self.api.projects.create(name=short,
                                     billing_group=billing_group,
                                     api=self.api)
        self.invalidate_cache(path)

    def makedirs(self, path: str, exist_ok: bool = False) -> None:
        """Make a folder and the folders above it.

        :raises FileExistsError: it exists (unless ``exist_ok``).
        """
        path = self._strip_protocol(path)
        if self.exists(path):
            if exist_ok and self.isdir(path):
                return
            raise exists(path)
        self.mkdir(path, create_parents=True)

    def _folder_of(self, path: str) -> Dict[str, str]:
        """The upload and folder arguments of the folder ``path`` goes in:
        ``{'project': id}`` or ``{'parent': folder id}``.

        :raises FileNotFoundError: the project or the folder is missing.
        :raises NotADirectoryError: the folder is a file.
        """
        folder = paths.parent(path)
        if paths.above_projects(folder):
            raise PermissionError(errno.EACCES, 'Only projects are there',
                                  path)
        info = self.info(folder)
        if paths.is_project(folder):
            return {'project': folder}
        if info['type'] != 'directory':
            raise not_a_folder(folder)
        return {'parent': info['id']}

    def rmdir(self, path: str) -> None:
        """Remove an empty folder.

        :raises PermissionError: for a project (never removed here).
        :raises NotADirectoryError: for a file.
        :raises OSError: the folder is not empty (``ENOTEMPTY``).
        """
        path = self._strip_protocol(path)
        info = self._removable(path)
        if info['type'] != 'directory':
            raise not_a_folder(path)
        if self._list(path):
            raise OSError(errno.ENOTEMPTY, 'Folder is not empty', path)
        with os_errors(path):
            self._file(info).delete()
        self.invalidate_cache(path)

    def _removable(self, path: str) -> Info:
        if paths.above_projects(path) or paths.is_project(path):
            raise PermissionError(errno.EACCES, 'Projects are not removed '
                                  'through the filesystem', path)
        return self.info(path)

    # -- removals -----------------------------------------------------------------

    def rm_file(self, path: str) -> None:
        """Remove a file.

        :raises IsADirectoryError: for a folder (see :meth:`rmdir`).
        """
        path = self._strip_protocol(path)
        info = self._removable(path)
        if info['type'] == 'directory':
            raise is_a_folder(path)
        with os_errors(path):
            self._file(info).delete()
        self.invalidate_cache(path)

    _rm = rm_file

    def rm(self, path: Any, recursive: bool = False,
           maxdepth: int | None = None) -> None:
        """Remove files (and, with ``recursive``, folders and what they
        hold): files in bulk requests of 100, then the folders, deepest
        first.

        :raises IsADirectoryError: a folder, without ``recursive``.
        :raises PermissionError: a project.
        """
        found = self.expand_path(path, recursive=recursive,
                                 maxdepth=maxdepth)
        infos = [self._removable(item) for item in found]
        folders = [info for info in infos if info['type'] == 'directory']
        if folders and not recursive:
            raise is_a_folder(folders[0]['name'])
        files = [info for info in infos if info['type'] != 'directory']
        try:
            for start in range(0, len(files), BULK):
                self._delete_files(files[start:start + BULK])
            for info in sorted(folders, key=lambda item: -len(
                    paths.parts(item['name']))):
                with os_errors(info['name']):
                    self._file(info).delete()
        finally:
            for info in infos:
                self.invalidate_cache(info['name'])

    def _delete_files(self, infos: List[Info]) -> None:
        with os_errors(infos[0]['name']):
            records = self.api.files.bulk_delete(
                [info['id'] for info in infos], api=self.api)
        for info, record in zip(infos, records):
            if not record.valid and record.error.status != 404:
                raise OSError(errno.EIO, record.error.message, info['name'])

    # -- copies and moves (server-side: no byte goes through the client) --------

    def cp_file(self, path1: str, path2: str, **kwargs: Any) -> None:
        """Copy a file with the platform's copy (a folder: make the target
        folder). A file at the target is replaced: the copy arrives under a
        free name, then takes the target's, so no moment lacks either."""
        path1 = self._strip_protocol(path1)
        path2 = self._strip_protocol(path2)
        source = self.info(path1)
        if source['type'] == 'directory':
            self.makedirs(path2, exist_ok=True)
            return
        moving = getattr(self._moving, 'active', False)
        self._check_writable(path2, 'wb')
        if not paths.is_project(paths.parent(path2)):
            self.makedirs(paths.parent(path2), exist_ok=True)
        try:
            existing = self.info(path2)
        except FileNotFoundError:
            existing = None
        if existing is not None and existing['id'] == source['id']:
            return
        where = self._folder_of(path2)
        file = self._file(source)
        name = paths.name(path2)
        same_project = paths.project_of(path1) == paths.project_of(path2)
        with os_errors(path1):
            if moving and same_project:
                if existing is not None:
                    self._file(existing).delete()
                file.move_to_folder(self._folder_id(where), name,
                                    api=self.api)
            else:
                if 'project' in where:
                    copied = file.copy(where['project'], name)
                else:
                    copied = file.copy_to_folder(where['parent'], name,
                                                 api=self.api)
                if existing is not None:
                    self._file(existing).delete()
                if copied.name != name:
                    copied.name = name
                    copied.save()
                if moving:
                    file.delete()
        self.invalidate_cache(path1)
        self.invalidate_cache(path2)

    def _folder_id(self, where: Dict[str, str]) -> str:
        """The folder id of ``where`` (a project's root folder, asked
        once)."""
        if 'parent' in where:
            return where['parent']
        project = where['project']
        if project not in self._root_folders:
            self._root_folders[project] = self.api.projects.get(
                project, api=self.api).root_folder
        return self._root_folders[project]

    def mv(self, path1: Any, path2: Any, recursive: bool = False,
           maxdepth: int | None = None, **kwargs: Any) -> None:
        """Move files with the platform's move (within a project; between
        projects, a copy then a removal). A folder moves with what it
        holds: its files are moved and the folders made anew."""
        if isinstance(path1, str):
            if self._strip_protocol(path1) == self._strip_protocol(path2):
                return
            recursive = recursive or self.isdir(path1)
        self._moving.active = True
        try:
            self.copy(path1, path2, recursive=recursive, maxdepth=maxdepth,
                      on_error='raise')
        finally:
            self._moving.active = False
        if recursive and maxdepth is None:
            sources = [path1] if isinstance(path1, str) else path1
            folders = [source for source in sources if self.isdir(source)]
            if folders:
                self.rm(folders, recursive=True)

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
        if length > 2 * storage.PART:
            return storage.read_parallel(
                self.storage_session, url, first, length, path,
                self.api.download_pool, self.timeout)
        buffer = bytearray(length)
        storage.read_range(self.storage_session, url, first,
                           memoryview(buffer), path, self.timeout)
        return bytes(buffer)

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
        self.info(folder)

    def upload_local(self, local: str, path: str, overwrite: bool) -> None:
        """Upload the local file ``local`` to ``path`` (folders above it
        made as needed).

        :raises FileExistsError: the name is taken and not ``overwrite``.
        """
        if not paths.is_project(paths.parent(path)):
            self.makedirs(paths.parent(path), exist_ok=True)
        where = self._folder_of(path)
        try:
            with os_errors(path):
                self.api.files.upload(
                    local, file_name=paths.name(path), overwrite=overwrite,
                    timeout=self.timeout, api=self.api, **where)
        finally:
            self.invalidate_cache(path)

    def pipe_file(self, path: str, value: bytes, mode: str = 'overwrite',
                  **kwargs: Any) -> None:
        """Write ``value`` as the file's bytes; ``mode='create'`` only when
        the name is free (checked by the platform: ``FileExistsError``).
        """
        if not isinstance(value, (bytes, bytearray, memoryview)):
            raise TypeError(f'value must be bytes, not '
                            f'{type(value).__name__}.')
        if mode not in ('overwrite', 'create'):
            raise ValueError(f"mode must be 'overwrite' or 'create', not "
                             f"{mode!r}.")
        with self.open(path, 'xb' if mode == 'create' else 'wb',
                       **kwargs) as target:
            target.write(value)

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

    # -- helpers ------------------------------------------------------------------

    def _file(self, info: Info) -> Any:
        """A ``File`` of this client from an ``info`` (nothing fetched)."""
        folder = info['type'] == 'directory'
        return self.api.files(api=self.api, id=info['id'],
                              type='folder' if folder else 'file',
                              name=paths.name(info['name']))
