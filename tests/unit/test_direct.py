"""The lean transport of folder transfers (:mod:`sevenbridges.http.direct`):
the bytes on the wire are those requests and urllib3 send, the answers read
the same, failures map to requests' errors, and what does not qualify
(mocked, proxied) goes through requests as before."""
import contextlib
import gzip
import json
import os
import socket
import threading
import zlib

import pytest
import requests
import responses
import urllib3

import sevenbridges as sbg
from sevenbridges.http import direct
from sevenbridges.http.client import lean_requests
from sevenbridges.transfer._fileio import PositionalFile
from sevenbridges.transfer.sessions import storage_session
from sevenbridges.transfer.upload import _PartReader

TOKEN = 'secret-token'


def answer(body=b'{"ok": true}', status='200 OK', headers=(),
           encoding=None):
    """A complete HTTP/1.1 answer."""
    if encoding == 'gzip':
        body = gzip.compress(body)
    elif encoding == 'deflate':
        body = zlib.compress(body)
    lines = [f'HTTP/1.1 {status}', 'Content-Type: application/json',
             f'Content-Length: {len(body)}', 'X-Dup: a', 'X-Dup: b']
    if encoding:
        lines.append(f'Content-Encoding: {encoding}')
    lines.extend(headers)
    return ('\r\n'.join(lines) + '\r\n\r\n').encode('latin-1') + body


class CutShort(bytes):
    """An answer after which the server closes the connection."""


class Server:
    """A loopback HTTP server that records the raw bytes of each request
    and answers from ``script(request_bytes, connection_number)``:
    bytes to send (the connection stays open), or ``None`` to close."""

    def __init__(self, script=None):
        self.script = script or (lambda request, number: answer())
        self.received = []
        self.connections = 0
        self.listener = socket.create_server(('127.0.0.1', 0))
        self.port = self.listener.getsockname()[1]
        self.url = f'http://127.0.0.1:{self.port}'
        self._threads = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self.connections += 1
            thread = threading.Thread(target=self._serve,
                                      args=(conn, self.connections),
                                      daemon=True)
            thread.start()

    def _serve(self, conn, number):
        buffered = b''
        with conn:
            while True:
                while b'\r\n\r\n' not in buffered:
                    data = conn.recv(65536)
                    if not data:
                        return
                    buffered += data
                head, _, rest = buffered.partition(b'\r\n\r\n')
                length = 0
                for line in head.split(b'\r\n')[1:]:
                    name, _, value = line.partition(b':')
                    if name.strip().lower() == b'content-length':
                        length = int(value)
                while len(rest) < length:
                    data = conn.recv(65536)
                    if not data:
                        return
                    rest += data
                request = head + b'\r\n\r\n' + rest[:length]
                buffered = rest[length:]
                self.received.append(request)
                reply = self.script(request, number)
                if reply is None:
                    return
                if reply:
                    conn.sendall(reply)
                if isinstance(reply, CutShort):
                    return

    def close(self):
        self.listener.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


@pytest.fixture
def server():
    with Server() as serving:
        yield serving


def client(url):
    return sbg.Api(url=url + '/v2', token=TOKEN)


def twice(call, *sessions):
    """``call()`` through requests, then in a lean block: both results, and
    how many requests went directly in each."""
    count = direct.sent_directly()
    plain = call()
    plain_direct = direct.sent_directly() - count
    with lean_requests(*sessions):
        count = direct.sent_directly()
        lean = call()
        lean_direct = direct.sent_directly() - count
    return plain, lean, plain_direct, lean_direct


def same_response(plain, lean):
    assert lean.status_code == plain.status_code
    assert lean.reason == plain.reason
    assert dict(lean.headers) == dict(plain.headers)
    assert list(lean.headers) == list(plain.headers)
    assert lean.content == plain.content
    assert lean.url == plain.url
    assert lean.encoding == plain.encoding
    assert lean.request is not None


def test_api_get_sends_the_same_bytes(server):
    api = client(server.url)
    plain, lean, plain_direct, lean_direct = twice(
        lambda: api.get('/user', params={'fields': 'id,name'}), api.session)
    assert (plain_direct, lean_direct) == (0, 1)
    first, second = server.received
    assert second == first
    assert first.startswith(
        b'GET /v2/user?fields=id%2Cname HTTP/1.1\r\n'
        + f'Host: 127.0.0.1:{server.port}\r\nUser-Agent: '.encode())
    same_response(plain, lean)
    assert lean.headers['X-Dup'] == 'a, b'
    assert lean.json() == {'ok': True}


