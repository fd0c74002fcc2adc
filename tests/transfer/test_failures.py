"""Failures end a transfer with the error that caused it: a failed abort of
an upload is logged, a failed cleanup of a download too, and the errorback
is always told; bad download targets are refused before any request."""
import logging
import os

import pytest

from sevenbridges import errors
from sevenbridges.models.enums import TransferState
from sevenbridges.models.file import File
from sevenbridges.transfer.download import Download
from tests.transfer.conftest import MIB

PART = 5 * MIB


def refuse_the_abort(platform):
    platform.fail('api', 'DELETE', r'/upload/multipart/\w+$', 405, times=10,
                  body=b'<html>Method Not Allowed</html>')


def test_a_failed_part_is_the_error_when_the_abort_fails(
        client, platform, make_file, caplog):
    refuse_the_abort(platform)
    platform.fail('storage', 'PUT', r'/parts/\w+/2$', 500, times=100)
    seen = []
    upload = client.files.upload(str(make_file(2 * PART)), project='u/p',
                                 part_size=PART, retry=2, wait=False)
    upload.add_callback(errorback=seen.append)
    upload.start()
    with caplog.at_level(logging.WARNING, logger='sevenbridges'):
        with pytest.raises(errors.SbgError,
                           match='Failed to upload part 2 .* after 2 '
                                 'attempts'):
            upload.wait()
    assert seen == [TransferState.FAILED]
    assert upload.status == TransferState.FAILED
    assert platform.requests('api', 'DELETE')
    assert 'Failed to abort upload!' in caplog.text


def test_a_failed_completion_is_the_error_when_the_abort_fails(
        client, platform, make_file):
    refuse_the_abort(platform)
    platform.fail('api', 'POST', 'complete', 500)
    upload = client.files.upload(str(make_file(10)), project='u/p',
                                 wait=False)
    with pytest.raises(errors.SbgError, match='Failed to complete upload!'):
        upload.run()                 # called directly: the error is raised
    assert upload.status == TransferState.FAILED


def test_a_stop_whose_abort_fails_says_so(client, platform, make_file):
    refuse_the_abort(platform)
    platform.fail('storage', 'PUT', '/parts/', None, times=100, delay=0.2)
    upload = client.files.upload(str(make_file(4 * PART)), project='u/p',
                                 part_size=PART, wait=False)
    upload.start()
    upload.pause()
    with pytest.raises(errors.SbgError, match='Failed to abort upload!'):
        upload.stop()
    assert upload.status == TransferState.FAILED


def test_a_cleanup_that_fails_is_logged_and_the_errorback_told(
        client, platform, tmp_path, monkeypatch, caplog):
    file_id = platform.add_file('x', os.urandom(2 * PART))
    target = tmp_path / 'out.bin'
    download = File(api=client, id=file_id).download(
        str(target), chunk_size=PART, retry=1, wait=False)
    platform.fail('storage', 'GET', '/objects/', 500, times=100)
    remove = os.remove

    def refuse(path, *args, **kwargs):
        if str(path).startswith(str(target)):
            raise PermissionError(13, 'Permission denied', str(path))
        return remove(path, *args, **kwargs)

    monkeypatch.setattr(os, 'remove', refuse)
    seen = []
    download.add_callback(errorback=seen.append)
    download.start()
    with caplog.at_level(logging.WARNING, logger='sevenbridges'):
        with pytest.raises(errors.SbgError, match='Download failed! Part'):
            download.wait()
    assert len(seen) == 1 and 'Download failed! Part' in str(seen[0])
    assert 'Could not remove' in caplog.text and 'Permission' in caplog.text
    assert not target.exists()


@pytest.fixture
def stored(platform):
    return platform.add_file('x.bin', b'0123456789')


@pytest.mark.parametrize('where,message', [
    ('exists.bin/x.bin', 'exists.bin is not a folder'),
    ('missing/x.bin', 'missing does not exist'),
    ('folder', 'it is a folder'),
])
def test_bad_targets_are_refused_before_any_request(
        client, platform, stored, tmp_path, where, message):
    (tmp_path / 'exists.bin').write_bytes(b'x')
    (tmp_path / 'folder').mkdir()
    file = File(api=client, id=stored)
    target = str(tmp_path / where)
    for overwrite in (False, True):
        with pytest.raises(errors.SbgError, match=message):
            file.download(target, overwrite=overwrite)
    with pytest.raises(errors.SbgError, match=message):
        Download('http://127.0.0.1:1/x', target, api=client)
    assert platform.log == []


@pytest.mark.parametrize('arguments,error,message', [
    ({'chunk_size': 0}, errors.ValidationError, 'chunk_size must be a '
                                                'positive number'),
    ({'chunk_size': -1}, errors.ValidationError, 'chunk_size must be'),
    ({'chunk_size': 1024}, errors.SbgError, 'Part size is too small!'),
    ({'retry': -1}, errors.ValidationError, 'retry must be a number of'),
    ({'timeout': -5}, errors.ValidationError, 'timeout must be a number of'),
    ({'timeout': 'long'}, errors.ValidationError, 'timeout must be'),
])
def test_bad_download_arguments_are_refused_before_any_request(
        client, platform, stored, tmp_path, arguments, error, message):
    with pytest.raises(error, match=message):
        File(api=client, id=stored).download(str(tmp_path / 'x.bin'),
                                             **arguments)
    assert platform.log == []


@pytest.mark.parametrize('arguments,message', [
    ({'retry': -1}, 'retry must be a number of attempts'),
    ({'retry': 2.5}, 'retry must be'),
    ({'timeout': -5}, 'timeout must be a number of seconds'),
    ({'part_size': 0}, 'part_size must be a positive number of bytes'),
])
def test_bad_upload_arguments_are_refused_before_any_request(
        client, platform, make_file, arguments, message):
    with pytest.raises(errors.ValidationError, match=message):
        client.files.upload(str(make_file(10)), project='u/p', **arguments)
    assert platform.log == []


def test_zero_retries_and_timeouts_mean_the_defaults(client, make_file,
                                                      stored, tmp_path):
    upload = client.files.upload(str(make_file(10)), project='u/p', retry=0,
                                 timeout=0, wait=False)
    assert (upload._retry, upload._timeout) == (6, 300)
    download = File(api=client, id=stored).download(
        str(tmp_path / 'x.bin'), retry=0, timeout=0, wait=False)
    assert (download._retry_count, download._timeout) == (6, 300)
