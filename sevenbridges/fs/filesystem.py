""":class:`SevenBridgesFileSystem`: platform files as an fsspec filesystem
(``sbg://OWNER/PROJECT/folder/name``), over the SDK's own client."""
from __future__ import annotations

import hashlib
import os
import threading
import time
from typing import Any, Dict, List, Tuple

from fsspec.spec import AbstractFileSystem  # type: ignore[import-untyped]

from sevenbridges.fs import listing, paths, storage
from sevenbridges.fs.changes import FolderChanges
from sevenbridges.fs.contents import FileContents
from sevenbridges.fs.errors import not_a_folder, not_found, os_errors
from sevenbridges.fs.listing import Info

#: Seconds a listing is kept before it is asked for again.
LISTINGS_EXPIRY = 60.0
#: The storage options that hold a credential: never in ``to_dict`` or
#: ``to_json`` without ``include_password=True``, never in ``repr``.
SECRET_OPTIONS = ('token', 'session_id')


def _optional(name: str, value: Any, kind: type | tuple) -> None:
    if value is not None and not isinstance(value, kind):
        raise TypeError(f'{name} must be {getattr(kind, "__name__", kind)}, '
                        f'not {type(value).__name__}.')


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


class SevenBridgesFileSystem(FileContents, FolderChanges,
                             metaclass=_CachedBySettings):
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

    # -- helpers ------------------------------------------------------------------

    def _file(self, info: Info) -> Any:
        """A ``File`` of this client from an ``info`` (nothing fetched)."""
        folder = info['type'] == 'directory'
        return self.api.files(api=self.api, id=info['id'],
                              type='folder' if folder else 'file',
                              name=paths.name(info['name']))