def test_api_post_with_json_sends_the_same_bytes(server):
    api = client(server.url)
    data = {'name': 'ünï.txt', 'size': 10, 'part_size': 5}
    plain, lean, _, lean_direct = twice(
        lambda: api.post('/upload/multipart', params={'overwrite': True},
                         data=data), api.session)
    assert lean_direct == 1
    first, second = server.received
    assert second == first
    assert b'X-SBG-Auth-Token: secret-token\r\n' in first
    assert first.endswith(b'\r\n\r\n' + json.dumps(data).encode())
    same_response(plain, lean)


@pytest.mark.parametrize('kind', ['part', 'bytes', 'str', 'file'])
def test_storage_put_sends_the_same_bytes(server, tmp_path, kind,
                                          monkeypatch):
    source = tmp_path / 'part.bin'
    content = os.urandom(300_000)
    source.write_bytes(content)
    session = storage_session(client(server.url), 3)
    sent_by_file = []
    original = PositionalFile.send
    monkeypatch.setattr(PositionalFile, 'send', lambda *args: (
        sent_by_file.append(args[3]), original(*args))[1])

    def put():
        if kind == 'part':
            with PositionalFile(str(source)) as fp:
                body = _PartReader(fp, 1000, 200_000,
                                   memoryview(bytearray(65536)))
                return session.put(server.url + '/bucket/key?sig=a%2Fb',
                                   data=body, timeout=30)
        if kind == 'file':
            with open(source, 'rb') as fp:
                return session.put(server.url + '/bucket/key', data=fp)
        body = content if kind == 'bytes' else 'text ✓'
        return session.put(server.url + '/bucket/key', data=body)

    plain, lean, _, lean_direct = twice(put, session)
    assert lean_direct == 1
    first, second = server.received
    assert second == first
    assert b'X-SBG-Auth-Token' not in first
    if kind == 'part':
        assert first.endswith(b'\r\n\r\n' + content[1000:201_000])
        assert sent_by_file == [200_000, 200_000]   # sendfile both ways
    same_response(plain, lean)


@pytest.mark.parametrize('encoding', ['gzip', 'deflate'])
def test_a_compressed_answer_is_decoded(encoding):
    body = b'{"items": [' + b'1, ' * 1000 + b'2]}'
    with Server(lambda request, number: answer(body,
                                               encoding=encoding)) as server:
        api = client(server.url)
        plain, lean, _, lean_direct = twice(lambda: api.get('/files'),
                                            api.session)
    assert lean_direct == 1
    assert lean.content == plain.content == body
    assert lean.headers['Content-Encoding'] == encoding


def test_a_streamed_download_reads_from_the_socket(server):
    """A storage GET with ``stream=True`` (a small file's download) reads
    its body with ``readinto`` and gives its connection back."""
    session = storage_session(client(server.url), 3)
    with lean_requests(session):
        for _ in range(2):
            response = session.get(server.url + '/bucket/key', stream=True,
                                   headers={'Accept-Encoding': 'identity'})
            with response:
                buffer = bytearray(100)
                count = response.raw._fp.readinto(buffer)
                assert bytes(buffer[:count]) == b'{"ok": true}'
                assert response.raw._fp.readinto(buffer) == 0
                response.raw.release_conn()
    assert server.connections == 1      # kept alive
    assert len(server.received) == 2


def test_a_redirect_is_followed_as_requests_follows_it():
    other = Server(lambda request, number: answer(b'{"there": 1}'))

    def script(request, number):
        if request.startswith(b'GET /v2/here'):
            return answer(b'', '302 Found',
                          [f'Location: {other.url}/v2/there'])
        return answer()

    with other, Server(script) as server:
        api = client(server.url)
        plain, lean, _, lean_direct = twice(lambda: api.get('/here'),
                                            api.session)
    assert lean_direct == 2
    same_response(plain, lean)
    assert [r.status_code for r in lean.history] == [302]
    assert lean.json() == {'there': 1}
    # another origin: the token is not sent there, either way
    assert len(other.received) == 2
    assert other.received[0] == other.received[1]
    assert all(TOKEN.encode() not in request for request in other.received)


def test_a_refused_connection_fails_as_in_requests():
    listener = socket.create_server(('127.0.0.1', 0))
    port = listener.getsockname()[1]
    listener.close()
    session = storage_session(client(f'http://127.0.0.1:{port}'), 1)
    errors = []
    for lean in (False, True):
        count = direct.sent_directly()
        with lean_requests(session) if lean else contextlib.nullcontext():
            with pytest.raises(requests.ConnectionError) as caught:
                session.get(f'http://127.0.0.1:{port}/key', timeout=5)
        assert direct.sent_directly() == count
        errors.append(caught.value)
    assert type(errors[0]) is type(errors[1])
    assert isinstance(errors[1].args[0].reason,
                      urllib3.exceptions.NewConnectionError)


