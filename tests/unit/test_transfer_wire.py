"""The exact API requests of uploads and downloads (HTTP mocked)."""
import re

import pytest
import requests
import responses

from sevenbridges.errors import SbgError
from sevenbridges.models.enums import TransferState
from sevenbridges.transfer import retries
from sevenbridges.transfer.download import Download
from sevenbridges.transfer.upload import CodePackageUpload, Upload
from tests.conftest import BASE, TOKEN, body_of, path_of, query_of

MIB = 1024 * 1024
STORAGE = 'https://storage.example/part'


@pytest.fixture(autouse=True)
def private_cache(monkeypatch, tmp_path):
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    monkeypatch.setattr(retries, 'BASE_DELAY', 0)


def mock_upload_api(mocked, prefix='/upload/multipart'):
    mocked.post(BASE + prefix, json={'upload_id': 'U1'})
    mocked.get(re.compile(re.escape(BASE + prefix) + r'/U1/part/\d+'),
               json={'url': STORAGE, 'method': 'PUT'})
    mocked.put(STORAGE, headers={'ETag': '"abc"'})
    mocked.post(BASE + prefix + '/U1/part/', json={})
    mocked.post(BASE + prefix + '/U1/complete',
                json={'id': 'F1', 'name': 'reads.fq', 'size': 11})
    mocked.delete(BASE + prefix + '/U1', json={})


def test_upload_requests(api, mocked, tmp_path):
    mock_upload_api(mocked)
    source = tmp_path / 'reads.fq'
    source.write_bytes(b'ACGTACGTACG')
    upload = Upload(str(source), project='u/p', overwrite=True, api=api)
    upload.start()
    upload.wait()
    assert upload.status == TransferState.COMPLETED
    init, part_url, put, report, complete = [c.request for c in mocked.calls]
    assert (init.method, path_of(init), query_of(init)) == (
        'POST', '/v2/upload/multipart', {'overwrite': ['True']})
    assert body_of(init) == {'name': 'reads.fq', 'size': 11,
                             'part_size': 32 * MIB, 'project': 'u/p'}
    assert (part_url.method, path_of(part_url), part_url.body) == (
        'GET', '/v2/upload/multipart/U1/part/1', 'null')
    sent = put.body if isinstance(put.body, bytes) else put.body.read()
    assert (put.method, put.url, sent) == ('PUT', STORAGE, b'ACGTACGTACG')
    assert put.headers['Content-Length'] == '11'
    assert 'X-SBG-Auth-Token' not in put.headers
    assert (report.method, path_of(report)) == (
        'POST', '/v2/upload/multipart/U1/part/')
    assert body_of(report) == {'part_number': 1,
                               'response': {'headers': {'ETag': 'abc'}}}
    assert report.headers['X-SBG-Auth-Token'] == TOKEN
    assert (complete.method, path_of(complete), complete.body) == (
        'POST', '/v2/upload/multipart/U1/complete', 'null')
    assert upload.result().id == 'F1' and upload.result()._api is api
    assert upload.file_name == 'reads.fq'


def test_upload_to_a_folder_without_overwrite(api, mocked, tmp_path):
    mock_upload_api(mocked)
    source = tmp_path / 'reads.fq'
    source.write_bytes(b'A')
    upload = Upload(str(source), parent='folder1', file_name='x.fq',
                    api=api)
    upload.run()
    init = mocked.calls[0].request
    assert query_of(init) == {}
    assert body_of(init) == {'name': 'x.fq', 'size': 1,
                             'part_size': 32 * MIB, 'parent': 'folder1'}


def test_stopped_upload_sends_the_abort(api, mocked, tmp_path):
    mock_upload_api(mocked)
    source = tmp_path / 'reads.fq'
    source.write_bytes(b'A')
    upload = Upload(str(source), project='u/p', api=api)
    upload._upload_id = 'U1'
    upload._status = TransferState.RUNNING
    upload.stop()
    request = mocked.calls[0].request
    assert (request.method, path_of(request), body_of(request)) == (
        'DELETE', '/v2/upload/multipart/U1', {})
    assert upload.status == TransferState.STOPPED


