"""Transfer state machine, progress, callbacks and resume after a crash."""
import os
import subprocess
import sys
import textwrap
import time

import pytest

from sevenbridges import errors
from sevenbridges.models.enums import TransferState
from sevenbridges.models.file import File
from sevenbridges.transfer import journals
from sevenbridges.transfer.download import Download
from sevenbridges.transfer.upload import Upload
from sevenbridges.transfer.utils import (
    Part,
    Progress,
    simple_progress_bar,
    total_parts,
)
from tests.transfer.conftest import MIB

PART = 5 * MIB
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(__file__)))


def wait_until(condition, timeout=10):
    deadline = time.time() + timeout
    while not condition():
        if time.time() > deadline:
            raise AssertionError('condition not reached')
        time.sleep(0.01)


def slow_upload(client, platform, make_file, parts=4):
    platform.fail('storage', 'PUT', '/parts/', None, times=100, delay=0.2)
    source = make_file(parts * PART)
    return Upload(str(source), project='u/p', part_size=PART, api=client)


def test_states_before_start(client, make_file):
    upload = Upload(str(make_file(10)), project='u/p', api=client)
    assert upload.status == TransferState.PREPARING
    assert upload.start_time == 0 and upload.duration == 0
    assert repr(upload) == '<Upload: status=PREPARING>'
    for action, message in ((upload.pause, 'Can not pause. Upload not in '
                                           'RUNNING state.'),
                            (upload.resume, 'Can not resume. Upload not in '
                                            'PAUSED state.'),
                            (upload.stop, 'Can not stop. Upload not in '
                                          'PAUSED or RUNNING state.')):
        with pytest.raises(errors.SbgError) as info:
            action()
        assert info.value.message == message


def test_pause_resume_and_complete(client, platform, make_file):
    upload = slow_upload(client, platform, make_file)
    upload.start()
    with pytest.raises(errors.SbgError, match='Unable to start'):
        upload.start()
    upload.pause()
    assert upload.status == TransferState.PAUSED
    with pytest.raises(errors.SbgError, match='Can not pause'):
        upload.pause()
    upload.resume()
    assert upload.status == TransferState.RUNNING
    upload.wait()
    assert upload.status == TransferState.COMPLETED
    assert upload.result().size == 4 * PART
    for action in (upload.pause, upload.resume, upload.stop):
        with pytest.raises(errors.SbgError):
            action()


def test_stop_while_paused_returns_promptly_and_aborts(client, platform,
                                                       make_file):
    upload = slow_upload(client, platform, make_file, parts=8)
    seen = []
    upload.add_callback(callback=seen.append)
    upload.start()
    upload.pause()
    started = time.time()
    assert upload.stop() is None
    assert time.time() - started < 5
    assert upload.status == TransferState.STOPPED
    assert seen == ['STOPPED']
    assert platform.requests('api', 'DELETE')
    assert platform.requests('api', 'POST', 'complete') == []


def test_stop_while_running(client, platform, make_file):
    upload = slow_upload(client, platform, make_file, parts=8)
    upload.start()
    wait_until(lambda: platform.requests('storage', 'PUT'))
    upload.stop()
    assert upload.status == TransferState.STOPPED
    assert not upload.is_alive()
    assert upload.result() is None


def test_progress_counts_completed_parts(client, platform, make_file):
    source = make_file(3 * PART + 1)
    seen = []
    upload = Upload(str(source), project='u/p', part_size=PART, api=client)
    upload.add_progress_callback(seen.append)
    upload.start()
    upload.wait()
    assert [p.parts_done for p in seen] == [1, 2, 3, 4]
    assert all(p.num_of_parts == 4 for p in seen)
    assert seen[-1].bytes_done == 3 * PART + 1
    assert seen[-1].progress == 100.0
    assert upload.progress == 100.0
    assert 0 < seen[-1].duration < 60 and seen[-1].bandwidth > 0


def test_download_pause_resume_stop(client, platform, tmp_path):
    file_id = platform.add_file('x', os.urandom(4 * PART))
    url = File(api=client, id=file_id).download_info().url
    platform.fail('storage', 'GET', '/objects/', None, times=100, delay=0.2)
    target = tmp_path / 'out.bin'
    download = Download(url, str(target), part_size=PART, api=client)
    download.start()
    download.pause()
    assert download.status == TransferState.PAUSED
    download.resume()
    download.wait()
    assert target.read_bytes() == platform.content(file_id)
    stopped_target = tmp_path / 'stopped.bin'
    stopped = Download(url, str(stopped_target), part_size=PART, api=client)
    stopped.start()
    stopped.pause()
    started = time.time()
    stopped.stop()
    assert time.time() - started < 5
    assert stopped.status == TransferState.STOPPED
    assert not any(name.startswith('stopped.bin')
                   for name in os.listdir(tmp_path))
    with pytest.raises(errors.SbgError, match='Can not resume. Download'):
        stopped.resume()


