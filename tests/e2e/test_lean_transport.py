"""Folder trees through the lean transport (:mod:`sevenbridges.http.direct`)
against the emulator, over plain HTTP and TLS: every request of the tree
goes directly, and the emulator sees the same requests as through
requests."""
import os
import re
from collections import Counter
from urllib.parse import parse_qsl

import pytest

from sevenbridges.emulator import Emulator
from sevenbridges.http import direct
from sevenbridges.transfer import retries
from sevenbridges.transfer._fileio import PositionalFile

MIB = 1024 * 1024
PART = 5 * MIB


@pytest.fixture(autouse=True)
def quick_and_isolated(monkeypatch, tmp_path):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    monkeypatch.setattr(retries, 'BASE_DELAY', 0.01)


def make_tree(root):
    files = {f'd{n % 3}/f{n:02d}.bin': os.urandom(1000 + n)
             for n in range(12)}
    files['big.bin'] = os.urandom(2 * PART + 7)
    files['zero.bin'] = b''
    for path, content in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return files


def what_was_asked(requests):
    """The requests of a tree, without what differs between two runs (ids,
    signatures, times): ``Counter`` of listener, method, path, query keys
    and headers."""
    return Counter(
        (r['listener'], r['method'], re.sub(r'[0-9a-f]{24,}', 'ID',
                                            r['path']),
         tuple(sorted(key for key, _ in parse_qsl(r['query']))),
         tuple(sorted(r['headers'].items())))
        for r in requests)


@pytest.fixture
def spies(monkeypatch):
    """The bytes of parts sent from the file (``sendfile``) and read into
    the process (blocks)."""
    seen = {'send': 0, 'read': 0}
    send, read_into = PositionalFile.send, PositionalFile.read_into

    def spy_send(self, sock, offset, count, moved=None):
        sent = send(self, sock, offset, count, moved)
        seen['send'] += sent
        return sent

    def spy_read(self, view, offset):
        count = read_into(self, view, offset)
        seen['read'] += count
        return count

    monkeypatch.setattr(PositionalFile, 'send', spy_send)
    monkeypatch.setattr(PositionalFile, 'read_into', spy_read)
    return seen


@pytest.mark.parametrize('tls', [False, True])
def test_a_tree_goes_up_and_down_directly(tmp_path, monkeypatch, spies,
                                          tls):
    """Plain HTTP: parts by ``sendfile``; TLS: by blocks."""
    files = make_tree(tmp_path / 'source')
    total = sum(len(content) for content in files.values())
    asked = {}
    with Emulator(tls=tls) as emulator:
        api = emulator.api()
        group = api.billing_groups.query()[0]
        for lean in (True, False):
            if not lean:
                monkeypatch.setattr(direct, 'direct_adapter',
                                    lambda adapter: None)
            project = api.projects.create(name=f'lean-{int(lean)}',
                                          billing_group=group)
            start, count = len(emulator.requests), direct.sent_directly()
            up = api.folders.upload(tmp_path / 'source', project=project,
                                    part_size=PART)
            target = tmp_path / f'back-{int(lean)}'
            down = api.folders.download(target, project=project)
            sent = direct.sent_directly() - count
            made = emulator.requests[start:]
            asked[lean] = what_was_asked(made)
            assert up.ok and down.ok
            for path, content in files.items():
                assert (target / path).read_bytes() == content
            assert sent == (len(made) if lean else 0)
            if lean:
                assert (spies['send'], spies['read']) == \
                    ((0, total) if tls else (total, 0))
    assert asked[True] == asked[False]
    storage = [key for key in asked[True] if key[0] == 'storage']
    assert {method for _, method, *_ in storage} == {'PUT', 'GET'}
    assert all('X-SBG-Auth-Token' not in dict(key[4]) for key in storage)


def test_a_tree_under_responses_goes_through_requests(tmp_path):
    """With ``responses`` patching requests' sending (here passing every
    request through to the emulator), a tree goes the normal way: none
    goes directly."""
    import responses
    files = make_tree(tmp_path / 'source')
    del files['big.bin']
    (tmp_path / 'source' / 'big.bin').unlink()
    with Emulator() as emulator:
        api = emulator.api()
        group = api.billing_groups.query()[0]
        project = api.projects.create(name='mocked', billing_group=group)
        with responses.RequestsMock(assert_all_requests_are_fired=False) \
                as mocked:
            mocked.add_passthru(re.compile('http://'))
            count = direct.sent_directly()
            start = len(emulator.requests)
            up = api.folders.upload(tmp_path / 'source', project=project)
            down = api.folders.download(tmp_path / 'back', project=project)
            assert direct.sent_directly() == count
            assert len(emulator.requests) - start >= 2 * len(files)
    assert up.ok and down.ok
    for path, content in files.items():
        assert (tmp_path / 'back' / path).read_bytes() == content


def test_tls_is_verified_as_requests_verifies_it(recwarn):
    """Not the emulator's CA: the handshake fails, requests says why;
    ``verify=False``: no verification, with urllib3's warning."""
    import urllib3

    from sevenbridges.errors import SbgError
    from sevenbridges.http.client import lean_requests
    with Emulator(tls=True) as emulator:
        api = emulator.api(retry_count=1)
        with lean_requests(api.session):
            assert api.users.me().username == 'rfranklin'
            count = direct.sent_directly()
            api.session.verify = True
            with pytest.raises(SbgError, match='CERTIFICATE_VERIFY_FAILED'):
                api.users.me()
            assert direct.sent_directly() == count
            api.session.verify = False
            with pytest.warns(urllib3.exceptions.InsecureRequestWarning):
                assert api.users.me().username == 'rfranklin'
            assert direct.sent_directly() == count + 1
