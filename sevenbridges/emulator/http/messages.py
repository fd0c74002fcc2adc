"""The messages of the emulator's HTTP/1.1: request heads, bodies (of a
``Content-Length`` or chunked) read into the caller's buffers, answers and
their heads."""
import email.utils
import json
import re
from urllib.parse import unquote

from sevenbridges.emulator.state.errors import ApiError

SEND_BUFFER = 1024 * 1024
#: What is read of a body that no one reads, at a time (chunked).
DISCARD_BUFFER = 64 * 1024
REASONS = {100: 'Continue', 200: 'OK', 206: 'Partial Content',
           400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
           404: 'Not Found', 405: 'Method Not Allowed',
           411: 'Length Required', 416: 'Range Not Satisfiable',
           429: 'Too Many Requests', 431: 'Request Header Fields Too Large',
           500: 'Internal Server Error', 503: 'Service Unavailable'}
_CHUNK_SIZE = re.compile(rb'[0-9A-Fa-f]{1,16}')


class BadRequest(Exception):
    """A request that is not HTTP/1.x as this listener reads it."""


class Request:
    """The head of one request."""

    def __init__(self, method, target, version, headers):
        self.method = method
        self.version = version
        self.headers = headers
        #: The path as sent (percent-escapes kept), and the query.
        self.raw_path, _, self.query = target.partition('?')
        self.path = unquote(self.raw_path)

    def header(self, name, default=None):
        """A header's value (names are case-insensitive)."""
        return self.headers.get(name.lower(), default)

    @property
    def keep_alive(self):
        """Whether the client lets the connection serve another request
        after this one."""
        tokens = (self.header('Connection') or '').lower()
        if self.version == 'HTTP/1.0':
            return 'keep-alive' in tokens
        return 'close' not in tokens

    @property
    def chunked(self):
        """Whether the body comes in chunks (``Transfer-Encoding``).

        :raises BadRequest: for a body whose last coding is not chunked.
        """
        value = self.header('Transfer-Encoding')
        if value is None:
            return False
        if value.rsplit(',', 1)[-1].strip().lower() != 'chunked':
            raise BadRequest(f'Unsupported Transfer-Encoding: {value!r}')
        return True

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


def json_answer(status, body, headers=()):
    """An :class:`Answer` of ``body`` as JSON."""
    data = json.dumps(body).encode()
    return Answer(status, [('Content-Type', 'application/json'),
                           *headers], data)


def error_answer(status, message):
    """An :class:`Answer` of the platform's JSON error."""
    return json_answer(status, ApiError(status, message).body())


class Body:
    """The body of a request as a stream with ``readinto``, paced: the
    bytes its ``Content-Length`` declares or, sent chunked, the bytes of
    its chunks. A client that waits for ``100 Continue`` gets it at the
    first read.

    :raises BadRequest: (at init) for a transfer coding other than chunked
        or a bad ``Content-Length``; (reading) for a malformed chunk.
    """

    def __init__(self, connection, request, slicer):
        self._connection = connection
        self._slicer = slicer
        self._waiting = (request.header('Expect') or '').lower() == \
            '100-continue'
        #: Whether chunks may follow (a chunked body before its last).
        self._more = request.chunked
        self._chunks = 0
        #: Bytes left of the body (chunked: of the current chunk).
        self.left = 0 if self._more else request.content_length

    @property
    def done(self):
        """Whether every byte of the body was read."""
        return not self.left and not self._more

    def readinto(self, buffer):
        view = memoryview(buffer)
        if self._slicer.slice:
            view = view[:self._slicer.slice]
        return self._read(view, self._slicer.wait)

    def _read(self, view, wait=None):
        if not self.left and self._more:
            self._next_chunk()
        count = min(len(view), self.left)
        if count <= 0:
            return 0
        self._continue()
        if wait is not None:
            wait(count)
        got = self._connection.receive_into(view[:count])
        self.left -= got
        return got

    def _continue(self):
        if self._waiting:
            self._connection.send_interim(100)
            self._waiting = False

    def _next_chunk(self):
        self._continue()
        if self._chunks and self._connection.read_line() != b'':
            raise BadRequest('A chunk is longer than its size.')
        line = self._connection.read_line()
        size = line.split(b';', 1)[0].strip()
        if not _CHUNK_SIZE.fullmatch(size):
            raise BadRequest(f'Bad chunk size: {line[:40]!r}')
        self._chunks += 1
        self.left = int(size, 16)
        if not self.left:  # the last chunk, then trailers to an empty line
            while self._connection.read_line():
                pass
            self._more = False

    def finish(self):
        """Read and forget what is left of the body; whether the connection
        can serve another request (not when the client left, nor when it
        still waits for ``100 Continue``, nor after a malformed chunk)."""
        if self.done:
            return True
        if self._waiting:
            return False
        size = DISCARD_BUFFER if self._more else min(self.left, SEND_BUFFER)
        scratch = memoryview(bytearray(size))
        try:
            while self._read(scratch):
                pass
        except (BadRequest, ConnectionError):
            return False
        return self.done


def answer_head(status, headers, close=False):
    """The bytes of an answer's head: the status line of ``status``
    (``'200 OK'``), a ``Date``, ``headers`` (pairs) and, with ``close``,
    ``Connection: close``."""
    lines = [f'HTTP/1.1 {status}',
             f'Date: {email.utils.formatdate(usegmt=True)}']
    lines += [f'{name}: {value}' for name, value in headers]
    if close:
        lines.append('Connection: close')
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1')
