"""Sync through the emulator: a plan first (a dry run moves nothing), after
local edits and after remote edits, deletion only when asked, and runs
killed half way that continue without moving anything twice."""
import os
import signal
import subprocess
import sys
import textwrap
from datetime import datetime, timedelta, timezone

import pytest

from sevenbridges.transfer.tree import is_partial_download
from tests.e2e.test_folders import quick_and_isolated  # noqa: F401 (autouse)

MIB = 1024 * 1024
PART = 5 * MIB


@pytest.fixture
def project(sbg_api):
    group = sbg_api.billing_groups.query()[0]
    return sbg_api.projects.create(name='sync', billing_group=group)


def write(path, content):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def plan_of(plan):
    return sorted((entry.action, entry.path, entry.reason)
                  for entry in plan.entries)


def remote_contents(api, project, tmp_path):
    """``{path: bytes}`` of the project, read back."""
    contents = {}
    copy = tmp_path / 'read-back'
    for path, file in api.folders.walk_files(project=project):
        file.download(str(copy), overwrite=True)
        contents[path] = copy.read_bytes()
    return contents


def backdate(emulator, file_id, hours):
    """Make the emulator's file ``file_id`` older by ``hours``."""
    store = emulator.state.store
    doc = store.get('files', file_id)
    modified = datetime.strptime(doc['modified_on'], '%Y-%m-%dT%H:%M:%SZ')
    doc['modified_on'] = (modified - timedelta(hours=hours)).strftime(
        '%Y-%m-%dT%H:%M:%SZ')
    store.put('files', doc, project=doc['project'], parent=doc['parent'])


def traffic(emulator, since):
    return [r for r in emulator.requests[since:]
            if r['listener'] == 'storage' or r['method'] != 'GET']


def test_sync_up_after_local_edits(sbg_api, sbg_emulator, project,
                                   tmp_path):
    local = tmp_path / 'local'
    write(local / 'size.txt', b'12345')
    write(local / 'same-size.txt', b'aaaa')
    write(local / 'gone.txt', b'bye')
    write(local / 'deep/keep.txt', b'keep')
    first = sbg_api.folders.sync(local, project=project)
    assert sorted(o.path for o in first.moved) == [
        'deep/keep.txt', 'gone.txt', 'same-size.txt', 'size.txt']

    # the platform's copy is an hour old: a local edit is newer
    uploaded = dict(sbg_api.folders.walk_files(project=project))
    backdate(sbg_emulator, uploaded['same-size.txt'].id, hours=1)
    write(local / 'size.txt', b'123456789')
    write(local / 'same-size.txt', b'bbbb')
    write(local / 'new/fresh.txt', b'fresh')
    (local / 'gone.txt').unlink()
    before = len(sbg_emulator.requests)
    plan = sbg_api.folders.plan_sync(local, project=project)
    assert traffic(sbg_emulator, before) == []      # a dry run
    assert plan_of(plan) == [
        ('create folder', 'new', 'new'),
        ('skip', 'deep/keep.txt', 'same'),
        ('skip', 'gone.txt', 'only on the platform'),
        ('upload', 'new/fresh.txt', 'new'),
        ('upload', 'same-size.txt', 'changed: newer'),
        ('upload', 'size.txt', 'changed: size')]
    report = plan.execute()
    assert sorted(o.path for o in report.moved) == [
        'new/fresh.txt', 'same-size.txt', 'size.txt']
    assert remote_contents(sbg_api, project, tmp_path) == {
        'deep/keep.txt': b'keep', 'gone.txt': b'bye',
        'new/fresh.txt': b'fresh', 'same-size.txt': b'bbbb',
        'size.txt': b'123456789'}

    (local / 'deep/keep.txt').unlink()
    (local / 'deep').rmdir()
    report = sbg_api.folders.sync(local, project=project, delete=True)
    assert sorted(o.path for o in report.deleted) == [
        'deep/', 'deep/keep.txt', 'gone.txt']
    assert sorted(path for path, _ in sbg_api.folders.walk_files(
        project=project, include_folders=True)) == [
        'new', 'new/fresh.txt', 'same-size.txt', 'size.txt']
    again = sbg_api.folders.plan_sync(local, project=project, delete=True)
    assert plan.transfers and not again.transfers and not again.deletions