def test_utils():
    part = Part(start=5, size=10)
    assert (part.start, part.size) == (5, 10)
    progress = Progress(10, 2, 2_000_000, 4_000_000, 2)
    assert (progress.num_of_parts, progress.parts_done, progress.bytes_done,
            progress.file_size, progress.duration) == (10, 2, 2_000_000,
                                                       4_000_000, 2)
    assert progress.progress == 50.0 and progress.bandwidth == 1.0
    assert Progress(1, 1, 20, 10, 0).progress == 100.0
    assert Progress(1, 0, 0, 10, 0).bandwidth == 0.0
    assert total_parts(21, 10) == 3


def test_simple_progress_bar(capsys):
    simple_progress_bar(Progress(4, 1, 2_500_000, 10_000_000, 2.5))
    assert capsys.readouterr().out == (
        '\rTransfer: Progress[25.00%], Bandwidth[1.00MB/s], '
        'Parts[total=4, Done=1],  Duration[2.50s]\b')


CRASHING_UPLOAD = textwrap.dedent('''
    import os, sys
    sys.path.insert(0, {root!r})
    import sevenbridges as sbg
    from sevenbridges.transfer import upload as upload_module

    api = sbg.Api(url={url!r}, token={token!r}, upload_max_workers=1)
    upload = api.files.upload({source!r}, project='u/p',
                              part_size={part}, wait=False)

    def crash(progress):
        if progress.parts_done == 2:
            os._exit(3)

    upload.add_progress_callback(crash)
    upload.start()
    upload.wait()
''')


def test_upload_continues_after_a_crash(client, platform, make_file):
    source = make_file(5 * PART)
    script = CRASHING_UPLOAD.format(root=ROOT, url=platform.url,
                                    token=platform.token, source=str(source),
                                    part=PART)
    done = subprocess.run([sys.executable, '-c', script],
                          env=dict(os.environ), capture_output=True)
    assert done.returncode == 3, done.stderr
    assert len(platform.requests('storage', 'PUT')) == 2
    upload = client.files.upload(str(source), project='u/p', part_size=PART)
    assert platform.content(upload.result().id) == source.read_bytes()
    puts = [entry['path'].rsplit('/', 1)[1]
            for entry in platform.requests('storage', 'PUT')]
    assert sorted(puts) == ['1', '2', '3', '4', '5']
    assert len(platform.requests('api', 'POST', r'/upload/multipart$')) == 1
    assert platform.requests('api', 'GET', r'/upload/multipart/\w+$')
    assert os.listdir(os.path.join(journals.cache_dir(), 'uploads')) == []


CRASHING_DOWNLOAD = textwrap.dedent('''
    import os, sys
    sys.path.insert(0, {root!r})
    import sevenbridges as sbg
    from sevenbridges.transfer.download import Download

    api = sbg.Api(url={url!r}, token={token!r}, download_max_workers=1)
    download = Download({storage_url!r}, {target!r}, part_size={part},
                        api=api)

    def crash(progress):
        if progress.parts_done == 2:
            os._exit(3)

    download.add_progress_callback(crash)
    download.start()
    download.wait()
''')


def test_download_continues_after_a_crash(client, platform, tmp_path):
    file_id = platform.add_file('x', os.urandom(4 * PART + 3))
    url = File(api=client, id=file_id).download_info().url
    target = tmp_path / 'out.bin'
    script = CRASHING_DOWNLOAD.format(root=ROOT, url=platform.url,
                                      token=platform.token, storage_url=url,
                                      target=str(target), part=PART)
    done = subprocess.run([sys.executable, '-c', script],
                          capture_output=True)
    assert done.returncode == 3, done.stderr
    assert not target.exists()
    first_ranges = {entry['headers']['Range'] for entry in
                    platform.requests('storage', 'GET')}
    download = Download(url, str(target), part_size=PART, api=client)
    download.start()
    download.wait()
    assert target.read_bytes() == platform.content(file_id)
    ranges = [entry['headers']['Range'] for entry in
              platform.requests('storage', 'GET')]
    stored = {f'bytes=0-{PART - 1}', f'bytes={PART}-{2 * PART - 1}'}
    assert stored <= first_ranges
    assert all(ranges.count(r) == 1 for r in stored)
    assert sorted(set(os.listdir(tmp_path)) - {'cache'}) == ['out.bin',
                                                           'platform']
