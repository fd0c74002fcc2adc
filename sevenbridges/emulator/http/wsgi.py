"""The API listener's HTTP server: a WSGI server of keep-alive connections.

One thread per connection serves its requests one after the other until
the client closes it or asks ``Connection: close``, so that a client's
calls reuse one connection instead of paying a new connection and a new
thread each (werkzeug's development server closes every connection). It
is HTTP/1.1 on :mod:`sevenbridges.emulator.http.connections`, as the
storage listener:

- each request's body is read to its end (its ``Content-Length``, or its
  chunks) whatever the application read, so that the next request parses
  from the right byte; the application reads it from ``wsgi.input``, which
  ends where the body ends (``wsgi.input_terminated``);
- every answer tells where it ends: the application's ``Content-Length``,
  else one computed for a body of one piece, else a chunked body;
- an answer shorter than its ``Content-Length``, an application error or a
  connection ended under the answer (see
  :data:`~sevenbridges.emulator.http.connections.CONNECTION`) ends the
  connection, as does a client still waiting for ``100 Continue`` when
  the application did not read the body.
"""
import io
import logging
import sys
from urllib.parse import unquote_to_bytes

from sevenbridges.emulator.http.connections import (
    CONNECTION,
    ConnectionServer,
)
from sevenbridges.emulator.http.messages import (
    BadRequest,
    Body,
    answer_head,
    error_answer,
)
from sevenbridges.emulator.http.network import BandwidthSlicer

logger = logging.getLogger(__name__)

#: Statuses whose answers have no body.
_NO_BODY = (204, 304)
#: Answer bodies up to this size go out in one send with the head.
_JOINED_SEND = 64 * 1024


class WsgiServer(ConnectionServer):
    """Serve a WSGI application over keep-alive connections.

    :param host: the address to listen on.
    :param port: the port (0 picks a free one).
    :param app: the WSGI application.
    :param ssl_context: serve TLS with this server context.

    Run it with ``serve_forever()``; ``shutdown()`` stops that loop and
    ``server_close()`` stops listening and ends the open connections.
    """

    def __init__(self, host, port, app, ssl_context=None):
        self.app = app
        super().__init__(host, port, ssl_context)
        self._base_environ = {
            'SCRIPT_NAME': '',
            'SERVER_NAME': host,
            'SERVER_PORT': str(self.server_port),
            'wsgi.version': (1, 0),
            'wsgi.url_scheme': 'http' if ssl_context is None else 'https',
            'wsgi.errors': sys.stderr,
            'wsgi.multithread': True,
            'wsgi.multiprocess': False,
            'wsgi.run_once': False,
            'wsgi.input_terminated': True,
        }

    def serve(self, connection):
        while True:
            try:
                request = connection.read_request()
                if request is None:
                    return
                body = Body(connection, request, BandwidthSlicer())
            except BadRequest as error:
                _send_error(connection, 400, str(error))
                return
            if not self._answer(connection, request, body):
                return

    def _environ(self, connection, request, body):
        environ = dict(self._base_environ)
        environ.update({
            'REQUEST_METHOD': request.method,
            'PATH_INFO': unquote_to_bytes(request.raw_path).decode(
                'latin-1'),
            'QUERY_STRING': request.query,
            'SERVER_PROTOCOL': request.version,
            'REMOTE_ADDR': connection.peer[0] if connection.peer else '',
            'REMOTE_PORT': str(connection.peer[1]) if connection.peer
            else '',
            'wsgi.input': io.BufferedReader(_Input(body)),
            CONNECTION: connection,
        })
        for name, value in request.headers.items():
            key = name.upper().replace('-', '_')
            if key not in ('CONTENT_TYPE', 'CONTENT_LENGTH'):
                key = 'HTTP_' + key
            environ[key] = value
        if request.chunked:
            environ.pop('CONTENT_LENGTH', None)
        return environ

    def _answer(self, connection, request, body):
        """Run the application on one request and send its answer; whether
        the connection may serve another request."""
        answer = _Answer(connection, request, body)
        try:
            chunks = self.app(self._environ(connection, request, body),
                              answer.start_response)
        except Exception:  # an application error: a 500, if still possible
            logger.exception('%s %s failed', request.method, request.path)
            answer.fail()
            return False
        try:
            keep = answer.send(chunks)
        except OSError:
            raise  # the client left: the connection ends
        except Exception:
            logger.exception('%s %s failed', request.method, request.path)
            answer.fail()
            return False
        finally:
            close = getattr(chunks, 'close', None)
            if close is not None:
                close()
        logger.debug('%s %s %s', request.method, request.raw_path,
                     answer.status)
        return keep


