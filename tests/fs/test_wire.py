"""What the ``sbg://`` filesystem sends, request by request (HTTP mocked
with ``responses``), and what it returns."""
import datetime
import errno
import tempfile
from concurrent.futures import ThreadPoolExecutor

import pytest

from sevenbridges.fs import SevenBridgesFileSystem
from sevenbridges.transfer import retries
from tests.conftest import (
    BASE,
    TOKEN,
    VirtualClock,
    body_of,
    path_of,
    query_of,
)

STORAGE = 'https://storage.sbgenomics.test/files/f1?signature=abc'
ITEM = {'id': 'f1', 'type': 'file', 'name': 'samples.csv', 'size': 11,
        'created_on': '2026-03-01T10:20:30Z',
        'modified_on': '2026-03-02T10:20:30Z',
        'metadata': {'sample_id': 'S1'}, 'tags': ['raw']}
FOLDER = {'id': 'd1', 'type': 'folder', 'name': 'runs', 'size': None,
          'created_on': '2026-03-01T10:20:30Z',
          'modified_on': '2026-03-01T10:20:30Z', 'metadata': {},
          'tags': []}


def page(items):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


@pytest.fixture
def fs():
    return SevenBridgesFileSystem(endpoint=BASE, token=TOKEN,
                                  skip_instance_cache=True)


def test_ls_of_a_project_is_one_scroll_of_its_root(mocked, fs):
    mocked.get(BASE + '/files/scroll', **page([ITEM, FOLDER]))
    listed = fs.ls('sbg://rfranklin/demo')
    request = mocked.calls[0].request
    assert path_of(request) == '/v2/files/scroll'
    assert query_of(request) == {'token': ['init'], 'limit': ['1000'],
                                 'fields': ['_all'],
                                 'project': ['rfranklin/demo']}
    assert listed == [
        {'name': 'rfranklin/demo/samples.csv', 'size': 11, 'type': 'file',
         'id': 'f1', 'created': datetime.datetime(2026, 3, 1, 10, 20, 30),
         'modified': datetime.datetime(2026, 3, 2, 10, 20, 30),
         'metadata': {'sample_id': 'S1'}, 'tags': ['raw']},
        {'name': 'rfranklin/demo/runs', 'size': 0, 'type': 'directory',
         'id': 'd1', 'created': datetime.datetime(2026, 3, 1, 10, 20, 30),
         'modified': datetime.datetime(2026, 3, 1, 10, 20, 30),
         'metadata': {}, 'tags': []}]
    assert len(mocked.calls) == 1


def test_a_folder_is_listed_by_its_id(mocked, fs):
    mocked.get(BASE + '/files/scroll', **page([FOLDER]))
    mocked.get(BASE + '/files/scroll', **page([ITEM]))
    assert fs.ls('rfranklin/demo/runs', detail=False) == [
        'rfranklin/demo/runs/samples.csv']
    assert query_of(mocked.calls[1].request) == {
        'token': ['init'], 'limit': ['1000'], 'fields': ['_all'],
        'parent': ['d1']}


def test_cat_file_asks_a_url_then_reads_the_range_without_the_token(
        mocked, fs):
    mocked.get(BASE + '/files/scroll', **page([ITEM]))
    mocked.get(BASE + '/files/f1/download_info', json={'url': STORAGE})
    mocked.get(STORAGE, body=b'ample', status=206,
               headers={'Content-Range': 'bytes 1-5/11'})
    assert fs.cat_file('rfranklin/demo/samples.csv', 1, 6) == b'ample'
    storage = mocked.calls[2].request
    assert storage.url == STORAGE
    assert storage.headers['Range'] == 'bytes=1-5'
    assert 'X-SBG-Auth-Token' not in storage.headers
    assert len(mocked.calls) == 3


def test_create_refused_by_the_platform_is_file_exists_and_sends_nothing_more(
        mocked, fs):
    mocked.get(BASE + '/files/scroll', **page([]))
    mocked.post(BASE + '/upload/multipart', status=409,
                json={'status': 409, 'code': 5004,
                      'message': 'File new.csv already exists.'})
    with pytest.raises(FileExistsError):
        fs.pipe_file('rfranklin/demo/new.csv', b'a,b\n', mode='create')
    upload = mocked.calls[1].request
    assert path_of(upload) == '/v2/upload/multipart'
    assert query_of(upload) == {}                 # no overwrite=True
    assert body_of(upload) == {'name': 'new.csv', 'size': 4,
                               'part_size': 32 * 1024 * 1024,
                               'project': 'rfranklin/demo'}
    assert len(mocked.calls) == 2


# -- writes of a known size (open(..., size=N), pipe_file, touch) -----------------

