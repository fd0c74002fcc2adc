"""Volume imports and exports, DRS bulk imports."""
import pytest

from sevenbridges import errors
from sevenbridges.models.compound.error import Error
from sevenbridges.models.compound.import_result import FileImportResult
from sevenbridges.models.compound.volumes.import_destination import (
    ImportDestination,
)
from sevenbridges.models.compound.volumes.properties import VolumeProperties
from sevenbridges.models.compound.volumes.volume_file import VolumeFile
from sevenbridges.models.drs_import import DRSImportBulk
from sevenbridges.models.file import File, FileBulkRecord
from sevenbridges.models.project import Project
from sevenbridges.models.storage_export import Export, ExportBulkRecord
from sevenbridges.models.storage_import import Import, ImportBulkRecord
from sevenbridges.models.volume import Volume
from tests.conftest import BASE, body_of, path_of, query_of

IMPORT = {'href': BASE + '/storage/imports/i1', 'id': 'i1',
          'state': 'COMPLETED', 'overwrite': False, 'autorename': False,
          'preserve_folder_structure': True,
          'source': {'volume': 'u/vol', 'location': 'a.txt'},
          'destination': {'project': 'u/p', 'name': 'a.txt'},
          'result': {'id': 'f1', 'name': 'a.txt'}, 'error': None}
EXPORT = {'href': BASE + '/storage/exports/e1', 'id': 'e1',
          'state': 'FAILED', 'overwrite': True,
          'source': {'file': 'f1'},
          'destination': {'volume': 'u/vol', 'location': 'out/a.txt'},
          'properties': {'sse_algorithm': 'AES256'},
          'error': {'status': 400, 'code': 9001, 'message': 'No access'}}
MIXED = {'items': [{'resource': IMPORT},
                   {'error': {'status': 409, 'code': 9, 'message': 'x'}}]}


def page(items):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


def test_import_fields(api):
    job = Import(api=api, **IMPORT)
    assert isinstance(job.source, VolumeFile)
    assert str(job.source) == '<VolumeFile: volume=u/vol, location=a.txt>'
    assert isinstance(job.destination, ImportDestination)
    assert str(job.destination) == \
        '<ImportDestination: project=u/p, name=a.txt>'
    assert isinstance(job.result, File) and job.result.id == 'f1'
    assert job.error is None
    assert str(job) == '<Import: id=i1>'
    assert Import(id='x').result is None
    assert VolumeFile(location='a') == VolumeFile(location='a')


def test_submit_import(api, mocked):
    mocked.post(BASE + '/storage/imports', json=IMPORT)
    job = api.imports.submit_import(volume=Volume(id='u/vol'),
                                    location='a.txt',
                                    project=Project(id='u/p'))
    assert body_of(mocked.calls[0].request) == {
        'source': {'volume': 'u/vol', 'location': 'a.txt'},
        'destination': {'project': 'u/p'}, 'overwrite': False}
    assert job.id == 'i1'
    api.imports.submit_import(volume='u/vol', location='dir/', parent='f9',
                              name='n', overwrite=True, properties={'a': 1},
                              preserve_folder_structure=False,
                              autorename=True)
    assert body_of(mocked.calls[1].request) == {
        'source': {'volume': 'u/vol', 'location': 'dir/'},
        'destination': {'parent': 'f9', 'name': 'n'}, 'overwrite': True,
        'preserve_folder_structure': False, 'autorename': True,
        'properties': {'a': 1}}


@pytest.mark.parametrize('kwargs,message', [
    ({'project': 'p', 'parent': 'f'}, 'mutually exclusive'),
    ({}, 'Project or parent identifier is required.'),
    ({'project': 'p', 'volume': None}, 'Volume is required!'),
    ({'project': 'p', 'location': ''}, 'Location is required!'),
])
def test_submit_import_validation(api, mocked, kwargs, message):
    arguments = dict(volume='u/vol', location='a.txt')
    arguments.update(kwargs)
    with pytest.raises(errors.SbgError, match=message):
        api.imports.submit_import(**arguments)
    assert len(mocked.calls) == 0