def test_an_answer_cut_short_is_a_dropped_connection():
    # the server closes the connection without answering
    with Server(lambda request, number: None) as server:
        api = client(server.url)
        api.retry = False
        with lean_requests(api.session), \
                pytest.raises(requests.ConnectionError) as caught:
            api.session.post(server.url + '/v2/x', data=b'{}', timeout=5)
    cause = caught.value.args[0]
    assert isinstance(cause, urllib3.exceptions.ProtocolError)
    assert cause.args[0] == 'Connection aborted.'
    assert sbg.http.retry.transport_failure(caught.value) == \
        (False, 'connection dropped')


def test_no_answer_in_time_is_a_read_timeout(server):
    server.script = lambda request, number: b''
    api = client(server.url)
    with lean_requests(api.session), \
            pytest.raises(requests.ReadTimeout) as caught:
        api.session.post(server.url + '/v2/x', data=b'{}', timeout=0.2)
    assert sbg.http.retry.transport_failure(caught.value) == \
        (False, 'no answer in time')
    assert 'Read timed out' in str(caught.value)


def test_a_kept_alive_connection_closed_by_the_server_is_replaced(
        monkeypatch):
    """The server closes an idle connection without saying so; the
    request goes once more, on a new connection."""
    closing = threading.Event()

    def script(request, number):
        if number == 1 and closing.is_set():
            return None     # closes without an answer
        return answer()

    monkeypatch.setattr(direct, '_dropped', lambda sock: False)
    with Server(script) as server:
        api = client(server.url)
        with lean_requests(api.session):
            assert api.get('/user').json() == {'ok': True}
            closing.set()
            assert api.get('/user').json() == {'ok': True}
    assert server.connections == 2
    assert len(server.received) == 3


def test_an_idle_connection_closed_is_not_reused():
    with Server() as server:
        api = client(server.url)
        with lean_requests(api.session):
            api.get('/user')
            # the server side of the kept connection goes away
            idle = api.session.get_adapter(server.url)
            origin, = idle._origins.values()
            origin.idle[0].shutdown(socket.SHUT_RD)
            assert direct._dropped(origin.idle[0])
            api.get('/user')
    assert server.connections == 2


def test_a_proxy_goes_through_requests(server):
    api = client('http://127.0.0.1:9')
    api.session.proxies = {'http': server.url}
    with lean_requests(api.session):
        count = direct.sent_directly()
        api.get('/user')
        assert direct.sent_directly() == count
    assert server.received[0].startswith(
        b'GET http://127.0.0.1:9/v2/user HTTP/1.1\r\n')


def test_a_mocked_adapter_goes_through_requests():
    api = client('http://127.0.0.1:9')
    with responses.RequestsMock() as mocked, lean_requests(api.session):
        mocked.add(responses.GET, 'http://127.0.0.1:9/v2/user',
                   json={'mocked': True})
        count = direct.sent_directly()
        assert api.get('/user').json() == {'mocked': True}
        assert direct.sent_directly() == count


def test_hooks_and_other_adapters_go_through_requests(server):
    api = client(server.url)
    seen = []
    with lean_requests(api.session):
        count = direct.sent_directly()
        api.session.get(server.url + '/a', hooks={'response': [
            lambda response, **kwargs: seen.append(response.status_code)]})
        api.session.hooks['response'].append(
            lambda response, **kwargs: seen.append('session'))
        api.session.get(server.url + '/b')
        api.session.hooks['response'].clear()
        api.session.mount('http://', requests.adapters.HTTPAdapter())
        api.session.get(server.url + '/c')
        assert direct.sent_directly() == count
    assert seen == [200, 'session']


def test_outside_a_block_requests_sends(server):
    api = client(server.url)
    count = direct.sent_directly()
    api.get('/user')
    assert direct.sent_directly() == count
    assert api.session.get_adapter(server.url) is \
        api.session.adapters['http://']


