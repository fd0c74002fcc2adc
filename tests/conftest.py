"""Shared fixtures: an Api client on a fake endpoint and mocked HTTP."""
import json
import os
import threading
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import responses

BASE = 'https://api.sbgenomics.test/v2'
TOKEN = 'TOKEN-0123456789'


@pytest.fixture(autouse=True)
def isolated_configuration(monkeypatch, tmp_path):
    """No test sees the real environment or home directory."""
    for name in ('SB_API_ENDPOINT', 'SB_AUTH_TOKEN', 'HTTP_PROXY',
                 'HTTPS_PROXY'):
        monkeypatch.delenv(name, raising=False)
    from sevenbridges.config import UserProfile
    monkeypatch.setattr(UserProfile, 'CREDENTIALS',
                        str(tmp_path / 'home' / 'credentials'))
    monkeypatch.setattr(UserProfile, 'CONFIG',
                        str(tmp_path / 'home' / 'config'))


@pytest.fixture(autouse=True)
def no_remote_network(monkeypatch):
    """Tests talk to mocks or to loopback servers, never to the network."""
    import socket
    connect = socket.socket.connect

    def guarded(sock, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith('127.')
                                          or host in ('::1', 'localhost')):
            raise OSError(f'test tried to reach {address}')
        return connect(sock, address)

    getaddrinfo = socket.getaddrinfo

    def guarded_lookup(host, *args, **kwargs):
        if isinstance(host, str) and not (host.startswith('127.')
                                          or host in ('::1', 'localhost')):
            raise OSError(f'test tried to resolve {host}')
        return getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, 'connect', guarded)
    monkeypatch.setattr(socket, 'getaddrinfo', guarded_lookup)


@pytest.fixture
def pwrite_overlap(monkeypatch):
    """Spies on ``os.pwrite``: ``[n]``, the most calls in progress at once
    (each call is held 1 ms, to widen the window an overlap shows in).
    Skips where the system has no positional writes (Windows)."""
    pwrite = getattr(os, 'pwrite', None)
    if pwrite is None:
        pytest.skip('no os.pwrite to spy on')
    active, most, lock = [0], [0], threading.Lock()

    def spy(descriptor, data, offset):
        with lock:
            active[0] += 1
            most[0] = max(most[0], active[0])
        time.sleep(0.001)
        try:
            return pwrite(descriptor, data, offset)
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(os, 'pwrite', spy)
    return most


@pytest.fixture
def mocked():
    """Every HTTP request must be mocked; unused mocks are not an error."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        yield rsps


@pytest.fixture
def api():
    import sevenbridges as sbg
    return sbg.Api(url=BASE, token=TOKEN)


def query_of(request):
    """The query string of a recorded request as ``{key: [values]}``."""
    return parse_qs(urlsplit(request.url).query, keep_blank_values=True)


def path_of(request):
    return urlsplit(request.url).path


def body_of(request):
    """The JSON body of a recorded request."""
    body = request.body
    if isinstance(body, bytes):
        body = body.decode()
    return json.loads(body) if body is not None else None


class VirtualClock:
    """A clock whose time passes only when something sleeps on it: it
    stands for :mod:`time` (``time()``, ``monotonic()``, ``sleep()``) or
    for a retry policy's clock, and keeps the sleeps in :attr:`sleeps`.

    :param start: its time at first.
    :param ndigits: keep each sleep rounded to this many digits.
    :param most_sleeps: fail the test whose code sleeps this often (a
        wait that never ends).
    """

    def __init__(self, start=1000.0, ndigits=None, most_sleeps=None):
        self.now = start
        self.sleeps = []
        self.ndigits = ndigits
        self.most_sleeps = most_sleeps

    def time(self):
        return self.now

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds if self.ndigits is None
                           else round(seconds, self.ndigits))
        self.now += seconds
        assert self.most_sleeps is None or \
            len(self.sleeps) < self.most_sleeps, 'a wait that never ends'
