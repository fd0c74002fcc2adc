"""A lean transport for the many small requests of folder transfers.

requests' ``Session.send`` hands each request to its HTTP adapter, which
goes through urllib3's pool manager, connection pool, connection and
response objects: about three quarters of the client CPU of a small API
request on loopback. A folder tree makes thousands of such requests (five
per small file up, two down), so inside a :func:`lean_requests
<sevenbridges.http.client.lean_requests>` block the SDK's sessions hand the
requests that qualify (see :meth:`DirectAdapter.qualifies`) to a
:class:`DirectAdapter` instead: kept-alive ``http.client`` connections of
its own, the request written in one go, the answer parsed by
``http.client`` (as urllib3 does), and a :class:`requests.Response` built
from it. ``Session.send`` still runs around it (hooks, cookies, redirects
with :meth:`RequestSession.rebuild_auth
<sevenbridges.http.client.RequestSession.rebuild_auth>`, ``elapsed``), and
so does everything of the SDK above (retry policy, pacing, error handlers).

The bytes on the wire are those urllib3 sends: the request line, ``Host``
(as ``http.client`` writes it), then the prepared headers in their order,
then the body; a body that sends itself (an upload's part, see
:class:`~sevenbridges.transfer.sessions.StorageConnection`) goes with
``sendfile`` on plain HTTP. TLS is verified as requests verifies it
(``verify`` ``True``: requests' CA bundle; a path: that file or folder;
``False``: no verification), host names checked.

Whatever does not qualify (a proxy, a client certificate, a mocked or
subclassed adapter, urllib3's connections replaced by a recording library,
hooks, a body of another kind, an encoding asked that is not decoded here)
goes through the adapter as before, and so does a request whose
connection cannot be made (nothing was sent: requests then fails with its
usual error, or succeeds). Failures after that map to the errors requests
raises: :class:`requests.ReadTimeout`, and :class:`requests.ConnectionError`
around ``ProtocolError('Connection aborted.', error)``, unless the
adapter's own retries would send the request again (the storage
adapter's): it then goes through the adapter. A kept-alive connection that
the server closed before answering is replaced once, as urllib3 and
browsers do. At most the adapter's ``pool_maxsize`` connections of an
origin are kept idle, and with ``pool_block`` at most that many are in
use at once, as in urllib3's pool.
"""
from __future__ import annotations

import email.parser
import http.client
import logging
import os
import re
import select
import socket
import ssl
import threading
import types
import warnings
from typing import Any, Dict, List, Optional, Tuple

import requests
import requests.adapters
import urllib3
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers, select_proxy
from urllib3.exceptions import (
    ConnectTimeoutError,
    MaxRetryError,
    ProtocolError,
    ReadTimeoutError,
)
from urllib3.util.ssl_ import create_urllib3_context

#: What urllib3's connection pool does to a request target, and its
#: connection to the headers of an answer (private functions of urllib3:
#: without them, the target as it is and the headers as they came).
_encode_target: Any = getattr(urllib3.util.url, '_encode_target', None)
_normalize_header_values: Any = getattr(
    urllib3.connection, '_normalize_header_values',
    lambda message: message.items())

logger = logging.getLogger(__name__)

__all__ = ['DirectAdapter', 'DIRECT_ADAPTER_CLASSES', 'direct_adapter',
           'sent_directly']

#: The adapter classes whose requests may go directly (exactly these, not
#: subclasses: a subclass may send otherwise). The SDK's own adapters add
#: themselves.
DIRECT_ADAPTER_CLASSES: set = set()

#: The content codings decoded here (requests asks ``gzip, deflate``).
_DECODED = frozenset(('gzip', 'x-gzip', 'deflate', 'identity'))

_ADAPTERS_FILE = os.path.normcase(os.path.abspath(
    requests.adapters.__file__))
_DEFAULT_PORTS = {'http': 80, 'https': 443}
#: The methods for which urllib3 adds no ``Content-Length: 0``.
_NO_BODY_EXPECTED = frozenset(('GET', 'HEAD', 'DELETE', 'TRACE', 'OPTIONS',
                               'CONNECT'))
#: What ``http.client`` refuses in a request target.
_BAD_TARGET = re.compile('[\x00-\x20\x7f]')
_DROPPED = (http.client.RemoteDisconnected, BrokenPipeError,
            ConnectionResetError, ConnectionAbortedError)

