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


@pytest.mark.parametrize('tls', [False, True])
def test_a_tree_goes_up_and_down_directly(tmp_path, monkeypatch, tls):
    files = make_tree(tmp_path / 'source')
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
    assert asked[True] == asked[False]
    storage = [key for key in asked[True] if key[0] == 'storage']
    assert {method for _, method, *_ in storage} == {'PUT', 'GET'}
    assert all('X-SBG-Auth-Token' not in dict(key[4]) for key in storage)