def test_import_query_and_bulk(api, mocked):
    mocked.get(BASE + '/storage/imports', **page([IMPORT]))
    mocked.post(BASE + '/bulk/storage/imports/get', json=MIXED)
    mocked.post(BASE + '/bulk/storage/imports/create', json=MIXED)
    api.imports.query(project='u/p', volume='u/vol', state='RUNNING',
                      offset=1, limit=2)
    assert query_of(mocked.calls[0].request) == {
        'project': ['u/p'], 'volume': ['u/vol'], 'state': ['RUNNING'],
        'offset': ['1'], 'limit': ['2'], 'fields': ['_all']}
    records = api.imports.bulk_get(['i1', Import(id='i2')])
    assert body_of(mocked.calls[1].request) == {'import_ids': ['i1', 'i2']}
    assert [r.valid for r in records] == [True, False]
    assert isinstance(records[0], ImportBulkRecord)
    assert isinstance(records[0].resource, Import)
    assert isinstance(records[1].error, Error)
    api.imports.bulk_submit([
        {'volume': 'u/vol', 'location': 'a.txt', 'project': 'u/p'},
        {'volume': 'u/vol', 'location': 'b/', 'parent': 'f9', 'name': 'b',
         'overwrite': True, 'autorename': False,
         'preserve_folder_structure': True}])
    assert body_of(mocked.calls[2].request) == {'items': [
        {'source': {'volume': 'u/vol', 'location': 'a.txt'},
         'destination': {'project': 'u/p'}, 'overwrite': False},
        {'source': {'volume': 'u/vol', 'location': 'b/'},
         'destination': {'parent': 'f9', 'name': 'b'}, 'overwrite': True,
         'autorename': False, 'preserve_folder_structure': True}]}
    with pytest.raises(errors.SbgError, match='Imports are required'):
        api.imports.bulk_submit([])
    with pytest.raises(errors.SbgError, match='mutually exclusive'):
        api.imports.bulk_submit([{'volume': 'v', 'location': 'l',
                                  'project': 'p', 'parent': 'f'}])
    assert len(mocked.calls) == 3


def test_export_fields(api):
    job = Export(api=api, **EXPORT)
    assert isinstance(job.source, File) and job.source.id == 'f1'
    assert isinstance(job.destination, VolumeFile)
    assert isinstance(job.properties, VolumeProperties)
    assert job.properties['sse_algorithm'] == 'AES256'
    assert job.error.message == 'No access'
    assert job.result is None and Export(id='x').source is None
    assert str(job) == '<Export: id=e1>'


def test_submit_export(api, mocked):
    mocked.post(BASE + '/storage/exports', json=EXPORT)
    api.exports.submit_export(file=File(id='f1'), volume='u/vol',
                              location='out/a.txt')
    request = mocked.calls[0].request
    assert query_of(request) == {}
    assert body_of(request) == {
        'source': {'file': 'f1'},
        'destination': {'volume': 'u/vol', 'location': 'out/a.txt'},
        'overwrite': False}
    api.exports.submit_export(file='f1', volume=Volume(id='u/vol'),
                              location='x', properties={'a': 1},
                              overwrite=True, copy_only=True)
    request = mocked.calls[1].request
    assert query_of(request) == {'copy_only': ['True']}
    assert body_of(request)['properties'] == {'a': 1}
    with pytest.raises(errors.SbgError, match='File is required!'):
        api.exports.submit_export(file=None, volume='v', location='l')