def test_sync_down_after_remote_edits(sbg_api, sbg_emulator, project,
                                      tmp_path):
    source = tmp_path / 'source'
    write(source / 'a.txt', b'a')
    write(source / 'sub/b.txt', b'bb')
    write(source / 'sub/c.txt', b'ccc')
    sbg_api.folders.upload(source, project=project)
    local = tmp_path / 'local'
    report = sbg_api.folders.sync(local, project=project,
                                  direction='download')
    assert sorted(o.path for o in report.moved) == ['a.txt', 'sub/b.txt',
                                                    'sub/c.txt']
    remote = dict(sbg_api.folders.walk_files(project=project))
    modified = remote['a.txt'].modified_on
    assert os.stat(local / 'a.txt').st_mtime == modified.replace(
        tzinfo=timezone.utc).timestamp()
    assert sbg_api.folders.plan_sync(local, project=project,
                                     direction='download').transfers == []

    write(source / 'a.txt', b'a, edited on the platform')
    sbg_api.files.upload(str(source / 'a.txt'), project=project,
                         overwrite=True)
    write(source / 'new.txt', b'new')
    folder = [f for f in remote.values()][0].parent
    sbg_api.files.upload(str(source / 'new.txt'), parent=folder)
    remote['sub/c.txt'].delete()
    (local / 'local-only.txt').write_bytes(b'mine')
    plan = sbg_api.folders.plan_sync(local, project=project,
                                     direction='download', delete=True)
    assert plan_of(plan) == [
        ('delete', 'local-only.txt', 'only here'),
        ('delete', 'sub/c.txt', 'only here'),
        ('download', 'a.txt', 'changed: size'),
        ('download', 'sub/new.txt', 'new'),
        ('skip', 'sub/b.txt', 'same')]
    plan.execute()
    assert sorted(str(p.relative_to(local)) for p in local.rglob('*')) == [
        'a.txt', 'sub', 'sub/b.txt', 'sub/new.txt']
    assert (local / 'a.txt').read_bytes() == b'a, edited on the platform'


def test_an_excluded_file_is_never_deleted(sbg_api, project, tmp_path):
    local = tmp_path / 'local'
    write(local / 'keep/a.txt', b'a')
    write(local / 'keep/scratch.tmp', b'tmp')
    sbg_api.folders.sync(local, project=project)
    target = tmp_path / 'mirror'
    write(target / 'keep/notes.tmp', b'mine')
    report = sbg_api.folders.sync(target, project=project,
                                  direction='download', delete=True,
                                  exclude=['*.tmp'])
    assert [o.path for o in report.moved] == ['keep/a.txt']
    assert report.deleted == []
    assert (target / 'keep/notes.tmp').read_bytes() == b'mine'


# -- killed or interrupted half way ------------------------------------------

CHILD = '''
import os, signal, sys, time
import sevenbridges as sbg

url, token, direction, local, project, stop_at, how = sys.argv[1:]
# Ctrl-C as in a terminal, even when the suite was started where SIGINT is
# ignored (a background job inherits SIG_IGN, and so would this child).
signal.signal(signal.SIGINT, signal.default_int_handler)
api = sbg.Api(url=url, token=token, upload_max_workers=1,
              download_max_workers=1)
stopped = []

def progress(state):
    if state.bytes_done >= int(stop_at) and not stopped:
        stopped.append(state)
        if how == 'kill':
            print('READY', flush=True)     # parts so far are stored
            time.sleep(600)                # until the test kills us
        os.kill(os.getpid(), signal.SIGINT)   # Ctrl-C

getattr(api.folders, direction)(local, project=project, workers=1,
                                part_size={part}, progress=progress)
'''


