"""Files and folders."""
from unittest import mock

import pytest

from sevenbridges import errors
from sevenbridges.models import file as file_module
from sevenbridges.models.compound.error import Error
from sevenbridges.models.compound.files.download_info import DownloadInfo
from sevenbridges.models.compound.files.file_origin import FileOrigin
from sevenbridges.models.compound.files.file_storage import FileStorage
from sevenbridges.models.compound.files.metadata import Metadata
from sevenbridges.models.file import File, FileBulkRecord, SearchResponse
from sevenbridges.models.project import Project
from sevenbridges.transfer.options import TransferOptions
from tests.conftest import BASE, body_of, path_of, query_of

FILE = {'href': BASE + '/files/f1', 'id': 'f1', 'type': 'file',
        'name': 'reads.fastq', 'size': 1024, 'parent': 'root',
        'project': 'rfranklin/demo', 'created_on': '2024-03-01T10:20:30Z',
        'modified_on': '2024-03-02T10:20:30Z', 'origin': {'task': 'T1'},
        'storage': {'type': 'PLATFORM', 'volume': None},
        'metadata': {'sample_id': 'S1', 'platform': 'ILLUMINA'},
        'tags': ['raw']}
FOLDER = {'href': BASE + '/files/d1', 'id': 'd1', 'type': 'FOLDER',
          'name': 'reads'}


