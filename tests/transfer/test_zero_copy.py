"""Parts of uploads sent over plain HTTP with ``sendfile`` (from the file
to the socket, never through the process), and the read path where that
is not possible: the same bytes on the wire either way."""
import errno
import os
import socket
import threading

import pytest

from sevenbridges import errors
from sevenbridges.transfer._fileio import PositionalFile
from sevenbridges.transfer._window import PartWindow
from sevenbridges.transfer.sessions import StorageConnection, _WholeBody
from sevenbridges.transfer.upload import _PartReader
from tests.transfer.conftest import MIB

PART = 5 * MIB
SIZE = 3 * PART + 17


@pytest.fixture
def spies(monkeypatch):
    """The counts that went through ``PositionalFile.send`` and
    ``read_into``."""
    seen = {'send': [], 'read': []}
    send, read_into = PositionalFile.send, PositionalFile.read_into

    def spy_send(self, sock, offset, count, moved=None):
        sent = send(self, sock, offset, count, moved)
        seen['send'].append((offset, sent))
        return sent

    def spy_read(self, view, offset):
        count = read_into(self, view, offset)
        seen['read'].append((offset, count))
        return count

    monkeypatch.setattr(PositionalFile, 'send', spy_send)
    monkeypatch.setattr(PositionalFile, 'read_into', spy_read)
    return seen


def test_parts_go_from_the_file_to_the_socket(client, platform, make_file,
                                              spies, monkeypatch):
    moved = []
    original = PartWindow.moved
    monkeypatch.setattr(PartWindow, 'moved', lambda self, count: (
        moved.append(count), original(self, count)))
    source = make_file(SIZE)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=PART).result()
    assert platform.content(uploaded.id) == source.read_bytes()
    assert spies['read'] == []
    assert sorted(spies['send']) == [(0, PART), (PART, PART),
                                     (2 * PART, PART), (3 * PART, 17)]
    assert sum(moved) == SIZE       # the window measures what was sent
    lengths = sorted(int(put['headers']['Content-Length'])
                     for put in platform.requests('storage', 'PUT'))
    assert lengths == [17, PART, PART, PART]


def test_without_sendfile_parts_are_read(client, platform, make_file,
                                         spies, monkeypatch):
    monkeypatch.delattr(os, 'sendfile')
    source = make_file(SIZE)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=PART).result()
    assert platform.content(uploaded.id) == source.read_bytes()
    assert spies['send'] == []
    assert sum(count for _, count in spies['read']) == SIZE


def test_a_file_that_sendfile_refuses_is_read(client, platform, make_file,
                                              spies, monkeypatch):
    calls = []

    def refuse(*args):
        calls.append(args)
        raise OSError(errno.EINVAL, 'Invalid argument')

    monkeypatch.setattr(os, 'sendfile', refuse)
    source = make_file(SIZE)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=PART).result()
    assert platform.content(uploaded.id) == source.read_bytes()
    assert sum(count for _, count in spies['read']) == SIZE
    assert 1 <= len(calls) <= 4     # at most once per part in flight
    assert len(platform.requests('storage', 'PUT')) == 4


def test_sent_parts_are_retried(client, platform, make_file, spies):
    platform.fail('storage', 'PUT', '/parts/', 500, times=2)
    source = make_file(SIZE)
    uploaded = client.files.upload(str(source), project='u/p',
                                   part_size=PART).result()
    assert platform.content(uploaded.id) == source.read_bytes()
    assert len(platform.requests('storage', 'PUT')) == 6
    assert sum(sent for _, sent in spies['send']) > SIZE    # sent again
    assert spies['read'] == []


