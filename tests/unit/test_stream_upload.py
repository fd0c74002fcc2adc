"""``StreamedUpload`` on its own (HTTP mocked): its arguments, its states,
and what it sends for bytes handed over in pieces."""
import pytest

from sevenbridges.errors import SbgError, ValidationError
from sevenbridges.models.enums import TransferState
from sevenbridges.transfer.stream import StreamedUpload
from tests.conftest import BASE, body_of, path_of

UPLOAD = BASE + '/upload/multipart'
PUT = 'https://storage.sbgenomics.test/u1/1'


@pytest.mark.parametrize('arguments, error', [
    ({'size': 3, 'file_name': 'a'}, SbgError),              # no destination
    ({'size': 3, 'file_name': 'a', 'project': 'p', 'parent': 'f'},
     SbgError),
    ({'size': -1, 'file_name': 'a', 'project': 'p'}, ValueError),
    ({'size': '3', 'file_name': 'a', 'project': 'p'}, TypeError),
    ({'size': 3, 'file_name': '', 'project': 'p'}, SbgError),
    ({'size': 3, 'file_name': 'a', 'project': 'p', 'buffers': 0},
     ValidationError),
    ({'size': 3, 'file_name': 'a', 'project': 'p', 'part_size': 0},
     ValidationError),
])
def test_bad_arguments_raise_before_any_request(mocked, api, arguments,
                                                error):
    with pytest.raises(error):
        StreamedUpload(api=api, **arguments)
    assert len(mocked.calls) == 0


def test_no_api_is_refused(mocked):
    with pytest.raises(SbgError, match='Api instance'):
        StreamedUpload(3, 'a', project='p')


def test_bytes_in_pieces_go_as_one_part_and_the_file_is_returned(
        mocked, api):
    mocked.post(UPLOAD, json={'upload_id': 'u1'})
    mocked.get(UPLOAD + '/u1/part/1', json={'url': PUT})
    sent = []
    mocked.add_callback('PUT', PUT, callback=lambda request: (
        sent.append(bytes(request.body)) or (200, {'ETag': '"e1"'}, '')))
    mocked.post(UPLOAD + '/u1/part/', json={})
    mocked.post(UPLOAD + '/u1/complete',
                json={'id': 'f1', 'name': 'notes.txt', 'size': 11})
    upload = StreamedUpload(11, 'notes.txt', parent='d1', api=api)
    with pytest.raises(SbgError, match='not open'):
        upload.write(b'early')
    upload.open()
    assert upload.status == TransferState.RUNNING
    assert upload.write(b'hello') == 5
    assert upload.write(memoryview(b' world')) == 6
    assert upload.written == 11
    file = upload.close()
    assert (file.id, file.name) == ('f1', 'notes.txt')
    assert upload.result() is file
    assert upload.status == TransferState.COMPLETED
    assert upload.progress == 100.0
    assert sent == [b'hello world']
    assert body_of(mocked.calls[0].request) == {
        'name': 'notes.txt', 'size': 11, 'part_size': 32 * 1024 * 1024,
        'parent': 'd1'}
    assert [path_of(call.request) for call in mocked.calls
            if call.request.url.startswith(BASE)] == [
        '/v2/upload/multipart', '/v2/upload/multipart/u1/part/1',
        '/v2/upload/multipart/u1/part/', '/v2/upload/multipart/u1/complete']
    upload.abort()                          # after the end: nothing
    assert len(mocked.calls) == 5


def test_an_abort_before_any_byte_tells_the_platform(mocked, api):
    mocked.post(UPLOAD, json={'upload_id': 'u1'})
    mocked.delete(UPLOAD + '/u1', status=204)
    upload = StreamedUpload(11, 'notes.txt', project='p', api=api)
    upload.open()
    upload.abort()
    assert upload.status == TransferState.STOPPED
    assert [(call.request.method, path_of(call.request))
            for call in mocked.calls] == [
        ('POST', '/v2/upload/multipart'),
        ('DELETE', '/v2/upload/multipart/u1')]


def test_a_streamed_upload_has_no_thread_to_start(api):
    upload = StreamedUpload(1, 'a', project='p', api=api)
    with pytest.raises(SbgError, match='open'):
        upload.start()
    with pytest.raises(SbgError, match='open'):
        upload.run()
