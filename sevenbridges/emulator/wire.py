"""Just enough HTTP/1.1 on a connected socket for the storage listener:
request heads, bodies read into the caller's buffers, answers whose bodies
go out with ``os.sendfile`` (zero copy, no lock held) or, where it cannot
be used (TLS, no ``os.sendfile``), from one preallocated buffer.

Sockets stay blocking, so that one system call moves a whole slice of a
body while other threads run; a stopped listener shuts its connections
down, which ends any call waiting on them.
"""
import email.utils
import os
import socket
import ssl
from urllib.parse import unquote

MAX_HEAD = 64 * 1024
SEND_BUFFER = 1024 * 1024
REASONS = {100: 'Continue', 200: 'OK', 206: 'Partial Content',
           400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
           404: 'Not Found', 405: 'Method Not Allowed',
           411: 'Length Required', 416: 'Range Not Satisfiable',
           429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
           500: 'Internal Server Error', 503: 'Service Unavailable'}


class BadRequest(Exception):
    """A request that is not HTTP/1.x as this listener reads it."""


class Request:
    """The head of one request."""

    def __init__(self, method, target, version, headers):
        self.method = method
        self.version = version
        self.headers = headers
        raw_path, _, self.query = target.partition('?')
        self.path = unquote(raw_path)

    def header(self, name, default=None):
        """A header's value (names are case-insensitive)."""
        return self.headers.get(name.lower(), default)

    @property
    def keep_alive(self):
        """Whether the connection may serve another request after this one
        (not after a chunked body: this listener does not read those)."""
        tokens = (self.header('Connection') or '').lower()
        if self.header('Transfer-Encoding'):
            return False
        if self.version == 'HTTP/1.0':
            return 'keep-alive' in tokens
        return 'close' not in tokens

    @property
    def content_length(self):
        """The declared body length (0 without one)."""
        value = self.header('Content-Length')
        if value is None:
            return 0
        if not value.isdigit():
            raise BadRequest(f'Bad Content-Length: {value!r}')
        return int(value)


class Answer:
    """An answer: status, headers and a body of bytes or of a file range
    (``body`` is ``(handle, offset, length)``, the handle closed once
    sent)."""

    def __init__(self, status, headers=None, body=b'', length=None):
        self.status = status
        self.headers = list(headers or [])
        self.body = body
        self.length = len(body) if length is None else length

    def close(self):
        if isinstance(self.body, tuple):
            self.body[0].close()


class Body:
    """The body of a request as a stream with ``readinto``, paced. A client
    that waits for ``100 Continue`` gets it at the first read."""

    def __init__(self, connection, request, pacer):
        self._connection = connection
        self.left = request.content_length
        self._pacer = pacer
        self._waiting = (request.header('Expect') or '').lower() == \
            '100-continue'

    def readinto(self, buffer):
        count = min(len(buffer), self.left)
        if self._pacer.slice:
            count = min(count, self._pacer.slice)
        if count <= 0:
            return 0
        if self._waiting:
            self._connection.send_interim(100)
            self._waiting = False
        self._pacer.wait(count)
        got = self._connection.receive_into(memoryview(buffer)[:count])
        self.left -= got
        return got

    def finish(self):
        """Read and forget what is left of the body; whether the connection
        can serve another request (not when the client left, nor when it
        still waits for ``100 Continue``)."""
        if self._waiting and self.left:
            return False
        scratch = memoryview(bytearray(min(self.left, SEND_BUFFER) or 1))
        while self.left > 0:
            got = self._connection.receive_into(scratch[:self.left])
            if not got:
                return False
            self.left -= got
        return True