_count_lock = threading.Lock()
_sent = 0


def sent_directly() -> int:
    """How many requests went through a :class:`DirectAdapter` in this
    process (for tests and benchmarks)."""
    return _sent


def _count() -> None:
    global _sent
    with _count_lock:
        _sent += 1


def _send_of_requests(adapter: Any) -> bool:
    """Whether ``adapter`` sends with requests' own ``HTTPAdapter.send``
    (not one patched by a mocking library such as ``responses``)."""
    send = getattr(type(adapter), 'send', None)
    code = getattr(send, '__code__', None)
    if code is None or getattr(send, '__qualname__', '') != \
            'HTTPAdapter.send':
        return False
    return os.path.normcase(os.path.abspath(code.co_filename)) == \
        _ADAPTERS_FILE


def _urllib3_connections_of_urllib3() -> bool:
    """Whether urllib3's pools make urllib3's own connections (a recording
    library such as vcrpy replaces them: its requests must reach it)."""
    pools = urllib3.connectionpool
    return pools.HTTPConnectionPool.ConnectionCls is \
        urllib3.connection.HTTPConnection and \
        pools.HTTPSConnectionPool.ConnectionCls is \
        urllib3.connection.HTTPSConnection


def direct_adapter(adapter: Any) -> Optional[DirectAdapter]:
    """The :class:`DirectAdapter` in front of ``adapter`` (made once), or
    ``None`` when ``adapter`` is not exactly one of the SDK's adapter
    classes, or requests' sending or urllib3's connections are replaced
    (by a mocking or recording library)."""
    if type(adapter) not in DIRECT_ADAPTER_CLASSES or \
            not _send_of_requests(adapter) or \
            not _urllib3_connections_of_urllib3():
        return None
    direct = adapter.__dict__.get('_direct_adapter')
    if direct is None:
        with _count_lock:
            direct = adapter.__dict__.get('_direct_adapter')
            if direct is None:
                direct = DirectAdapter(adapter)
                adapter.__dict__['_direct_adapter'] = direct
    return direct


def _timeouts(timeout: Any) -> Optional[Tuple[Any, Any]]:
    """``(connect, read)`` of a requests timeout, ``None`` for a urllib3
    ``Timeout`` (not handled here)."""
    if timeout is None or isinstance(timeout, (int, float)):
        return timeout, timeout
    if isinstance(timeout, tuple) and len(timeout) == 2:
        return timeout
    return None


class _Origin:
    """Where connections of one origin go, and the idle ones (LIFO): at
    most ``limit`` kept; with ``block``, at most ``limit`` in use at once
    (a request waits for one, as in urllib3's pool with ``pool_block``)."""

    __slots__ = ('scheme', 'host', 'port', 'host_header', 'context',
                 'idle', 'lock', 'limit', 'slots')

    def __init__(self, scheme: str, host: str, port: int,
                 context: Optional[ssl.SSLContext], limit: int,
                 block: bool = False) -> None:
        self.scheme, self.host, self.port = scheme, host, port
        self.context = context
        # what http.client writes (urllib3's connection gives it its host
        # without trailing dots)
        try:
            encoded = host.encode('ascii')
        except UnicodeEncodeError:  # pragma: no cover
            encoded = host.encode('idna')
        if ':' in host:
            encoded = b'[' + encoded + b']'
        if port != _DEFAULT_PORTS[scheme]:
            encoded += b':' + str(port).encode('ascii')
        self.host_header = b'Host: ' + encoded
        self.idle: List[socket.socket] = []
        self.lock = threading.Lock()
        self.limit = limit
        self.slots = threading.Semaphore(limit) if block else None

    def lease(self) -> None:
        """Hold one of the connections in use (:meth:`give_back` or
        :meth:`discard` ends it, or :meth:`end_lease`)."""
        if self.slots is not None:
            self.slots.acquire()

    def end_lease(self) -> None:
        if self.slots is not None:
            self.slots.release()

    def take(self) -> Optional[socket.socket]:
        """An idle connection still open, or ``None``."""
        while True:
            with self.lock:
                if not self.idle:
                    return None
                sock = self.idle.pop()
            if not _dropped(sock):
                return sock
            _close(sock)

    def give_back(self, sock: socket.socket) -> None:
        """Keep a connection whose answer was read to its end."""
        with self.lock:
            kept = len(self.idle) < self.limit
            if kept:
                self.idle.append(sock)
        if not kept:
            _close(sock)
        self.end_lease()

    def discard(self, sock: socket.socket) -> None:
        """Close a connection in use."""
        _close(sock)
        self.end_lease()

    def close(self) -> None:
        with self.lock:
            idle, self.idle = self.idle, []
        for sock in idle:
            _close(sock)


