"""The storage sessions of transfers: pooled connections to storage URLs,
which never carry the API token.

A transfer gets a session of its own (:func:`storage_session`), unless it is
made inside :func:`sharing_storage_session`, as the folder transfers make
theirs: their files then share one pool of connections.
"""
from __future__ import annotations

import socket
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from urllib3.connection import HTTPConnection
from urllib3.connectionpool import HTTPConnectionPool
from urllib3.util.retry import Retry

from sevenbridges.http import direct
from sevenbridges.http.client import PooledAdapter, RequestSession
from sevenbridges.transfer._fileio import IO_CHUNK

__all__ = ['storage_session', 'sharing_storage_session', 'transfer_session',
           'StorageAdapter', 'StorageConnection']


class _WholeBody:
    """The one chunk of a body that sends itself (see
    :class:`StorageConnection`)."""

    def __init__(self, body: Any) -> None:
        self.body = body

    def __len__(self) -> int:
        return 1        # never an empty chunk, which urllib3 skips


class StorageConnection(HTTPConnection):
    """A plain HTTP connection to storage that lets a body with a
    ``send_to(sock)`` method (an upload's part, whose ``sends_itself()``
    says it can) send itself to the socket: a part then goes from the
    page cache to the socket with ``sendfile``, without being read into
    the process and copied again into the socket (the copies took over a
    third of an upload's CPU). ``https://`` storage keeps urllib3's own
    connections; a socket here that is not a plain one gets the body's
    blocks from ``read`` as before, and so do bodies sent without a
    ``Content-Length`` (chunked) and files that ``sendfile`` refuses.
    The headers and the bytes on the wire are the same either way.
    """

    def request(self, method, url, body=None, headers=None, **kwargs):
        if (body is not None and getattr(body, 'sends_itself', None)
                and body.sends_itself() and not kwargs.get('chunked')
                and any(key.lower() == 'content-length'
                        for key in headers or ())):
            body = (_WholeBody(body),)
        super().request(method, url, body, headers, **kwargs)

    def send(self, data):
        if not isinstance(data, _WholeBody):
            super().send(data)
            return
        body = data.body
        if type(self.sock) is socket.socket and body.send_to(self.sock):
            return
        while True:
            block = body.read(self.blocksize)
            if not block:
                return
            super().send(block)


class StorageConnectionPool(HTTPConnectionPool):
    """A pool of :class:`StorageConnection`."""

    ConnectionCls = StorageConnection


class StorageAdapter(PooledAdapter):
    """An HTTP adapter that moves bodies in large blocks, and sends the
    parts of uploads over plain HTTP with ``sendfile``
    (:class:`StorageConnection`)."""

    def init_poolmanager(self, *args, **kwargs):
        kwargs.setdefault('blocksize', IO_CHUNK)
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = dict(
            self.poolmanager.pool_classes_by_scheme,
            http=StorageConnectionPool)


direct.DIRECT_ADAPTER_CLASSES.add(StorageAdapter)


def storage_session(api, retry_count):
    """A pooled session for storage URLs: the client's pool settings and
    proxies, quick connection retries (parts have their own retries with
    back-off), and no API credentials at all.

    :param api: the API client.
    :param retry_count: attempts per part (bounds the connection retries).
    """
    session = RequestSession()
    adapter = StorageAdapter(
        pool_connections=api.pool_connections or 10,
        pool_maxsize=api.pool_maxsize or 100,
        pool_block=api.pool_block,
        max_retries=Retry(total=min(retry_count, 2), backoff_factor=0.1))
    session.mount('http://', adapter)
    session.mount('https://', adapter)
    session.proxies = dict(api.session.proxies or {})
    session.verify = api.session.verify
    session.trust_env = api.session.trust_env
    return session


#: The storage session that the transfers made in a
#: :func:`sharing_storage_session` block share.
_shared_session: ContextVar[Any] = ContextVar('sbg_shared_storage_session',
                                              default=None)


@contextmanager
def sharing_storage_session(session):
    """Within the block (in this thread), new transfers use ``session`` for
    storage instead of a session of their own (see
    :func:`transfer_session`): many small files then reuse one pool of
    connections."""
    token = _shared_session.set(session)
    try:
        yield session
    finally:
        _shared_session.reset(token)


def transfer_session(api, retry_count):
    """The storage session of a new transfer: the one shared by the
    enclosing :func:`sharing_storage_session`, else a new
    :func:`storage_session`."""
    shared = _shared_session.get()
    if shared is not None:
        return shared
    return storage_session(api, retry_count)