class _Input(io.RawIOBase):
    """A request body as the raw stream under ``wsgi.input``."""

    def __init__(self, body):
        self._body = body

    def readable(self):
        return True

    def readinto(self, buffer):
        return self._body.readinto(buffer)


class _Answer:
    """The answer to one request: what the application starts, sent with
    the framing it needs."""

    def __init__(self, connection, request, body):
        self._connection = connection
        self._request = request
        self._body = body
        self.status = None
        self._headers = None
        self._head_sent = False
        self._close = False
        self._chunked = False
        #: Bytes of body still owed (``None``: chunked or until close).
        self._owed = None

    def start_response(self, status, headers, exc_info=None):
        if exc_info is not None:
            try:
                if self._head_sent:
                    raise exc_info[1].with_traceback(exc_info[2])
            finally:
                exc_info = None
        elif self.status is not None:
            raise AssertionError('start_response was already called.')
        self.status, self._headers = status, list(headers)
        return self._write

    def send(self, chunks):
        """Send the answer whose body is the iterable ``chunks``; whether the
        connection may serve another request."""
        iterator = iter(chunks)
        first = b''
        for first in iterator:
            if first or self._connection.ended:
                break
        if self._connection.ended:
            return False
        if not self._head_sent:
            self._send_head(first, chunks)
        else:
            self._write(first)
        for chunk in iterator:
            if self._connection.ended:
                return False
            self._write(chunk)
        if self._connection.ended:
            return False
        if self._chunked:
            self._connection.sock.sendall(b'0\r\n\r\n')
        if self._owed:  # shorter than its Content-Length: cannot go on
            self._connection.shut()
            return False
        return not self._close

    def fail(self):
        """Answer a 500 unless the answer has started; the connection then
        ends."""
        if not self._head_sent and not self._connection.ended:
            _send_error(self._connection, 500, 'Internal emulator error.')

    def _send_head(self, first, chunks):
        """Send the head, with ``first`` (the first piece of the body)."""
        if self.status is None:
            raise AssertionError('The application did not start an answer.')
        self._head_sent = True
        headers = self._headers
        status_code = int(self.status.split(' ', 1)[0])
        no_body = self._request.method == 'HEAD' or \
            status_code in _NO_BODY or status_code < 200
        length = next((value for name, value in headers
                       if name.lower() == 'content-length'), None)
        if no_body:
            self._owed = 0
        elif length is not None:
            self._owed = int(length)
        elif isinstance(chunks, (list, tuple)) and len(chunks) <= 1:
            self._owed = len(first)
            headers = headers + [('Content-Length', str(self._owed))]
        elif self._request.version == 'HTTP/1.1':
            self._chunked = True
            headers = headers + [('Transfer-Encoding', 'chunked')]
        else:
            self._close = True  # the body ends where the connection does
        # the body of the request is read first: what follows it in the
        # connection is the next request
        self._close = (self._close or not self._request.keep_alive or
                       not self._body.finish())
        head = answer_head(self.status, headers, self._close)
        if no_body or len(first) > _JOINED_SEND:
            self._connection.sock.sendall(head)
            self._write(first)
        else:
            self._send_body(first, head)

    def _write(self, data):
        """Send a piece of the body (the WSGI ``write`` callable)."""
        if not self._head_sent:
            self._send_head(data, None)
        elif data and self._owed != 0:
            self._send_body(data)

    def _send_body(self, data, head=b''):
        if self._chunked:
            data = b'%x\r\n%b\r\n' % (len(data), data) if data else b''
        elif self._owed is not None:
            data = data[:self._owed]
            self._owed -= len(data)
        self._connection.sock.sendall(head + data)


def _send_error(connection, status, message):
    """Send an answer of the server itself (the platform's JSON error),
    after which the connection ends."""
    connection.send(error_answer(status, message), BandwidthSlicer(),
                    close=True)