def _dropped(sock: socket.socket) -> bool:
    """Whether an idle connection was closed (or sent something): it is
    readable (as urllib3 checks before reusing one). ``poll`` where the
    system has it (``select`` refuses descriptors above 1023).
    """
    try:
        if hasattr(select, 'poll'):
            poller = select.poll()
            poller.register(sock, select.POLLIN)
            return bool(poller.poll(0))
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _close(sock: Any) -> None:
    try:
        sock.close()
    except OSError:  # pragma: no cover
        pass


#: A header line as the ``email`` parser reads it (name, ``:``, the value
#: without the blanks before it and the line's end after it).
_HEADER_LINE = re.compile(r'([!-9;-~]+):[ \t]*([^\r\n]*)(?:\r\n|\n)?\Z')


def _parse_headers(fp: Any, _class: Any = http.client.HTTPMessage) -> Any:
    """``http.client.parse_headers``, without the ``email`` parser for
    plain header lines (a name, ``:``, a value on one line): the same
    :class:`http.client.HTTPMessage`, in a tenth of the time. Anything
    else (a folded value, a line that is not a header) goes to the
    ``email`` parser as in ``http.client``."""
    lines = http.client._read_headers(fp)  # type: ignore[attr-defined]
    items = []
    for line in lines:
        if line in (b'\r\n', b'\n', b''):
            break
        match = _HEADER_LINE.match(line.decode('iso-8859-1'))
        if match is None:
            return email.parser.Parser(_class=_class).parsestr(
                b''.join(lines).decode('iso-8859-1'))
        items.append(match.groups())
    message = _class()
    message._headers = items
    message.set_payload('')
    return message


class _Answer(http.client.HTTPResponse):
    """``http.client``'s response, whose ``begin`` (the same code) reads
    the headers with :func:`_parse_headers`."""

    begin = types.FunctionType(  # type: ignore[assignment]
        http.client.HTTPResponse.begin.__code__,
        dict(vars(http.client), parse_headers=_parse_headers), 'begin')


class _PoolName:
    """What urllib3's errors say of their connection pool."""

    def __init__(self, origin: _Origin) -> None:
        self.host, self.port = origin.host, origin.port
        self.kind = 'HTTPSConnectionPool' if origin.scheme == 'https' \
            else 'HTTPConnectionPool'

    def __str__(self) -> str:
        return f'{self.kind}(host={self.host!r}, port={self.port!r})'


def _retries(retry: Any, kind: str, method: str) -> bool:
    """Whether urllib3 would try ``method`` again after an error of
    ``kind`` (``'connect'`` or ``'read'``) under the adapter's ``retry``."""
    if not isinstance(retry, urllib3.util.Retry):
        return False
    if retry.total is not None and (retry.total is False
                                    or retry.total <= 0):
        return False
    count = getattr(retry, kind)
    if count is not None and (count is False or count <= 0):
        return False
    if kind == 'read':
        allowed = retry.allowed_methods
        return not allowed or method.upper() in allowed
    return True


def _without_query(url: str) -> str:
    """``url`` without its query (a signed URL's signature)."""
    return url.split('?', 1)[0]