def page(items, next_href=None):
    links = [{'rel': 'next', 'href': next_href, 'method': 'GET'}] \
        if next_href else []
    return {'json': {'href': 'x', 'items': items, 'links': links},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


@pytest.fixture
def file(api):
    return File(api=api, **{k: (dict(v) if isinstance(v, dict) else v)
                            for k, v in FILE.items()})


def test_fields_and_compounds(file):
    assert (file.id, file.name, file.size, file.type, file.parent,
            file.project) == ('f1', 'reads.fastq', 1024, 'file', 'root',
                              'rfranklin/demo')
    assert file.created_on.isoformat() == '2024-03-01T10:20:30'
    assert isinstance(file.origin, FileOrigin) and file.origin.task == 'T1'
    assert str(file.origin) == '<FileOrigin: task=T1>'
    assert isinstance(file.storage, FileStorage)
    assert str(file.storage) == '<FileStorage: type=PLATFORM, volume=None>'
    assert isinstance(file.metadata, Metadata)
    assert file.metadata == Metadata(api=None, _parent=file,
                                     **FILE['metadata'])
    assert file.metadata['missing'] is None
    assert file.tags == ['raw']
    assert str(file) == repr(file) == '<File: id=f1>'
    assert not file.is_folder()
    assert File(type='Folder').is_folder() and File(id='x').is_folder() is \
        False
    assert file.secondary_files is None
    with pytest.raises(errors.ReadOnlyPropertyError,
                       match='Property id is marked as read only!'):
        file.id = 'x'
    with pytest.raises(errors.ValidationError, match='not a list'):
        file.tags = 'x'


def test_equality():
    assert File(id='a') == File(id='a') and File(id='a') != File(id='b')
    assert File(id='a') != Project(id='a')
    with pytest.raises(TypeError):
        hash(File(id='a'))


def test_query(api, mocked):
    mocked.get(BASE + '/files', **page([FILE]))
    files = api.files.query(project='u/p', names=['a', 'b'],
                            metadata={'k': 'v'}, origin={'task': 'T'},
                            tags=['x', 'y'], limit=10)
    assert query_of(mocked.calls[0].request) == {
        'limit': ['10'], 'fields': ['_all'], 'project': ['u/p'],
        'name': ['a', 'b'], 'tag': ['x', 'y'], 'metadata.k': ['v'],
        'origin.task': ['T']}
    assert files[0] == File(id='f1')
    names = []
    api.files.query(parent=File(id='d1'), names=names, offset=5)
    assert query_of(mocked.calls[1].request) == {
        'offset': ['5'], 'fields': ['_all'], 'parent': ['d1'], 'name': ['']}
    assert names == []
    # Any collection of names filters (a string is refused, see
    # test_bad_input.py).
    api.files.query(dataset='u/ds', names=('a', 'b'))
    assert query_of(mocked.calls[2].request) == {
        'fields': ['_all'], 'dataset': ['u/ds'], 'name': ['a', 'b']}


def test_query_with_continuation_token(api, mocked):
    mocked.get(BASE + '/files/scroll', **page([FILE]))
    api.files.query(project=Project(id='u/p'), cont_token='init', limit=50)
    request = mocked.calls[0].request
    assert path_of(request) == '/v2/files/scroll'
    assert query_of(request) == {'token': ['init'], 'limit': ['50'],
                                 'fields': ['_all'], 'project': ['u/p']}


@pytest.mark.parametrize('kwargs,message', [
    ({'project': 'p', 'cont_token': 't', 'offset': 3},
     'Offset and continuation token parameters are mutually exclusive.'),
    ({'project': 'p', 'cont_token': 't', 'metadata': {'a': 1}},
     'Metadata filtering cannot be combined'),
    ({}, 'Project, dataset or parent must be provided.'),
    ({'project': 'p', 'parent': 'f'},
     'Only one out of project, parent or dataset must be provided.'),
    ({'project': 5}, 'Invalid project parameter!'),
])
def test_query_validation(api, mocked, kwargs, message):
    with pytest.raises(errors.SbgError, match=message):
        api.files.query(**kwargs)
    assert len(mocked.calls) == 0


def test_get_copy_delete(api, mocked, file):
    mocked.get(BASE + '/files/f1', json=FILE)
    mocked.post(BASE + '/files/f1/actions/copy', json=dict(FILE, id='f2'))
    mocked.delete(BASE + '/files/f1', status=204)
    assert api.files.get('f1').name == 'reads.fastq'
    copy = file.copy(project=Project(id='u/q'), name='copy.fastq')
    assert body_of(mocked.calls[1].request) == {'project': 'u/q',
                                                'name': 'copy.fastq'}
    assert copy.id == 'f2' and copy._api is file._api
    file.copy('u/q')
    assert body_of(mocked.calls[2].request) == {'project': 'u/q'}
    assert file.delete() is None


def test_save_metadata_item_edit_patches_the_key(api, mocked, file):
    mocked.patch(BASE + '/files/f1/metadata',
                 json={'sample_id': 'S2', 'platform': 'ILLUMINA'})
    mocked.get(BASE + '/files/f1', json=dict(
        FILE, metadata={'sample_id': 'S2', 'platform': 'ILLUMINA'}))
    file.metadata['sample_id'] = 'S2'
    assert file.save() is file
    patch, reload = [c.request for c in mocked.calls]
    assert (patch.method, body_of(patch)) == ('PATCH', {'sample_id': 'S2'})
    assert (reload.method, reload.url) == ('GET', BASE + '/files/f1')
    assert file.metadata['sample_id'] == 'S2'
    with pytest.raises(errors.ResourceNotModified):
        file.save()


def test_save_metadata_assignment_puts_the_whole_dict(api, mocked, file):
    mocked.put(BASE + '/files/f1/metadata', json={'sample_id': 'S1'})
    mocked.get(BASE + '/files/f1', json=dict(FILE,
                                             metadata={'sample_id': 'S1'}))
    file.metadata = {'sample_id': 'S1'}
    file.save()
    request = mocked.calls[0].request
    assert (request.method, body_of(request)) == ('PUT', {'sample_id': 'S1'})
    assert file._overwrite_metadata is False
    with pytest.raises(errors.ValidationError, match='Not a valid dictionary'):
        file.metadata = None


def test_save_metadata_removal_and_update(api, mocked, file):
    mocked.patch(BASE + '/files/f1/metadata', json={'platform': 'ILLUMINA'})
    mocked.get(BASE + '/files/f1', json=FILE)
    file.metadata.update({'sample_id': None, 'platform': 'ILLUMINA'})
    file.save()
    assert body_of(mocked.calls[0].request) == {'sample_id': None}


def test_save_tags_and_name(api, mocked, file):
    mocked.put(BASE + '/files/f1/tags', json=['raw', 'qc'])
    mocked.patch(BASE + '/files/f1', json=dict(FILE, name='new.fastq'))
    mocked.get(BASE + '/files/f1', json=dict(FILE, name='new.fastq',
                                             tags=['raw', 'qc']))
    file.tags.append('qc')
    file.name = 'new.fastq'
    file.save()
    tags, name, reload = [c.request for c in mocked.calls]
    assert (tags.method, body_of(tags)) == ('PUT', ['raw', 'qc'])
    assert (name.method, path_of(name), body_of(name)) == (
        'PATCH', '/v2/files/f1', {'name': 'new.fastq'})
    assert reload.method == 'GET'
    assert (file.name, file.tags) == ('new.fastq', ['raw', 'qc'])


def test_save_name_only_and_silent(api, mocked, file):
    mocked.patch(BASE + '/files/f1', json=dict(FILE, name='n2', size=5))
    file.name = 'n2'
    file.save()
    assert len(mocked.calls) == 1 and file.size == 5
    assert file.save(silent=True) is file
    assert len(mocked.calls) == 1


def test_download_info_and_stream(api, mocked, file):
    mocked.get(BASE + '/files/f1/download_info',
               json={'url': 'https://storage.example/f1?sig=1'})
    mocked.get('https://storage.example/f1', body=b'0123456789')
    info = file.download_info()
    assert isinstance(info, DownloadInfo)
    assert str(info) == '<DownloadInfo: url=https://storage.example/f1?sig=1>'
    chunks = file.stream(part_size=4)
    assert len(mocked.calls) == 1
    assert list(chunks) == [b'0123', b'4567', b'89']
    storage = mocked.calls[2].request
    assert 'X-SBG-Auth-Token' not in storage.headers


def test_download_calls_the_transfer_layer(api, mocked, file, tmp_path):
    mocked.get(BASE + '/files/f1/download_info', json={'url': 'https://s/1'})
    target = tmp_path / 'out.fastq'
    with mock.patch.object(file_module, 'Download', create=True) as cls:
        made = cls._with_options
        assert file.download(str(target)) is None
        made.assert_called_once_with(
            TransferOptions(None, 6, 300), 'https://s/1', str(target),
            api=api, known_size=None, part_sizing=None)
        made.return_value.start.assert_called_once_with()
        made.return_value.wait.assert_called_once_with()
        handle = file.download(str(target), retry=2, timeout=9,
                               chunk_size=5 * 2 ** 20, wait=False)
        assert handle is made.return_value
        assert made.call_args.args[0] == TransferOptions(5 * 2 ** 20, 2, 9)
        assert made.return_value.start.call_count == 1
    target.write_text('exists')
    with pytest.raises(errors.LocalFileAlreadyExists) as info:
        file.download(str(target))
    assert info.value.message == str(target)


def test_content(api, mocked, file, tmp_path):
    mocked.get(BASE + '/files/f1/download_info', json={'url': 'https://s/1'})

    def fake_download(options, url, file_path, **kwargs):
        handle = mock.Mock()
        handle.start.side_effect = lambda: open(file_path, 'w').write('ACGT')
        return handle

    with mock.patch.object(file_module, 'Download', create=True) as cls:
        cls._with_options.side_effect = fake_download
        assert file.content() == 'ACGT'
        assert file.content(overwrite=False) == 'ACGT'
        kept = tmp_path / 'kept.txt'
        assert file.content(path=str(kept)) == 'ACGT'
        assert kept.read_text() == 'ACGT'


def test_upload_calls_the_transfer_layer(api, mocked):
    with mock.patch.object(file_module, 'Upload', create=True) as cls:
        handle = api.files.upload('/data/r.fq', project=Project(id='u/p'),
                                  file_name='x.fq', overwrite=True)
        made = cls._with_options
        made.assert_called_once_with(
            TransferOptions(None, 6, 300), file_path='/data/r.fq',
            project='u/p', parent=None, file_name='x.fq', overwrite=True,
            api=api)
        assert handle is made.return_value
        handle.start.assert_called_once_with()
        handle.wait.assert_called_once_with()
        api.files.upload('/data/r.fq', parent=File(id='d1'), wait=False,
                         retry=2, timeout=5, part_size=10)
        assert made.call_args.kwargs['parent'] == 'd1'
        assert made.call_args.args[0] == TransferOptions(10, 2, 5)
        assert made.return_value.start.call_count == 1
    with pytest.raises(errors.SbgError, match='A project or parent'):
        api.files.upload('/x')
    with pytest.raises(errors.SbgError, match='mutually exclusive'):
        api.files.upload('/x', project='p', parent='f')


BULK_ANSWER = {'items': [
    {'resource': FILE},
    {'error': {'status': 404, 'code': 5002, 'message': 'Not found',
               'more_info': 'https://docs'}}]}


@pytest.mark.parametrize('method,path', [('bulk_get', 'get'),
                                         ('bulk_delete', 'delete')])
def test_bulk_get_and_delete(api, mocked, method, path):
    mocked.post(f'{BASE}/bulk/files/{path}', json=BULK_ANSWER)
    records = getattr(api.files, method)(['f1', File(id='f9')])
    assert body_of(mocked.calls[0].request) == {'file_ids': ['f1', 'f9']}
    assert [r.valid for r in records] == [True, False]
    assert isinstance(records[0], FileBulkRecord)
    assert isinstance(records[0].resource, File)
    assert records[0].resource.name == 'reads.fastq'
    assert isinstance(records[1].error, Error)
    assert records[1].error.message == 'Not found'
    assert str(records[0]) == '<FileBulkRecord valid=True>'


@pytest.mark.parametrize('method', ['bulk_update', 'bulk_edit'])
def test_bulk_update_and_edit(api, mocked, method, file):
    path = method.split('_')[1]
    mocked.post(f'{BASE}/bulk/files/{path}', json=BULK_ANSWER)
    getattr(api.files, method)([file, File(api=api, id='f2', name='b',
                                           tags=[])])
    assert body_of(mocked.calls[0].request) == {'items': [
        {'id': 'f1', 'name': 'reads.fastq', 'tags': ['raw'],
         'metadata': {'sample_id': 'S1', 'platform': 'ILLUMINA'}},
        {'id': 'f2', 'name': 'b', 'tags': [], 'metadata': None}]}
    with pytest.raises(errors.SbgError, match='Files are required.'):
        getattr(api.files, method)([])


def test_folders(api, mocked):
    mocked.post(BASE + '/files', json=FOLDER)
    folder = api.files.create_folder('reads', project=Project(id='u/p'))
    assert body_of(mocked.calls[0].request) == {
        'name': 'reads', 'type': 'folder', 'project': 'u/p'}
    assert folder.is_folder()
    api.files.create_folder('sub', parent=folder)
    assert body_of(mocked.calls[1].request) == {
        'name': 'sub', 'type': 'folder', 'parent': 'd1'}
    with pytest.raises(errors.SbgError, match='Parent or project must be'):
        api.files.create_folder('x')
    with pytest.raises(errors.SbgError, match='Providing both'):
        api.files.create_folder('x', parent='a', project='b')


def test_list_files_and_walk(api, mocked):
    folder = File(api=api, **FOLDER)
    sub = {'href': BASE + '/files/d2', 'id': 'd2', 'type': 'folder',
           'name': 'sub'}
    mocked.get(BASE + '/files/d1/list',
               **page([dict(FILE, id='a'), sub],
                      next_href=BASE + '/files/d1/list?offset=2'),
               match=[__import__('responses').matchers.query_param_matcher(
                   {'fields': '_all'})])
    mocked.get(BASE + '/files/d1/list', **page([dict(FILE, id='b')]),
               match=[__import__('responses').matchers.query_param_matcher(
                   {'offset': '2'})])
    mocked.get(BASE + '/files/d2/list', **page([dict(FILE, id='c')]))
    assert [f.id for f in folder.walk()] == ['a', 'c', 'b']
    assert len(mocked.calls) == 3
    assert [f.id for f in folder.walk(include_folders=True)] == \
        ['a', 'd2', 'c', 'b']
    mocked.get(BASE + '/files/d1/scroll', **page([]))
    folder.list_files(cont_token='init', limit=5)
    assert query_of(mocked.calls[-1].request) == {
        'token': ['init'], 'limit': ['5'], 'fields': ['_all']}
    with pytest.raises(errors.SbgError, match='reads.fastq is not a folder'):
        File(api=api, **FILE).list_files()
    with pytest.raises(errors.SbgError, match='mutually exclusive'):
        folder.list_files(offset=1, cont_token='t')


@pytest.mark.parametrize('action', ['copy', 'move'])
def test_copy_and_move_to_folder(api, mocked, action, file):
    mocked.post(f'{BASE}/files/f1/actions/{action}', json=dict(FILE,
                                                              id='f3'))
    method = getattr(file, f'{action}_to_folder')
    result = method(File(id='d1'), name='renamed')
    assert body_of(mocked.calls[0].request) == {'parent': 'd1',
                                                'name': 'renamed'}
    assert result.id == 'f3' and file.id == 'f1'
    with pytest.raises(errors.SbgError, match='folders is not supported'):
        getattr(File(api=api, **FOLDER), f'{action}_to_folder')('d9')


def test_search(api, mocked):
    mocked.post(BASE + '/files/search', json={
        'count': 1, 'cont_token': 'next', 'result_set': [{'id': 'f1'}]})
    result = api.files.search('SELECT * FROM files', cont_token='c',
                              limit=5)
    request = mocked.calls[0].request
    assert query_of(request) == {'cont_token': ['c'], 'limit': ['5']}
    assert body_of(request) == {'query': 'SELECT * FROM files'}
    assert isinstance(result, SearchResponse)
    assert (result.count, result.cont_token, result.result_set) == (
        1, 'next', [{'id': 'f1'}])
    assert str(result) == 'SearchResponse'
    with pytest.raises(errors.SbgError, match='Query must be provided.'):
        api.files.search('')
    with pytest.raises(errors.SbgError, match='greater than zero'):
        api.files.search('q', limit=0)


def test_secondary_files(api):
    file = File(api=api, id='f1', _secondary_files=[{'id': 's1'},
                                                     {'id': 's2'}])
    assert [f.id for f in file.secondary_files] == ['s1', 's2']
    assert file.secondary_files[0]._api is api