def test_a_file_that_shrinks_while_it_is_sent_fails_clearly(
        client, platform, make_file, monkeypatch):
    source = make_file(SIZE)
    send = PositionalFile.send

    def shrink_then_send(self, sock, offset, count, moved=None):
        os.truncate(self.path, PART + 5)
        return send(self, sock, offset, count, moved)

    monkeypatch.setattr(PositionalFile, 'send', shrink_then_send)
    upload = client.files.upload(str(source), project='u/p',
                                 part_size=PART, retry=1, wait=False)
    upload.start()
    with pytest.raises(errors.SbgError) as raised:
        upload.wait()
    chain, error = [], raised.value
    while error is not None:
        chain.append(str(error))
        error = error.__cause__ or error.__context__
    assert any('became shorter' in message for message in chain)


class _NotPlain(socket.socket):
    """A socket that is not a plain ``socket.socket`` (as a TLS one)."""


def _send_whole(sock_class, tmp_path, spies, size=3 * MIB + 5):
    """Send a part of ``size`` bytes (at offset 7 of its file) through a
    :class:`StorageConnection` whose socket is of ``sock_class``; the
    bytes the other end received, and the file's."""
    path = tmp_path / 'part.bin'
    path.write_bytes(os.urandom(size + 7))
    ours, theirs = socket.socketpair()
    sock = sock_class(fileno=ours.detach())
    sock.settimeout(5)
    received = bytearray()

    def receive():
        while chunk := theirs.recv(1 << 20):
            received.extend(chunk)

    reader = threading.Thread(target=receive)
    reader.start()
    connection = StorageConnection('storage.invalid', 80)
    connection.sock = sock
    with PositionalFile(str(path)) as source:
        body = _PartReader(source, 7, size, memoryview(bytearray(MIB)))
        assert body.sends_itself()
        connection.send(_WholeBody(body))
        assert body.tell() == size
    sock.close()
    reader.join()
    theirs.close()
    return bytes(received), path.read_bytes()[7:]


def test_a_plain_socket_gets_the_part_with_sendfile(tmp_path, spies):
    received, expected = _send_whole(socket.socket, tmp_path, spies)
    assert received == expected
    assert spies['read'] == [] and spies['send'] == [(7, len(expected))]


def test_other_sockets_get_the_part_read_in_blocks(tmp_path, spies):
    received, expected = _send_whole(_NotPlain, tmp_path, spies)
    assert received == expected
    assert spies['send'] == []
    assert sum(count for _, count in spies['read']) == len(expected)


def test_only_bodies_with_a_length_send_themselves(monkeypatch):
    bodies = []
    monkeypatch.setattr('urllib3.connection.HTTPConnection.request',
                        lambda self, method, url, body=None, headers=None,
                        **kwargs: bodies.append(body))

    class Body:
        def sends_itself(self):
            return True

    body = Body()
    connection = StorageConnection('storage.invalid', 80)
    connection.request('PUT', '/', body, {'Content-Length': '3'})
    connection.request('PUT', '/', body, {}, chunked=True)
    connection.request('PUT', '/', b'abc', {'Content-Length': '3'})
    assert isinstance(bodies[0][0], _WholeBody) and bodies[0][0].body is body
    assert bodies[1:] == [body, b'abc']


@pytest.mark.parametrize('tls', [False, True])
def test_uploads_to_the_emulator_send_the_same_bytes(tmp_path, spies, tls):
    """Plain HTTP: sendfile; TLS: blocks read and encrypted, as before."""
    from sevenbridges.emulator import Emulator
    with Emulator(tls=tls) as emulator:
        api = emulator.api()
        group = api.billing_groups.query()[0]
        project = api.projects.create(name='zero-copy', billing_group=group)
        source = tmp_path / 'data.bin'
        source.write_bytes(os.urandom(SIZE))
        uploaded = api.files.upload(str(source), project=project,
                                    part_size=PART).result()
        target = tmp_path / 'back.bin'
        uploaded.download(str(target))
    assert target.read_bytes() == source.read_bytes()
    sent = sum(count for _, count in spies['send'])
    read = sum(count for _, count in spies['read'])
    assert (sent, read) == ((0, SIZE) if tls else (SIZE, 0))