class _Raw:
    """``Response.raw`` of an answer received directly: ``_fp`` is the
    ``http.client`` response (``readinto`` for streamed bodies, as the
    downloads read urllib3's), ``release_conn`` puts the connection back
    when the body was read to its end, ``close`` drops it otherwise."""

    def __init__(self, answer: http.client.HTTPResponse, origin: _Origin,
                 sock: Optional[socket.socket]) -> None:
        self._fp = answer
        self._origin = origin
        self._sock = sock
        self.status = answer.status
        self.reason = answer.reason
        self.version = answer.version
        self.decode_content = True
        self._decoder: Any = None
        # read by requests' cookie handling only when there is a cookie
        self._original_response = answer if (
            'Set-Cookie' in answer.msg or 'Set-Cookie2' in answer.msg) \
            else None

    @property
    def closed(self) -> bool:
        return self._fp.isclosed()

    def readinto(self, buffer: Any) -> int:
        return self._fp.readinto(buffer)

    def read(self, amt: Optional[int] = None,
             decode_content: Optional[bool] = None) -> bytes:
        left = self._fp.length
        data = self._fp.read(amt)
        if amt and not data and left:  # as urllib3 enforces the length
            raise http.client.IncompleteRead(data, left)
        if decode_content is False or not self.decode_content:
            return data
        if self._decoder is None:
            self._decoder = _decoder_of(self._fp.getheader(
                'Content-Encoding', ''))
        if self._decoder is not None:
            try:
                data = self._decoder.decompress(data)
                if not amt or self._fp.isclosed():
                    data += self._decoder.flush()
            except Exception as error:
                raise requests.exceptions.ContentDecodingError(
                    'Received response with content-encoding, but failed '
                    'to decode it.', error) from error
        return data

    def stream(self, amt: int = 2 ** 16,
               decode_content: Optional[bool] = None):
        """The body in blocks of at most ``amt`` bytes (what
        ``Response.iter_content`` reads), failures raised as urllib3's
        (which requests maps to its own)."""
        while not self._fp.isclosed():
            try:
                data = self.read(amt, decode_content)
            except TimeoutError as error:
                raise ReadTimeoutError(
                    _PoolName(self._origin), None,  # type: ignore[arg-type]
                    'Read timed out.') from error
            except (OSError, http.client.HTTPException) as error:
                raise ProtocolError(f'Connection broken: {error!r}',
                                    error) from error
            if data:
                yield data
            elif self._fp.isclosed() or not amt:
                break

    def release_conn(self) -> None:
        sock, self._sock = self._sock, None
        if sock is None:
            return
        if self._fp.isclosed() and not self._fp.will_close:
            self._origin.give_back(sock)
        else:
            self._origin.discard(sock)

    def close(self) -> None:
        sock, self._sock = self._sock, None
        self._fp.close()
        if sock is not None:
            self._origin.discard(sock)


def _decoder_of(coding: str) -> Any:
    """urllib3's decoder of a ``Content-Encoding`` (``None`` for none)."""
    codings = [part.strip().lower() for part in coding.split(',')
               if part.strip()]
    if not codings or codings == ['identity']:
        return None
    return urllib3.response._get_decoder(coding.lower())


class _Prepared:
    """What a request sends: the head and how the body goes."""

    __slots__ = ('head', 'body', 'file', 'rewind')

    def __init__(self, head: bytes, body: Optional[bytes], file: Any,
                 rewind: Optional[int]) -> None:
        self.head, self.body, self.file, self.rewind = head, body, file, rewind