def test_code_package_upload_requests(api, mocked, tmp_path):
    mock_upload_api(mocked, prefix='/automation/upload')
    source = tmp_path / 'code.zip'
    source.write_bytes(b'PK')
    upload = CodePackageUpload(str(source), 'A1', api=api)
    upload.run()
    init = mocked.calls[0].request
    assert path_of(init) == '/v2/automation/upload' and query_of(init) == {}
    assert body_of(init) == {'name': 'code.zip', 'size': 2,
                             'automation_id': 'A1', 'part_size': 32 * MIB}
    assert [path_of(c.request) for c in mocked.calls[1:]] == [
        '/v2/automation/upload/U1/part/1', '/part',
        '/v2/automation/upload/U1/part/', '/v2/automation/upload/U1/complete']


def test_download_requests(api, mocked, tmp_path):
    size = 6 * MIB
    body = bytes(range(256)) * (size // 256)

    def ranged(request):
        start, end = map(int, re.match(r'bytes=(\d+)-(\d+)',
                                       request.headers['Range']).groups())
        end = min(end, size - 1)
        return 206, {'Content-Range': f'bytes {start}-{end}/{size}'}, \
            body[start:end + 1]

    mocked.add_callback('GET', STORAGE, callback=ranged)
    target = tmp_path / 'out.bin'
    download = Download(STORAGE, str(target), part_size=5 * MIB, api=api)
    assert download.path == str(target)
    download.start()
    download.wait()
    assert target.read_bytes() == body
    ranges = [c.request.headers['Range'] for c in mocked.calls]
    assert ranges[0] == 'bytes=0-0'
    assert sorted(ranges[1:]) == [f'bytes=0-{5 * MIB - 1}',
                                  f'bytes={5 * MIB}-{size - 1}']
    assert all('X-SBG-Auth-Token' not in c.request.headers
               for c in mocked.calls)
    assert repr(download) == '<Download: status=COMPLETED>'


def test_a_failed_abort_leaves_the_original_error(api, mocked, tmp_path):
    mock_upload_api(mocked)
    mocked.replace(responses.POST, BASE + '/upload/multipart/U1/part/',
                   status=500, json={'message': 'report refused'})
    mocked.replace(responses.DELETE, BASE + '/upload/multipart/U1',
                   body=requests.ConnectionError('refused'))
    source = tmp_path / 'reads.fq'
    source.write_bytes(b'ACGT')
    seen = []
    upload = Upload(str(source), project='u/p', retry_count=1, api=api)
    upload.add_callback(errorback=seen.append)
    with pytest.raises(SbgError, match='Failed to upload part 1 of reads.fq '
                                       'after 1 attempts: Unable to report '
                                       'part number 1'):
        upload.run()
    assert seen == [TransferState.FAILED]
    delete = mocked.calls[-1].request
    assert (delete.method, path_of(delete)) == ('DELETE',
                                                '/v2/upload/multipart/U1')


def test_download_requests_ask_for_the_stored_bytes(api, mocked, tmp_path):
    body = b'0123456789'

    def ranged(request):
        start, end = map(int, re.match(r'bytes=(\d+)-(\d+)',
                                       request.headers['Range']).groups())
        return 206, {'Content-Range': f'bytes {start}-{end}/10',
                     'ETag': '"v1"'}, body[start:end + 1]

    mocked.add_callback('GET', STORAGE, callback=ranged)
    target = tmp_path / 'out.bin'
    download = Download(STORAGE, str(target), api=api)
    download.run()
    assert target.read_bytes() == body
    assert [(c.request.headers['Range'], c.request.headers['Accept-Encoding'])
            for c in mocked.calls] == [('bytes=0-0', 'identity'),
                                       ('bytes=0-9', 'identity')]


def test_the_reference_private_status_is_the_controllers(api, tmp_path):
    # scripts and the reference's own tests set ``_status`` directly
    source = tmp_path / 'reads.fq'
    source.write_bytes(b'A')
    upload = Upload(str(source), project='u/p', api=api)
    assert upload._status == upload.status == TransferState.PREPARING
    upload._status = TransferState.RUNNING
    assert upload._control.status == upload.status == TransferState.RUNNING
    with pytest.raises(SbgError, match='^Unable to start. Upload not in '
                                       'PREPARING state.$'):
        upload.start()