@pytest.mark.parametrize('block', [
    b'Content-Type: application/json\r\nContent-Length: 12\r\n'
    b'X-A:  spaced  \r\nX-Dup: a\r\nx-dup: b\r\nEmpty:\r\nTab:\t v\r\n\r\n',
    b'A: 1\nB: 2\n\n',
    b'A: 1\r\n folded\r\nB: 2\r\n\r\n',
    b'Not a header: 1\r\nB: 2\r\n\r\n',
    b'A: caf\xe9\r\n\r\n',
    b'A: 1\r\n',
    b'\r\n',
    b'A: x\ry\r\n\r\n',
])
def test_headers_read_as_http_client_reads_them(block):
    import http.client
    import io
    expected = http.client.parse_headers(io.BytesIO(block))
    read = direct._parse_headers(io.BytesIO(block))
    assert type(read) is type(expected)
    assert read.items() == expected.items()
    assert read.get_payload() == expected.get_payload()
    assert [type(defect) for defect in read.defects] == \
        [type(defect) for defect in expected.defects]


def test_a_streamed_body_cut_short_fails_as_in_requests():
    errors = []
    with Server(lambda request, number: CutShort(
            answer(b'x' * 100)[:-90])) as server:
        api = client(server.url)
        for lean in (False, True):
            with lean_requests(api.session) if lean else \
                    contextlib.nullcontext():
                response = api.session.get(server.url + '/key', stream=True)
                with pytest.raises(requests.RequestException) as caught:
                    list(response.iter_content(10))
                errors.append(caught.value)
    assert [type(error) for error in errors] == \
        [requests.exceptions.ChunkedEncodingError] * 2


def test_a_storage_read_failure_goes_again_through_requests():
    """The storage adapter's urllib3 retries send a GET again after a
    dropped answer: so does the lean transport, through it."""
    with Server(lambda request, number: None if number == 1
                else answer()) as server:
        session = storage_session(client(server.url), 3)
        with lean_requests(session):
            count = direct.sent_directly()
            response = session.get(server.url + '/bucket/key', timeout=5)
            assert direct.sent_directly() == count
    assert response.json() == {'ok': True}
    assert server.connections == 2
    assert server.received[0] == server.received[1]


def test_an_api_read_failure_is_not_sent_again(server):
    """The client's adapter under a retry policy retries nothing itself:
    the policy decides."""
    server.script = lambda request, number: None
    api = client(server.url)
    with lean_requests(api.session), \
            pytest.raises(requests.ConnectionError):
        api.session.get(server.url + '/v2/user', timeout=5)
    assert len(server.received) == 1


def test_a_connect_timeout_is_requests_connect_timeout(server, monkeypatch):
    """The client's adapter retries no connection under a retry policy:
    ``ConnectTimeout`` at once, which the policy knows as a request that
    never arrived. The storage adapter retries connections: requests
    makes them (here it connects)."""
    def late(address, timeout=None, *args):
        raise TimeoutError('timed out')

    monkeypatch.setattr(direct.socket, 'create_connection', late)
    api = client(server.url)
    with lean_requests(api.session), \
            pytest.raises(requests.ConnectTimeout) as caught:
        api.session.get(server.url + '/v2/user', timeout=(0.5, 5))
    assert sbg.http.retry.transport_failure(caught.value) == \
        (True, 'connection timed out')
    assert server.received == []
    session = storage_session(api, 3)
    with lean_requests(session):
        assert session.get(server.url + '/key').json() == {'ok': True}


def test_a_blocking_pool_holds_its_connections_in_use(server):
    """``pool_block`` (the client's default) with ``pool_maxsize=1``: one
    connection at a time, as in urllib3's pool; a failed request frees
    its connection."""
    api = sbg.Api(url=server.url + '/v2', token=TOKEN, pool_maxsize=1)
    failures = iter([True])
    server.script = lambda request, number: None \
        if next(failures, False) else answer()
    done = []

    def calls():
        for _ in range(5):
            done.append(api.session.get(server.url + '/v2/user',
                                        timeout=5).status_code)

    with lean_requests(api.session):
        with pytest.raises(requests.ConnectionError):
            api.session.get(server.url + '/v2/user', timeout=5)
        threads = [threading.Thread(target=calls, daemon=True)
                   for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)     # a guard: a leaked connection would block
    assert done == [200] * 20
    assert server.connections == 2     # the failed one, then one


def test_urllib3_connections_replaced_go_through_requests(server,
                                                          monkeypatch):
    """A recording library (vcrpy) replaces urllib3's connection classes:
    the requests go through them."""
    class Recording(urllib3.connection.HTTPConnection):
        pass

    monkeypatch.setattr(urllib3.connectionpool.HTTPConnectionPool,
                        'ConnectionCls', Recording)
    api = client(server.url)
    with lean_requests(api.session):
        count = direct.sent_directly()
        api.get('/user')
        assert direct.sent_directly() == count