class Connection:
    """One client connection: read heads and bodies, send answers."""

    def __init__(self, sock):
        self.sock = sock
        self._tls = isinstance(sock, ssl.SSLSocket)
        self._waitall = 0 if self._tls else getattr(socket, 'MSG_WAITALL',
                                                    0)
        self._use_sendfile = hasattr(os, 'sendfile') and not self._tls
        self._pending = bytearray()
        self._buffer = None

    # -- receiving ----------------------------------------------------------

    def read_request(self):
        """The next request's head, or ``None`` once the client is gone."""
        while True:
            end = self._pending.find(b'\r\n\r\n')
            if end >= 0:
                break
            if len(self._pending) > MAX_HEAD:
                raise BadRequest('The request head is too large.')
            chunk = self.sock.recv(65536)
            if not chunk:
                if self._pending.strip():
                    raise BadRequest('The request head is incomplete.')
                return None
            self._pending += chunk
        head = bytes(self._pending[:end]).decode('latin-1')
        del self._pending[:end + 4]
        lines = head.lstrip('\r\n').split('\r\n')
        try:
            method, target, version = lines[0].split(' ')
        except ValueError:
            raise BadRequest(f'Bad request line: {lines[0]!r}') from None
        if not version.startswith('HTTP/1.'):
            raise BadRequest(f'Unsupported version: {version!r}')
        headers = {}
        for line in lines[1:]:
            name, colon, value = line.partition(':')
            if not colon or not name or name != name.strip():
                raise BadRequest(f'Bad header line: {line!r}')
            headers[name.lower()] = value.strip()
        return Request(method, target, version, headers)

    def receive_into(self, view):
        """Fill ``view`` (what the head read ahead first); fewer bytes only
        when the peer closed."""
        got = 0
        if self._pending:
            got = min(len(self._pending), len(view))
            view[:got] = self._pending[:got]
            del self._pending[:got]
        while got < len(view):
            count = self.sock.recv_into(view[got:], len(view) - got,
                                        self._waitall)
            if not count:
                break
            got += count
        return got

    # -- sending ------------------------------------------------------------

    def send_interim(self, status):
        self.sock.sendall(f'HTTP/1.1 {status} {REASONS[status]}\r\n\r\n'
                          .encode('latin-1'))

    def send(self, answer, pacer, close=False, truncate=False, head=False):
        """Send ``answer`` (its head only for ``head``); with ``truncate``
        only half of its body, then end the connection."""
        lines = [f'HTTP/1.1 {answer.status} '
                 f'{REASONS.get(answer.status, "Unknown")}',
                 f'Date: {email.utils.formatdate(usegmt=True)}',
                 f'Content-Length: {answer.length}']
        lines += [f'{name}: {value}' for name, value in answer.headers]
        if close:
            lines.append('Connection: close')
        self.sock.sendall(('\r\n'.join(lines) + '\r\n\r\n')
                          .encode('latin-1'))
        try:
            if head:
                return
            body = answer.body
            length = answer.length // 2 if truncate else answer.length
            if isinstance(body, tuple):
                handle, offset, _ = body
                self._send_file(handle, offset, length, pacer)
            elif body:
                self.sock.sendall(body[:length])
        finally:
            answer.close()
        if truncate:
            self.shut()

    def _send_file(self, handle, offset, length, pacer):
        step = pacer.slice or length
        while length > 0:
            count = min(step, length)
            pacer.wait(count)
            if self._use_sendfile:
                self._sendfile(handle, offset, count)
            else:
                self._send_copied(handle, offset, count)
            offset += count
            length -= count

    def _sendfile(self, handle, offset, count):
        out, source = self.sock.fileno(), handle.fileno()
        while count > 0:
            sent = os.sendfile(out, source, offset, count)
            if not sent:
                raise ConnectionError('The file ended before its length.')
            offset += sent
            count -= sent

    def _send_copied(self, handle, offset, count):
        if self._buffer is None:
            self._buffer = memoryview(bytearray(SEND_BUFFER))
        handle.seek(offset)
        while count > 0:
            got = handle.readinto(self._buffer[:min(count, SEND_BUFFER)])
            if not got:
                raise ConnectionError('The file ended before its length.')
            self.sock.sendall(self._buffer[:got])
            count -= got

    def shut(self):
        """End the connection at once (both ways)."""
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