UPLOAD = BASE + '/upload/multipart'
PUT_URL = 'https://storage.sbgenomics.test/uploads/u1/{}?signature=abc'
NEW = {'id': 'f2', 'type': 'file', 'name': 'new.bin', 'size': 12,
       'project': 'rfranklin/demo', 'created_on': '2026-03-03T10:20:30Z',
       'modified_on': '2026-03-03T10:20:30Z', 'metadata': {}, 'tags': []}


@pytest.fixture
def no_spill(monkeypatch):
    """Any temporary file fails the test."""
    def refused(*args, **kwargs):
        raise AssertionError('a temporary file was made')

    for name in ('NamedTemporaryFile', 'TemporaryFile', 'mkstemp',
                 'SpooledTemporaryFile'):
        monkeypatch.setattr(tempfile, name, refused)


@pytest.fixture
def one_worker(fs):
    """Parts go one at a time (their requests in a fixed order)."""
    fs.api.upload_pool = ThreadPoolExecutor(max_workers=1)
    yield
    fs.api.upload_pool.shutdown()


def mock_upload(mocked, part_size=5, parts=3, put_status=200):
    """An empty project, an upload ``u1`` of parts of ``part_size`` bytes,
    and the file ``new.bin`` it completes as; the bytes of each part as
    sent (a part's body is a view of memory used again later)."""
    mocked.get(BASE + '/files/scroll', **page([]))
    mocked.post(UPLOAD, json={'upload_id': 'u1', 'part_size': part_size})
    sent = []

    def put(request):
        sent.append(bytes(request.body or b''))
        return put_status, {'ETag': f'"e{len(sent)}"'}, ''

    for number in range(1, parts + 1):
        mocked.get(f'{UPLOAD}/u1/part/{number}',
                   json={'url': PUT_URL.format(number)})
        mocked.add_callback('PUT', PUT_URL.format(number), callback=put)
    mocked.post(f'{UPLOAD}/u1/part/', json={})
    mocked.post(f'{UPLOAD}/u1/complete', json=NEW)
    mocked.delete(f'{UPLOAD}/u1', status=204)
    return sent


def requests_made(mocked):
    """``(method, path)`` of every request, storage ones by their URL."""
    return [(call.request.method, call.request.url
             if call.request.url.startswith('https://storage.')
             else path_of(call.request)) for call in mocked.calls]


def part_requests(number):
    return [('GET', f'/v2/upload/multipart/u1/part/{number}'),
            ('PUT', PUT_URL.format(number)),
            ('POST', '/v2/upload/multipart/u1/part/')]


def test_a_write_of_known_size_starts_at_open_and_sends_parts_as_they_fill(
        mocked, fs, no_spill, one_worker):
    sent = mock_upload(mocked)
    path = 'rfranklin/demo/new.bin'
    target = fs.open(path, 'wb', size=12)
    assert requests_made(mocked) == [('GET', '/v2/files/scroll'),
                                     ('POST', '/v2/upload/multipart')]
    init = mocked.calls[1].request
    assert query_of(init) == {'overwrite': ['True']}
    assert body_of(init) == {'name': 'new.bin', 'size': 12,
                             'part_size': 32 * 1024 * 1024,
                             'project': 'rfranklin/demo'}
    for block in (b'hel', b'lo, wo', b'rld'):
        assert target.write(block) == len(block)
    assert target.tell() == 12
    target.close()
    assert requests_made(mocked) == [
        ('GET', '/v2/files/scroll'), ('POST', '/v2/upload/multipart'),
        *part_requests(1), *part_requests(2), *part_requests(3),
        ('POST', '/v2/upload/multipart/u1/complete')]
    assert sent == [b'hello', b', wor', b'ld']
    assert all('X-SBG-Auth-Token' not in call.request.headers
               for call in mocked.calls if call.request.method == 'PUT')
    reports = [body_of(call.request) for call in mocked.calls
               if path_of(call.request) == '/v2/upload/multipart/u1/part/']
    assert reports == [{'part_number': n,
                        'response': {'headers': {'ETag': f'e{n}'}}}
                       for n in (1, 2, 3)]
    assert body_of(mocked.calls[-1].request) is None
    # the listing was dropped: the file is there
    mocked.get(BASE + '/files/scroll', **page([NEW]))
    assert fs.info(path) == {
        'name': path, 'size': 12, 'type': 'file', 'id': 'f2',
        'created': datetime.datetime(2026, 3, 3, 10, 20, 30),
        'modified': datetime.datetime(2026, 3, 3, 10, 20, 30),
        'metadata': {}, 'tags': []}


def test_a_write_over_the_size_raises_and_aborts(mocked, fs, no_spill):
    mock_upload(mocked)
    with pytest.raises(ValueError, match='size'):
        with fs.open('rfranklin/demo/new.bin', 'wb', size=4) as target:
            target.write(b'abc')
            target.write(b'de')
    assert target.closed
    assert requests_made(mocked) == [
        ('GET', '/v2/files/scroll'), ('POST', '/v2/upload/multipart'),
        ('DELETE', '/v2/upload/multipart/u1')]


