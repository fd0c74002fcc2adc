"""The emulator's API listener over raw HTTP: keep-alive connections,
request bodies read to their end (sized or chunked), answer framing,
``Connection: close``, ``100 Continue``, faults that end a connection,
TLS, and stop(); the WSGI server itself with small applications."""
import http.client
import json
import socket
import ssl
import threading
from urllib.parse import urlsplit

import pytest

from sevenbridges.emulator import Emulator
from sevenbridges.emulator.http.wsgi import WsgiServer


def address(url):
    parts = urlsplit(url)
    return parts.hostname, parts.port


class Raw:
    """A raw client connection: send bytes, read whole answers (those with
    a ``Content-Length``) one at a time."""

    def __init__(self, url):
        self.sock = socket.create_connection(address(url), 10)
        self.pending = b''

    def send(self, data):
        self.sock.sendall(data)

    def _fill(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError('closed')
        self.pending += chunk

    def answer(self):
        """``(status line, headers (lowercase names), body)``."""
        while b'\r\n\r\n' not in self.pending:
            self._fill()
        head, self.pending = self.pending.split(b'\r\n\r\n', 1)
        lines = head.decode('latin-1').split('\r\n')
        headers = dict((name.lower(), value.strip()) for name, value in
                       (line.split(':', 1) for line in lines[1:]))
        length = int(headers.get('content-length', 0))
        while len(self.pending) < length:
            self._fill()
        body, self.pending = self.pending[:length], self.pending[length:]
        return lines[0], headers, body

    def closed(self):
        """Whether the server closed the connection (nothing more comes)."""
        self.sock.settimeout(5)
        try:
            return self.pending == b'' and self.sock.recv(1) == b''
        except ConnectionResetError:
            return True

    def rest(self):
        """All the bytes until the server closes the connection."""
        self.sock.settimeout(5)
        received = self.pending
        while True:
            chunk = self.sock.recv(65536)
            if not chunk:
                return received
            received += chunk

    def close(self):
        self.sock.close()


@pytest.fixture
def raw(sbg_emulator):
    connection = Raw(sbg_emulator.url)
    yield connection
    connection.close()


def get(emulator, path, extra=''):
    return (f'GET /v2{path} HTTP/1.1\r\nHost: x\r\nX-SBG-Auth-Token: '
            f'{emulator.token}\r\n{extra}\r\n').encode()


def post(emulator, path, body, extra=''):
    return (f'POST /v2{path} HTTP/1.1\r\nHost: x\r\nX-SBG-Auth-Token: '
            f'{emulator.token}\r\nContent-Type: application/json\r\n'
            f'Content-Length: {len(body)}\r\n{extra}\r\n').encode() + body


def group_id(emulator):
    return emulator.api().billing_groups.query()[0].id


def test_one_connection_serves_many_calls_of_the_sdk(sbg_emulator):
    api = sbg_emulator.api()
    for _ in range(5):
        api.users.me()
    api_calls = [entry for entry in sbg_emulator.requests
                 if entry['listener'] == 'api']
    assert len(api_calls) == 5
    # the client's pool kept one connection: the server saw one
    pool = api.session.get_adapter(sbg_emulator.url).poolmanager
    (connections,) = pool.pools._container.values()
    assert connections.num_connections == 1


def test_keep_alive_with_bodies_read_or_not(sbg_emulator, raw):
    body = json.dumps({'name': 'kept', 'billing_group':
                       group_id(sbg_emulator)}).encode()
    # three requests in one write: each parses from the right byte
    raw.send(get(sbg_emulator, '/user') +
             post(sbg_emulator, '/projects', body) +
             # a body the application never reads (GET /user)
             post(sbg_emulator, '/user', b'{"ignored": ' + b'1' * 5000 +
                  b'}').replace(b'POST', b'GET', 1) +
             get(sbg_emulator, '/projects/rfranklin/kept'))
    statuses = []
    for _ in range(4):
        status, headers, answer = raw.answer()
        statuses.append(status)
        assert 'connection' not in headers
        assert int(headers['content-length']) == len(answer)
    assert statuses == ['HTTP/1.1 200 OK', 'HTTP/1.1 201 CREATED',
                        'HTTP/1.1 200 OK', 'HTTP/1.1 200 OK']
    assert json.loads(answer)['name'] == 'kept'


def test_chunked_request_bodies(sbg_emulator, raw):
    body = json.dumps({'name': 'chunks', 'billing_group':
                       group_id(sbg_emulator)}).encode()
    head = (f'POST /v2/projects HTTP/1.1\r\nHost: x\r\nX-SBG-Auth-Token: '
            f'{sbg_emulator.token}\r\nTransfer-Encoding: chunked\r\n\r\n')
    middle = len(body) // 2
    chunks = (b'%x;ext=1\r\n%b\r\n' % (middle, body[:middle]) +
              b'%X\r\n%b\r\n' % (len(body) - middle, body[middle:]) +
              b'0\r\nX-Trailer: yes\r\n\r\n')
    raw.send(head.encode() + chunks + get(sbg_emulator, '/user'))
    status, _, answer = raw.answer()
    assert status == 'HTTP/1.1 201 CREATED'
    assert json.loads(answer)['name'] == 'chunks'
    assert json.loads(raw.answer()[2])['username'] == 'rfranklin'
    # a chunked body the application does not read is read all the same
    unread = head.replace('POST /v2/projects', 'GET /v2/user')
    raw.send(unread.encode() + b'5\r\nhello\r\n0\r\n\r\n' +
             get(sbg_emulator, '/user'))
    assert raw.answer()[0] == 'HTTP/1.1 200 OK'
    assert raw.answer()[0] == 'HTTP/1.1 200 OK'


def test_a_malformed_chunk_ends_the_connection(sbg_emulator, raw):
    raw.send((f'GET /v2/user HTTP/1.1\r\nHost: x\r\nX-SBG-Auth-Token: '
              f'{sbg_emulator.token}\r\nTransfer-Encoding: chunked\r\n\r\n'
              f'zz\r\n').encode())
    status, headers, _ = raw.answer()
    assert status == 'HTTP/1.1 200 OK' and headers['connection'] == 'close'
    assert raw.closed()


@pytest.mark.parametrize('request_bytes', [
    b'NOT HTTP\r\n\r\n',
    b'GET /v2/user HTTP/2.0\r\n\r\n',
    b'POST /v2/projects HTTP/1.1\r\nContent-Length: ten\r\n\r\n',
    b'GET /v2/user HTTP/1.1\r\nNo colon here\r\n\r\n',
    b'POST /v2/projects HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n',
])
def test_malformed_requests_get_400_and_the_connection_ends(raw,
                                                            request_bytes):
    raw.send(request_bytes)
    status, headers, body = raw.answer()
    assert status == 'HTTP/1.1 400 Bad Request'
    assert headers['connection'] == 'close'
    assert json.loads(body)['status'] == 400
    assert raw.closed()


def test_connection_close_and_http_1_0(sbg_emulator):
    for extra, version in (('Connection: close\r\n', 'HTTP/1.1'),
                           ('', 'HTTP/1.0')):
        raw = Raw(sbg_emulator.url)
        raw.send(get(sbg_emulator, '/user', extra).replace(
            b'HTTP/1.1', version.encode(), 1))
        status, headers, body = raw.answer()
        assert status == 'HTTP/1.1 200 OK'
        assert headers['connection'] == 'close'
        assert json.loads(body)['username'] == 'rfranklin'
        assert raw.closed()
        raw.close()
    raw = Raw(sbg_emulator.url)
    raw.send(get(sbg_emulator, '/user', 'Connection: keep-alive\r\n')
             .replace(b'HTTP/1.1', b'HTTP/1.0', 1) * 2)
    assert raw.answer()[0] == raw.answer()[0] == 'HTTP/1.1 200 OK'
    raw.close()


def test_100_continue(sbg_emulator, raw):
    body = json.dumps({'name': 'waited', 'billing_group':
                       group_id(sbg_emulator)}).encode()
    raw.send(post(sbg_emulator, '/projects', body,
                  'Expect: 100-continue\r\n')[:-len(body)])
    assert raw.answer()[0] == 'HTTP/1.1 100 Continue'
    raw.send(body)
    status, _, answer = raw.answer()
    assert status == 'HTTP/1.1 201 CREATED'
    assert json.loads(answer)['name'] == 'waited'
    # not read by the application: no 100, the answer, and the end
    raw.send(post(sbg_emulator, '/user', body, 'Expect: 100-continue\r\n')
             [:-len(body)].replace(b'POST', b'GET', 1))
    status, headers, _ = raw.answer()
    assert status == 'HTTP/1.1 200 OK' and headers['connection'] == 'close'
    assert raw.closed()


def test_a_dropped_connection_is_closed_without_an_answer(sbg_emulator, raw):
    sbg_emulator.faults.add(path='/user$', drop=True, times=1)
    raw.send(get(sbg_emulator, '/billing/groups'))
    assert raw.answer()[0] == 'HTTP/1.1 200 OK'
    raw.send(get(sbg_emulator, '/user'))
    assert raw.closed()
    logged = [(entry['path'], entry['status'], entry.get('fault'))
              for entry in sbg_emulator.requests]
    assert logged[-1] == ('/v2/user', None, 'drop')


def test_a_truncated_answer_ends_the_connection(sbg_emulator, raw):
    sbg_emulator.faults.add(path='/user$', truncate=True, times=1)
    raw.send(get(sbg_emulator, '/user'))
    received = raw.rest()
    head, _, body = received.partition(b'\r\n\r\n')
    length = int(head.split(b'Content-Length: ')[1].split(b'\r\n')[0])
    assert head.startswith(b'HTTP/1.1 200 OK') and len(body) == length // 2


def test_tls_connections_are_kept_alive(tmp_path):
    with Emulator(tls=True, data_dir=str(tmp_path)) as emulator:
        context = ssl.create_default_context(cafile=emulator.ca_cert)
        host, port = address(emulator.url)
        connection = http.client.HTTPSConnection(host, port,
                                                 context=context)
        try:
            first = None
            for _ in range(3):
                connection.request('GET', '/v2/user', headers={
                    'X-SBG-Auth-Token': emulator.token})
                answer = connection.getresponse()
                assert json.loads(answer.read())['username'] == 'rfranklin'
                first = first or connection.sock
                assert connection.sock is first
        finally:
            connection.close()
        assert emulator.api().users.me().username == 'rfranklin'


def test_stop_ends_open_api_connections():
    emulator = Emulator().start()
    raw = Raw(emulator.url)
    try:
        raw.send(get(emulator, '/user'))
        assert raw.answer()[0] == 'HTTP/1.1 200 OK'  # kept alive
        emulator.stop()
        assert raw.closed()
    finally:
        raw.close()


# -- the WSGI server with small applications -----------------------------------


@pytest.fixture
def serve():
    """``serve(app)``: the URL of a WsgiServer running ``app``."""
    servers = []

    def start(app):
        server = WsgiServer('127.0.0.1', 0, app)
        threading.Thread(target=server.serve_forever, daemon=True,
                         kwargs={'poll_interval': 0.05}).start()
        servers.append(server)
        return f'http://127.0.0.1:{server.server_port}'

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


def request(url, method='GET', path='/', body=None, version=11, **headers):
    host, port = address(url)
    connection = http.client.HTTPConnection(host, port, timeout=10)
    connection._http_vsn, connection._http_vsn_str = (
        (11, 'HTTP/1.1') if version == 11 else (10, 'HTTP/1.0'))
    connection.request(method, path, body=body, headers=headers)
    answer = connection.getresponse()
    data = answer.read()
    connection.close()
    return answer, data


def test_answers_without_a_length_are_chunked_or_end_the_connection(serve):
    def app(environ, start_response):
        start_response('200 OK', [('Content-Type', 'text/plain')])
        yield b''
        yield b'one '
        yield b'two'

    url = serve(app)
    answer, data = request(url)
    assert data == b'one two'
    assert answer.getheader('Transfer-Encoding') == 'chunked'
    answer, data = request(url, version=10)
    assert data == b'one two'
    assert answer.getheader('Connection') == 'close'
    head, _ = request(url, method='HEAD')
    assert head.getheader('Transfer-Encoding') is None


def test_a_body_of_one_piece_gets_its_length(serve):
    def app(environ, start_response):
        start_response('200 OK', [])
        return [environ['PATH_INFO'].encode('latin-1')]

    answer, data = request(serve(app), path='/caf%C3%A9')
    assert data == '/café'.encode()
    assert answer.getheader('Content-Length') == str(len(data))


def test_the_environ(serve):
    seen = {}

    def app(environ, start_response):
        seen.update(environ)
        seen['body'] = environ['wsgi.input'].read()
        start_response('204 No Content', [])
        return []

    url = serve(app)
    answer, data = request(url, 'PUT', '/a%2Fb?x=1&y=%20', body=b'payload',
                           **{'Content-Type': 'text/plain', 'X-Two': 'v'})
    assert answer.status == 204 and data == b''
    host, port = address(url)
    assert {key: seen[key] for key in (
        'REQUEST_METHOD', 'PATH_INFO', 'QUERY_STRING', 'CONTENT_TYPE',
        'CONTENT_LENGTH', 'HTTP_X_TWO', 'SERVER_PORT', 'SERVER_PROTOCOL',
        'REMOTE_ADDR', 'wsgi.url_scheme', 'body')} == {
        'REQUEST_METHOD': 'PUT', 'PATH_INFO': '/a/b',
        'QUERY_STRING': 'x=1&y=%20', 'CONTENT_TYPE': 'text/plain',
        'CONTENT_LENGTH': '7', 'HTTP_X_TWO': 'v', 'SERVER_PORT': str(port),
        'SERVER_PROTOCOL': 'HTTP/1.1', 'REMOTE_ADDR': '127.0.0.1',
        'wsgi.url_scheme': 'http', 'body': b'payload'}
    assert seen['wsgi.input_terminated'] is True


def test_the_write_callable(serve):
    def app(environ, start_response):
        write = start_response('200 OK', [('Content-Length', '11')])
        write(b'hello ')
        return [b'world']

    answer, data = request(serve(app))
    assert data == b'hello world'


def test_an_application_error_is_a_500_and_ends_the_connection(serve):
    def app(environ, start_response):
        raise RuntimeError('broken')

    raw = Raw(serve(app))
    raw.send(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    status, headers, body = raw.answer()
    assert status == 'HTTP/1.1 500 Internal Server Error'
    assert headers['connection'] == 'close'
    assert json.loads(body)['message'] == 'Internal emulator error.'
    assert raw.closed()
    raw.close()


def test_an_answer_shorter_than_its_length_ends_the_connection(serve):
    def app(environ, start_response):
        start_response('200 OK', [('Content-Length', '10')])
        return [b'12345']

    raw = Raw(serve(app))
    raw.send(b'GET / HTTP/1.1\r\nHost: x\r\n\r\n')
    received = raw.rest()
    assert received.endswith(b'\r\n\r\n12345')
    raw.close()