def test_export_query_and_bulk(api, mocked):
    mocked.get(BASE + '/storage/exports', **page([EXPORT]))
    mocked.post(BASE + '/bulk/storage/exports/get', json={'items': [
        {'resource': EXPORT}]})
    mocked.post(BASE + '/bulk/storage/exports/create', json={'items': []})
    api.exports.query(volume=Volume(id='u/vol'), limit=0)
    assert query_of(mocked.calls[0].request) == {
        'volume': ['u/vol'], 'limit': ['100'], 'fields': ['_all']}
    records = api.exports.bulk_get([Export(id='e1')])
    assert body_of(mocked.calls[1].request) == {'export_ids': ['e1']}
    assert isinstance(records[0], ExportBulkRecord)
    assert str(records[0]) == '<ExportBulkRecord valid=True>'
    api.exports.bulk_submit([{'file': 'f1', 'volume': 'u/vol',
                              'location': 'a'}])
    request = mocked.calls[2].request
    assert query_of(request) == {'copy_only': ['False']}
    assert body_of(request) == {'items': [
        {'properties': {}, 'source': {'file': 'f1'},
         'destination': {'volume': 'u/vol', 'location': 'a'},
         'overwrite': False}]}
    with pytest.raises(errors.SbgError, match='Exports are required'):
        api.exports.bulk_submit([])


DRS = {'href': BASE + '/bulk/drs/imports/d1', 'id': 'd1', 'state': 'FINISHED',
       'result': [{'resource': {'id': 'f1', 'name': 'a'}},
                  {'error': {'status': 404, 'code': 1, 'message': 'gone'}}]}


def test_drs_submit_and_get(api, mocked):
    mocked.post(BASE + '/bulk/drs/imports/create', json=DRS)
    mocked.get(BASE + '/bulk/drs/imports/d1', json=DRS)
    items = [{'drs_uri': 'drs://x/1', 'project': Project(id='u/p'),
              'name': 'a', 'metadata': {'k': 'v'}},
             {'drs_uri': 'drs://x/2', 'parent': File(id='f9')}]
    job = api.drs_imports.bulk_submit(items, tags=['t'])
    assert body_of(mocked.calls[0].request) == {
        'conflict_resolution': 'SKIP', 'tags': ['t'], 'items': [
            {'drs_uri': 'drs://x/1', 'project': 'u/p', 'name': 'a',
             'metadata': {'k': 'v'}},
            {'drs_uri': 'drs://x/2', 'parent': 'f9'}]}
    assert isinstance(items[0]['project'], Project)  # not mutated
    assert str(job) == '<DRSBulkImport: id=d1>'
    results = job.result
    assert [type(r) for r in results] == [FileImportResult] * 2
    assert str(results[0]) == '<File: id=f1>'
    assert str(results[1]) == '<Error: status=404, code=1>'
    assert api.drs_imports.bulk_get('d1') == job
    assert api.drs_imports.bulk_get(job).state == 'FINISHED'
    with pytest.raises(errors.SbgError, match='DRS import is required!'):
        api.drs_imports.bulk_get(None)
    with pytest.raises(errors.SbgError, match='Invalid DRS import'):
        api.drs_imports.bulk_get(5)
    with pytest.raises(errors.SbgError, match='Imports are required'):
        api.drs_imports.bulk_submit([])
    with pytest.raises(errors.SbgError, match='identifier is required'):
        api.drs_imports.bulk_submit([{'drs_uri': 'x'}])


def test_drs_result_files_are_cached_per_job(api, mocked):
    mocked.post(BASE + '/bulk/files/get', json={'items': [
        {'resource': {'id': 'f1', 'name': 'a'}}]})
    job = DRSImportBulk(api=api, **DRS)
    records = job.result_files
    assert [type(r) for r in records] == [FileBulkRecord]
    assert body_of(mocked.calls[0].request) == {'file_ids': ['f1']}
    assert job.result_files == records
    assert len(mocked.calls) == 1
    assert DRSImportBulk(api=api, id='d2', result=[]).result_files is None
    assert path_of(mocked.calls[0].request) == '/v2/bulk/files/get'