class DirectAdapter(requests.adapters.BaseAdapter):
    """Sends the requests that qualify (:meth:`qualifies`) over kept-alive
    connections of its own; the others through ``adapter``, the session's
    adapter it stands in front of (its pool size bounds the idle
    connections kept per origin)."""

    def __init__(self, adapter: requests.adapters.HTTPAdapter) -> None:
        super().__init__()
        self.adapter = adapter
        self._origins: Dict[Any, _Origin] = {}
        self._contexts: Dict[Any, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    # -- whether a request goes directly ---------------------------------------

    def qualifies(self, request: requests.PreparedRequest, stream: bool,
                  timeout: Any, verify: Any, cert: Any,
                  proxies: Any) -> bool:
        """Whether ``request`` goes directly: no client certificate, no
        proxy for its URL, no hooks, ``http`` or ``https``, a timeout of
        seconds, a ``User-Agent`` and an ``Accept-Encoding`` of codings
        decoded here, and a body of ``bytes``, ``str`` or a file with a
        ``Content-Length``, or none."""
        if cert is not None or _timeouts(timeout) is None:
            return False
        url = request.url
        if not isinstance(url, str) or not (
                url.startswith('http://') or url.startswith('https://')):
            return False
        if proxies and select_proxy(url, proxies):
            return False
        if any(request.hooks.values()):
            return False
        headers = request.headers
        if 'User-Agent' not in headers or 'Host' in headers or \
                'Transfer-Encoding' in headers:
            return False
        accepted = headers.get('Accept-Encoding')
        if accepted is not None and not all(
                part.split(';', 1)[0].strip().lower() in _DECODED
                for part in str(accepted).split(',')):
            return False
        body = request.body
        if 'Content-Length' not in headers:
            # urllib3 would add one, or send the body in chunks
            return body is None and request.method in _NO_BODY_EXPECTED
        return body is None or isinstance(body, (bytes, str)) or \
            hasattr(body, 'read')

    # -- sending ---------------------------------------------------------------

    def send(self, request: requests.PreparedRequest, stream: bool = False,
             timeout: Any = None, verify: Any = True, cert: Any = None,
             proxies: Any = None) -> requests.Response:
        """requests' ``HTTPAdapter.send``, directly when the request
        qualifies."""
        if not self.qualifies(request, stream, timeout, verify, cert,
                              proxies):
            return self.adapter.send(request, stream=stream, timeout=timeout,
                                     verify=verify, cert=cert,
                                     proxies=proxies)
        try:
            origin = self._origin(request, verify)
            prepared = self._prepare(request, origin)
        except (ValueError, TypeError, OSError, http.client.HTTPException):
            # requests raises its own error for what is wrong here
            return self.adapter.send(request, stream=stream, timeout=timeout,
                                     verify=verify, cert=cert,
                                     proxies=proxies)
        connect_timeout, read_timeout = _timeouts(timeout)  # type: ignore
        retries = self.adapter.max_retries
        if origin.context is not None and \
                origin.context.verify_mode == ssl.CERT_NONE:
            warnings.warn(  # as urllib3 warns of each such request
                f"Unverified HTTPS request is being made to host "
                f"'{origin.host}'. Adding certificate verification is "
                f"strongly advised. See: https://urllib3.readthedocs.io/en/"
                f"latest/advanced-usage.html#tls-warnings",
                urllib3.exceptions.InsecureRequestWarning, stacklevel=2)
        origin.lease()
        answered = False
        try:
            sock = origin.take()
            reused = sock is not None
            if sock is None:
                sock = self._connect(origin, request, connect_timeout,
                                     retries)
            while sock is not None:
                try:
                    if sock.gettimeout() != read_timeout:  # a system call
                        sock.settimeout(read_timeout)
                    self._write(sock, prepared)
                    answer = _Answer(sock, method=request.method)
                    answer.begin()
                    break
                except _DROPPED as error:
                    # a kept-alive connection the server closed: once more
                    # on a new one
                    _close(sock)
                    failure = self._aborted(error, request)
                    if not reused or not self._rewound(prepared):
                        return self._failed(failure, error, request,
                                            prepared, retries, stream,
                                            timeout, verify, proxies)
                    reused = False
                    sock = self._connect(origin, request, connect_timeout,
                                         retries)
                except (OSError, http.client.HTTPException) as error:
                    _close(sock)
                    failure = self._read_timeout(error, request, origin,
                                                 read_timeout) \
                        if isinstance(error, TimeoutError) \
                        else self._aborted(error, request)
                    return self._failed(failure, error, request, prepared,
                                        retries, stream, timeout, verify,
                                        proxies)
            else:  # no connection made, nothing sent: requests tries
                return self.adapter.send(
                    request, stream=stream, timeout=timeout, verify=verify,
                    cert=cert, proxies=proxies)
            answered = True
        finally:
            if not answered:  # no connection in use
                origin.end_lease()
        _count()
        # the answer's raw object ends the lease of its connection
        return self._response(request, answer, origin, sock, stream,
                              read_timeout)

    def _failed(self, failure: Exception, error: BaseException,
                request: requests.PreparedRequest, prepared: _Prepared,
                retries: Any, stream: bool, timeout: Any, verify: Any,
                proxies: Any) -> requests.Response:
        """After a request failed once sent: through the adapter again when
        its retries would send it again (urllib3 retries reads of the
        methods it allows, the storage adapter's up to twice) and the body
        can be sent again; else raise ``failure``."""
        if _retries(retries, 'read', str(request.method)) and \
                self._rewound(prepared):
            logger.debug('%s %s failed (%s): sent again through requests',
                         request.method, _without_query(str(request.url)),
                         error)
            return self.adapter.send(request, stream=stream, timeout=timeout,
                                     verify=verify, cert=None,
                                     proxies=proxies)
        raise failure from error

    def _origin(self, request: requests.PreparedRequest,
                verify: Any) -> _Origin:
        """The origin of ``request`` (its host and port as urllib3's pool
        has them) and its TLS context."""
        host_params, _ = self.adapter.build_connection_pool_key_attributes(
            request, verify, None)
        scheme = host_params['scheme']
        host = host_params['host']
        port = host_params['port'] or _DEFAULT_PORTS[scheme]
        verify_key = verify if scheme == 'https' else None
        key = (scheme, host, port, verify_key)
        found = self._origins.get(key)
        if found is not None:
            return found
        if host.startswith('[') and host.endswith(']'):
            host = host[1:-1]
        host = host.lower().rstrip('.')
        context = self._context(verify) if scheme == 'https' else None
        with self._lock:
            found = self._origins.get(key)
            if found is None:
                found = self._origins[key] = _Origin(
                    scheme, host, port, context,
                    getattr(self.adapter, '_pool_maxsize', 10),
                    bool(getattr(self.adapter, '_pool_block', False)))
        return found

    def _context(self, verify: Any) -> ssl.SSLContext:
        """The TLS context of ``verify``, as requests sets urllib3's up
        (made once per setting)."""
        found = self._contexts.get(verify)
        if found is not None:
            return found
        context = create_urllib3_context()
        if verify:
            location = verify if verify is not True else \
                requests.utils.extract_zipped_paths(
                    requests.utils.DEFAULT_CA_BUNDLE_PATH)
            if not location or not os.path.exists(location):
                raise OSError(f'Could not find a suitable TLS CA certificate '
                              f'bundle, invalid path: {location}')
            context.verify_mode = ssl.CERT_REQUIRED
            if os.path.isdir(location):
                context.load_verify_locations(capath=location)
            else:
                context.load_verify_locations(cafile=location)
            context.check_hostname = True
        else:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        try:
            context.set_alpn_protocols(['http/1.1'])
        except NotImplementedError:  # pragma: no cover
            pass
        with self._lock:
            self._contexts[verify] = context
        return context

    def _prepare(self, request: requests.PreparedRequest,
                 origin: _Origin) -> _Prepared:
        """The head of the request (as urllib3 and ``http.client`` write
        it) and its body.

        :raises ValueError: for what ``http.client`` refuses (requests
            then raises its error).
        """
        target = request.path_url
        if target.startswith('//'):
            target = '/' + target.lstrip('/')
        if _encode_target is not None:
            target = _encode_target(target)
        method = request.method
        lines = [f'{method} {target} HTTP/1.1'.encode('ascii'),
                 origin.host_header]
        name: Any
        value: Any
        for name, value in request.headers.items():
            if isinstance(name, str):
                name = name.encode('ascii')
            if isinstance(value, str):
                value = value.encode('latin-1')
            elif isinstance(value, int):
                value = str(value).encode('ascii')
            line = name + b': ' + value
            if b'\r' in line or b'\n' in line:
                raise ValueError('Invalid header')
            lines.append(line)
        lines.append(b'')
        lines.append(b'')
        head = b'\r\n'.join(lines)
        if _BAD_TARGET.search(target):
            raise ValueError('Invalid URL')
        body = request.body
        if body is None:
            return _Prepared(head, None, None, None)
        if isinstance(body, str):
            return _Prepared(head, body.encode('utf-8'), None, None)
        if isinstance(body, bytes):
            return _Prepared(head, body, None, None)
        rewind = None
        tell = getattr(body, 'tell', None)
        if tell is not None and hasattr(body, 'seek'):
            try:
                rewind = tell()
            except OSError:
                rewind = None
        return _Prepared(head, None, body, rewind)

    @staticmethod
    def _rewound(prepared: _Prepared) -> bool:
        """Whether the body can be sent again (from where it started)."""
        if prepared.file is None:
            return True
        if prepared.rewind is None:
            return False
        try:
            prepared.file.seek(prepared.rewind)
        except (OSError, ValueError):
            return False
        return True

    def _connect(self, origin: _Origin, request: requests.PreparedRequest,
                 timeout: Any, retries: Any) -> Optional[socket.socket]:
        """A new connection, or ``None`` when it cannot be made (requests
        then tries, and raises what it raises); a connect timeout raises
        :class:`requests.ConnectTimeout` at once when the adapter would
        not try again (no second wait)."""
        try:
            sock = socket.create_connection((origin.host, origin.port),
                                            timeout)
        except TimeoutError as error:
            if _retries(retries, 'connect', str(request.method)):
                return None
            pool = _PoolName(origin)
            reason = ConnectTimeoutError(
                pool, f'Connection to {origin.host} timed out. (connect '
                      f'timeout={timeout})')
            raise requests.exceptions.ConnectTimeout(
                MaxRetryError(pool, request.path_url,  # type: ignore
                              reason), request=request) from error
        except OSError:
            return None
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if origin.context is not None:
                sock = origin.context.wrap_socket(
                    sock, server_hostname=origin.host)
        except OSError:  # the TLS handshake failed: requests says why
            _close(sock)
            return None
        return sock

    @staticmethod
    def _write(sock: socket.socket, prepared: _Prepared) -> None:
        """The head, then the body: ``sendfile`` for a body that sends
        itself over plain HTTP, else its blocks."""
        if prepared.body is not None:
            # one send, as http.client does with a body of bytes
            sock.sendall(prepared.head + prepared.body)
            return
        sock.sendall(prepared.head)
        body = prepared.file
        if body is None:
            return
        sends_itself = getattr(body, 'sends_itself', None)
        if sends_itself is not None and sends_itself() and \
                type(sock) is socket.socket and body.send_to(sock):
            return
        while True:
            block = body.read(_BLOCK)
            if not block:
                return
            if isinstance(block, str):
                block = block.encode('utf-8')
            sock.sendall(block)

    def _response(self, request: requests.PreparedRequest,
                  answer: http.client.HTTPResponse, origin: _Origin,
                  sock: socket.socket, stream: bool,
                  read_timeout: Any) -> requests.Response:
        """The :class:`requests.Response` of ``answer``, as requests'
        ``build_response`` makes it; unless ``stream``, with its body read
        (and decoded) and the connection back in the pool."""
        raw = _Raw(answer, origin, sock)
        try:
            response = requests.Response()
            response.status_code = answer.status
            # repeated headers joined with ', ', as urllib3 joins them
            headers = CaseInsensitiveDict(urllib3.HTTPHeaderDict(
                _normalize_header_values(answer.msg)))
            response.headers = headers
            response.encoding = get_encoding_from_headers(headers)
            response.raw = raw
            response.reason = answer.reason
            response.url = str(request.url)
            response.request = request
            response.connection = self  # type: ignore[assignment]
            if raw._original_response is not None:
                requests.cookies.extract_cookies_to_jar(response.cookies,
                                                        request, raw)
            if stream:
                return response
            response._content = raw.read() or b''
        except TimeoutError as error:
            raw.close()
            raise self._read_timeout(error, request, origin,
                                     read_timeout) from error
        except (OSError, http.client.HTTPException) as error:
            raw.close()
            if isinstance(error, http.client.IncompleteRead):
                raise requests.exceptions.ChunkedEncodingError(
                    ProtocolError(str(error), error),
                    request=request) from error
            raise self._aborted(error, request) from error
        except BaseException:  # the connection is not reused
            raw.close()
            raise
        response._content_consumed = True  # type: ignore[attr-defined]
        raw.release_conn()
        return response

    @staticmethod
    def _aborted(error: BaseException,
                 request: requests.PreparedRequest) -> Exception:
        return requests.exceptions.ConnectionError(
            ProtocolError('Connection aborted.', error), request=request)

    @staticmethod
    def _read_timeout(error: BaseException, request: requests.PreparedRequest,
                      origin: _Origin, timeout: Any) -> Exception:
        return requests.exceptions.ReadTimeout(
            ReadTimeoutError(_PoolName(origin),  # type: ignore[arg-type]
                             request.path_url,
                             f'Read timed out. (read timeout={timeout})'),
            request=request)

    def close(self) -> None:
        """Close the idle connections."""
        with self._lock:
            origins = list(self._origins.values())
        for origin in origins:
            origin.close()


#: Blocks of a file body (as the storage adapter's).
_BLOCK = 1024 * 1024

