"""Just enough HTTP/1.1 for the emulator's listeners (the storage listener,
:mod:`sevenbridges.emulator.http.storage_server`, and the API listener's
WSGI server, :mod:`sevenbridges.emulator.http.wsgi`): a threaded server of
keep-alive connections (:class:`ConnectionServer`) whose requests and
answers (:mod:`~sevenbridges.emulator.http.messages`) go through a
:class:`Connection`; answer bodies go out with ``os.sendfile`` (zero copy,
no lock held) or, where it cannot be used (TLS, no ``os.sendfile``), from
one preallocated buffer.

Sockets stay blocking, so that one system call moves a whole slice of a
body while other threads run; a stopped listener shuts its connections
down, which ends any call waiting on them.
"""
import logging
import os
import socket
import socketserver
import ssl
import threading

from sevenbridges.emulator.http.messages import (
    REASONS,
    SEND_BUFFER,
    BadRequest,
    Request,
    answer_head,
)

logger = logging.getLogger(__name__)

#: The WSGI environ key of the request's :class:`Connection` (on the API
#: listener): middleware ends it with ``shut()`` (a dropped connection, a
#: truncated answer); the server then sends nothing more on it and serves
#: no other request.
CONNECTION = 'sevenbridges.emulator.connection'
MAX_HEAD = 64 * 1024


class Connection:
    """One client connection: read heads and bodies, send answers.

    :param sock: the connected socket (TLS or not).
    :param peer: the client's address.
    """

    def __init__(self, sock, peer=None):
        self.sock = sock
        self.peer = peer
        self.tls = isinstance(sock, ssl.SSLSocket)
        #: Whether :meth:`shut` ended the connection.
        self.ended = False
        self._waitall = 0 if self.tls else getattr(socket, 'MSG_WAITALL', 0)
        self._use_sendfile = hasattr(os, 'sendfile') and not self.tls
        self._pending = bytearray()
        self._buffer = None

    # -- receiving ----------------------------------------------------------

    def _fill_until(self, delimiter, what):
        """Receive until ``delimiter`` is pending: its index, or ``-1`` when
        the client closed first."""
        while True:
            end = self._pending.find(delimiter)
            if end >= 0:
                return end
            if len(self._pending) > MAX_HEAD:
                raise BadRequest(f'{what} is too large.')
            chunk = self.sock.recv(65536)
            if not chunk:
                return -1
            self._pending += chunk

    def read_request(self):
        """The next request's head, or ``None`` once the client is gone."""
        end = self._fill_until(b'\r\n\r\n', 'The request head')
        if end < 0:
            if self._pending.strip():
                raise BadRequest('The request head is incomplete.')
            return None
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
            name, value = name.lower(), value.strip()
            headers[name] = (f'{headers[name]}, {value}' if name in headers
                             else value)
        return Request(method, target, version, headers)

    def read_line(self):
        """The next line of a body (without its CRLF).

        :raises ConnectionError: when the client closed first.
        """
        end = self._fill_until(b'\r\n', 'A line of the body')
        if end < 0:
            raise ConnectionError('The client left in the middle of a body.')
        line = bytes(self._pending[:end])
        del self._pending[:end + 2]
        return line

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

    def send(self, answer, slicer, close=False, truncate=False,
             head=False):
        """Send ``answer`` (its head only for ``head``); with ``truncate``
        only half of its body, then end the connection."""
        status = f'{answer.status} {REASONS.get(answer.status, "Unknown")}'
        self.sock.sendall(answer_head(
            status, [('Content-Length', answer.length), *answer.headers],
            close))
        try:
            if head:
                return
            body = answer.body
            length = answer.length // 2 if truncate else answer.length
            if isinstance(body, tuple):
                handle, offset, _ = body
                self._send_file(handle, offset, length, slicer)
            elif body:
                self.sock.sendall(body[:length])
        finally:
            answer.close()
        if truncate:
            self.shut()

    def _send_file(self, handle, offset, length, slicer):
        step = slicer.slice or length
        while length > 0:
            count = min(step, length)
            slicer.wait(count)
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
        self.ended = True
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


class _ConnectionHandler(socketserver.BaseRequestHandler):
    """Serves the requests of one connection until it ends."""

    server: 'ConnectionServer'

    def handle(self):
        sock = self.request
        self.server.track(sock, True)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if self.server.ssl_context is not None:
                sock = self.server.ssl_context.wrap_socket(sock,
                                                           server_side=True)
                self.server.track(sock, True)
            self.server.serve(Connection(sock, self.client_address))
        except (OSError, ValueError) as error:
            # A client that went away, or a TLS handshake that failed.
            logger.debug('Connection ended: %s', error)
        finally:
            self.server.track(sock, False)
            self.server.track(self.request, False)
            if sock is not self.request:
                sock.close()


class ConnectionServer(socketserver.ThreadingTCPServer):
    """A listener with a thread per connection, which serves the
    connection's requests (:meth:`serve`) until it ends; ``TCP_NODELAY``
    on every connection; :meth:`server_close` ends the open ones.

    :param host: the address to listen on.
    :param port: the port (0 picks a free one).
    :param ssl_context: serve TLS with this server context (the handshake
        happens in the connection's thread).
    """

    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 128

    def __init__(self, host, port, ssl_context=None):
        self.address_family = (socket.AF_INET6 if ':' in host
                               else socket.AF_INET)
        self.ssl_context = ssl_context
        self._open = set()
        self._open_lock = threading.Lock()
        super().__init__((host, port), _ConnectionHandler)

    @property
    def server_port(self):
        return self.server_address[1]

    def serve(self, connection):
        """Serve the requests of ``connection`` (a :class:`Connection`)
        until it ends."""
        raise NotImplementedError

    def track(self, sock, alive):
        """Remember an open connection (``alive``) or forget it."""
        with self._open_lock:
            if alive:
                self._open.add(sock)
            else:
                self._open.discard(sock)

    def server_close(self):
        """Stop listening and end every open connection."""
        super().server_close()
        with self._open_lock:
            still_open = list(self._open)
        for sock in still_open:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
