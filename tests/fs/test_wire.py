"""What the ``sbg://`` filesystem sends, request by request (HTTP mocked
with ``responses``), and what it returns."""
import datetime

import pytest

from sevenbridges.fs import SevenBridgesFileSystem
from tests.conftest import BASE, TOKEN, body_of, path_of, query_of

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