def test_a_close_short_of_the_size_raises_and_aborts(
        mocked, fs, no_spill, one_worker):
    mock_upload(mocked)
    target = fs.open('rfranklin/demo/new.bin', 'wb', size=12)
    target.write(b'hello, wo')
    with pytest.raises(ValueError, match='size'):
        target.close()
    assert target.closed
    target.close()                  # nothing more
    assert requests_made(mocked) == [
        ('GET', '/v2/files/scroll'), ('POST', '/v2/upload/multipart'),
        *part_requests(1), ('DELETE', '/v2/upload/multipart/u1')]


def test_a_part_that_cannot_be_stored_aborts_the_upload(
        mocked, fs, no_spill, monkeypatch):
    clock = VirtualClock()
    monkeypatch.setattr(retries, 'clock', clock)
    mock_upload(mocked, part_size=5, parts=1, put_status=500)
    target = fs.open('rfranklin/demo/new.bin', 'wb', size=5)
    with pytest.raises(OSError) as raised:
        target.write(b'hello')
    assert raised.value.errno == errno.EIO
    assert target.closed
    assert requests_made(mocked) == [
        ('GET', '/v2/files/scroll'), ('POST', '/v2/upload/multipart'),
        *[request for _ in range(6) for request in part_requests(1)[:2]],
        ('DELETE', '/v2/upload/multipart/u1')]
    assert len(clock.sleeps) == 5


def test_xb_refused_by_the_platform_at_open_sends_no_part(
        mocked, fs, no_spill):
    mocked.get(BASE + '/files/scroll', **page([]))
    mocked.post(UPLOAD, status=409,
                json={'status': 409, 'code': 5004,
                      'message': 'File new.bin already exists.'})
    with pytest.raises(FileExistsError):
        fs.open('rfranklin/demo/new.bin', 'xb', size=12)
    assert requests_made(mocked) == [('GET', '/v2/files/scroll'),
                                     ('POST', '/v2/upload/multipart')]
    assert query_of(mocked.calls[1].request) == {}      # no overwrite


def test_xb_on_a_listed_name_raises_before_any_upload(mocked, fs):
    mocked.get(BASE + '/files/scroll', **page([ITEM]))
    with pytest.raises(FileExistsError):
        fs.open('rfranklin/demo/samples.csv', 'xb', size=3)
    assert requests_made(mocked) == [('GET', '/v2/files/scroll')]


@pytest.mark.parametrize('size, error', [
    (-1, ValueError), (5 * 1024 ** 4 + 1, ValueError), (1.5, TypeError),
    (True, TypeError), ('3', TypeError), (b'3', TypeError)])
def test_a_bad_size_raises_before_any_request(mocked, fs, size, error):
    with pytest.raises(error, match='size'):
        fs.open('rfranklin/demo/new.bin', 'wb', size=size)
    assert len(mocked.calls) == 0


@pytest.mark.parametrize('block_size', [0, -5, 2.5, True])
def test_a_bad_part_size_raises_before_any_request(mocked, fs, block_size):
    with pytest.raises(ValueError, match='block_size'):
        fs.open('rfranklin/demo/new.bin', 'wb', size=3,
                block_size=block_size)
    assert len(mocked.calls) == 0


def test_block_size_is_the_part_size_asked(mocked, fs, no_spill):
    mock_upload(mocked, part_size=5, parts=1)
    fs.open('rfranklin/demo/new.bin', 'wb', size=5,
            block_size=8 * 1024 * 1024).discard()
    assert body_of(mocked.calls[1].request)['part_size'] == 8 * 1024 * 1024
    assert requests_made(mocked)[-1] == ('DELETE', '/v2/upload/multipart/u1')


def test_pipe_file_sends_its_value_as_parts_without_a_copy(
        mocked, fs, no_spill, one_worker):
    sent = mock_upload(mocked)
    value = bytearray(b'hello, world')
    fs.pipe_file('rfranklin/demo/new.bin', value)
    assert body_of(mocked.calls[1].request)['size'] == 12
    assert sent == [b'hello', b', wor', b'ld']
    # the parts were views of the value itself
    assert all(isinstance(call.request.body, memoryview)
               and call.request.body.obj is value
               for call in mocked.calls if call.request.method == 'PUT')
    assert requests_made(mocked)[-1] == (
        'POST', '/v2/upload/multipart/u1/complete')


def test_touch_is_an_upload_of_one_empty_part(mocked, fs, no_spill):
    sent = mock_upload(mocked, parts=1)
    fs.touch('rfranklin/demo/new.bin')
    assert body_of(mocked.calls[1].request)['size'] == 0
    assert requests_made(mocked) == [
        ('GET', '/v2/files/scroll'), ('POST', '/v2/upload/multipart'),
        *part_requests(1), ('POST', '/v2/upload/multipart/u1/complete')]
    assert sent == [b'']