def run_until_stopped(tmp_path, emulator, direction, local, project,
                      stop_at, how):
    """Run the transfer in a child process, stopped once ``stop_at`` bytes
    are done: killed (``how='kill'``, SIGKILL) or interrupted (``'ctrl-c'``,
    SIGINT)."""
    script = tmp_path / 'child.py'
    script.write_text(textwrap.dedent(CHILD).format(part=PART))
    child = subprocess.Popen(
        [sys.executable, str(script), emulator.url, emulator.token,
         direction, str(local), project.id, str(stop_at), how],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=dict(os.environ))
    if how == 'kill':
        try:
            assert child.stdout.readline().strip() == 'READY'
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(30)
    else:
        _, errors = child.communicate(timeout=60)
        assert child.returncode != 0
        assert errors.rstrip().endswith('KeyboardInterrupt')


def part_puts(emulator, since=0):
    return [r for r in emulator.requests[since:]
            if r['listener'] == 'storage' and r['method'] == 'PUT']


def part_gets(emulator, since=0):
    return [r for r in emulator.requests[since:]
            if r['listener'] == 'storage' and r['method'] == 'GET'
            and r['headers'].get('Range') != 'bytes=0-0']


def stopped_tree(root):
    """Small, large (4 parts), small: 6 parts in all."""
    files = {'a.txt': b'a' * 1024, 'b.bin': os.urandom(3 * PART + 11),
             'c.txt': b'c' * 10}
    for name, content in files.items():
        write(root / name, content)
    return files


@pytest.mark.parametrize('how', ['kill', 'ctrl-c'])
def test_a_stopped_upload_continues_without_moving_anything_twice(
        sbg_api, sbg_emulator, project, tmp_path, how):
    local = tmp_path / 'local'
    files = stopped_tree(local)
    run_until_stopped(tmp_path, sbg_emulator, 'upload', local, project,
                      1024 + 2 * PART, how)
    first = len(part_puts(sbg_emulator))
    # a.txt and 2 parts of b.bin; after Ctrl-C, maybe the part in flight
    assert first == 3 if how == 'kill' else first in (3, 4)
    assert [path for path, _ in sbg_api.folders.walk_files(
        project=project)] == ['a.txt']

    since = len(sbg_emulator.requests)
    report = sbg_api.folders.upload(local, project=project, part_size=PART)
    assert [o.path for o in report.moved] == ['b.bin', 'c.txt']
    assert [(o.path, o.detail) for o in report.skipped] == [('a.txt',
                                                             'exists')]
    assert len(part_puts(sbg_emulator, since)) == 6 - first
    assert remote_contents(sbg_api, project, tmp_path) == files


@pytest.mark.parametrize('how', ['kill', 'ctrl-c'])
def test_a_stopped_download_continues_without_moving_anything_twice(
        sbg_api, sbg_emulator, project, tmp_path, how):
    source = tmp_path / 'source'
    files = stopped_tree(source)
    sbg_api.folders.upload(source, project=project)
    local = tmp_path / 'local'
    since = len(sbg_emulator.requests)
    run_until_stopped(tmp_path, sbg_emulator, 'download', local, project,
                      1024 + 2 * PART, how)
    first = len(part_gets(sbg_emulator, since))
    assert first == 3 if how == 'kill' else first in (3, 4)
    names = sorted(path.name for path in local.iterdir())
    assert names[0] == 'a.txt' and len(names) == 3   # b.bin: partial only
    assert all(is_partial_download(str(local / name))
               for name in names[1:])

    plan = sbg_api.folders.plan_sync(local, project=project,
                                     direction='download')
    assert plan_of(plan) == [('download', 'b.bin', 'new'),
                             ('download', 'c.txt', 'new'),
                             ('skip', 'a.txt', 'same')]
    since = len(sbg_emulator.requests)
    plan.execute(part_size=PART)
    assert len(part_gets(sbg_emulator, since)) == 6 - first
    assert {path.name: path.read_bytes() for path in local.iterdir()} == \
        files
