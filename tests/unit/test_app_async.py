"""Apps and asynchronous file jobs."""
import pytest

from sevenbridges import errors
from sevenbridges.models.app import App
from sevenbridges.models.async_jobs import AsyncFileBulkRecord, AsyncJob
from sevenbridges.models.compound.error import Error
from sevenbridges.models.file import File
from sevenbridges.models.project import Project
from tests.conftest import BASE, body_of, path_of, query_of

APP = {'href': BASE + '/apps/u/p/bwa/3', 'id': 'u/p/bwa/3', 'project': 'u/p',
       'name': 'BWA', 'revision': 3,
       'raw': {'class': 'CommandLineTool', 'sbg:id': 'u/p/bwa/3'}}


def page(items):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


def test_app_ids_and_strings():
    app = App(**APP)
    assert (app.id, app._id, app.revision) == ('u/p/bwa', 'u/p/bwa/3', 3)
    assert str(app) == repr(app) == '<App: id=u/p/bwa rev=3>'
    assert str(App(id='u/p/bwa/0', revision=0)) == '<App: id=u/p/bwa>'
    assert App(id='u/p/bwa').id == 'u/p/bwa'
    assert App(id='bwa').id == 'bwa'
    assert App(id='u/p/bwa/3') == App(id='u/p/bwa/5')
    assert App(id='u/p/bwa/3') != App(id='u/p/other/3')


def test_query_and_get(api, mocked):
    mocked.get(BASE + '/apps', **page([APP]))
    mocked.get(BASE + '/apps/u/p/bwa', json=APP)
    mocked.get(BASE + '/apps/u/p/bwa/2', json=dict(APP, revision=2))
    apps = api.apps.query(project=Project(id='u/p'), visibility='public',
                          q=['bwa', 'mem'], id=['a', 'b'], limit=5)
    assert query_of(mocked.calls[0].request) == {
        'project': ['u/p'], 'visibility': ['public'], 'q': ['bwa', 'mem'],
        'id': ['a', 'b'], 'limit': ['5']}
    assert api.apps.get(apps[0]).name == 'BWA'
    assert path_of(mocked.calls[1].request) == '/v2/apps/u/p/bwa'
    assert api.apps.get_revision('u/p/bwa', 2).revision == 2
    with pytest.raises(errors.SbgError, match='Resource can not be deleted'):
        apps[0].delete()


def test_install_app_json(api, mocked):
    mocked.post(BASE + '/apps/u/p/bwa/raw', json={'sbg:id': 'u/p/bwa/4'})
    mocked.get(BASE + '/apps/u/p/bwa/4', json=dict(APP, revision=4))
    raw = {'class': 'CommandLineTool', 'cwlVersion': 'v1.0'}
    app = api.apps.install_app('u/p/bwa', raw)
    post = mocked.calls[0].request
    assert post.headers['Content-Type'] == 'application/json'
    assert body_of(post) == raw
    assert path_of(mocked.calls[1].request) == '/v2/apps/u/p/bwa/4'
    assert app.revision == 4


def test_install_app_yaml_text(api, mocked):
    mocked.post(BASE + '/apps/u/p/bwa/raw', json={'sbg:id': 'u/p/bwa/4'})
    mocked.get(BASE + '/apps/u/p/bwa/4', json=APP)
    text = 'class: CommandLineTool\ncwlVersion: v1.0\n'
    api.apps.install_app('u/p/bwa', text, raw_format='YAML')
    post = mocked.calls[0].request
    assert post.headers['Content-Type'] == 'application/yaml'
    assert post.body == text.encode()
    assert post.headers['X-SBG-Auth-Token']
    api.apps.install_app('u/p/bwa', {'class': 'Workflow'}, raw_format='yaml')
    assert mocked.calls[2].request.body == b'{"class": "Workflow"}'
    with pytest.raises(errors.SbgError,
                       match='Unsupported raw data format: "xml".'):
        api.apps.install_app('u/p/bwa', text, raw_format='xml')
    assert len(mocked.calls) == 4


def test_create_revision(api, mocked):
    mocked.post(BASE + '/apps/u/p/bwa/7/raw', json={'sbg:id': 'u/p/bwa/7'})
    mocked.get(BASE + '/apps/u/p/bwa/7', json=dict(APP, revision=7))
    app = api.apps.create_revision('u/p/bwa', 7, {'class': 'Workflow'})
    assert body_of(mocked.calls[0].request) == {'class': 'Workflow'}
    assert app.revision == 7


def test_copy_and_sync(api, mocked):
    app = App(api=api, **APP)
    mocked.post(BASE + '/apps/u/p/bwa/actions/copy', json=APP)
    mocked.post(BASE + '/apps/u/p/bwa/3/actions/copy', json=APP)
    mocked.post(BASE + '/apps/u/p/bwa/actions/sync', json=dict(APP,
                                                              revision=9))
    app.copy(Project(id='u/dest'))
    assert body_of(mocked.calls[0].request) == {'project': 'u/dest',
                                                'strategy': 'clone'}
    app.copy('u/dest', name='mine', strategy='direct', use_revision=True)
    assert path_of(mocked.calls[1].request) == '/v2/apps/u/p/bwa/3/actions/copy'
    assert body_of(mocked.calls[1].request) == {
        'project': 'u/dest', 'strategy': 'direct', 'name': 'mine'}
    synced = app.sync()
    assert mocked.calls[2].request.body == 'null'
    assert synced.revision == 9 and app.revision == 3


JOB = {'href': BASE + '/async/files/copy/j1', 'id': 'j1', 'type': 'COPY',
       'state': 'FINISHED', 'total_files': 2, 'failed_files': 1,
       'completed_files': 1, 'started_on': '2024-01-01T00:00:00Z',
       'finished_on': '2024-01-01T00:01:00Z',
       'result': [{'resource': {'id': 'f2', 'name': 'copy.txt'}},
                  {'error': {'status': 404, 'code': 5002,
                             'message': 'Not found'}},
                  {}]}


@pytest.mark.parametrize('method,path', [
    ('get_file_copy_job', 'copy'), ('get_file_move_job', 'move'),
    ('get_file_delete_job', 'delete')])
def test_get_jobs(api, mocked, method, path):
    mocked.get(f'{BASE}/async/files/{path}/j1', json=JOB)
    job = getattr(api.async_jobs, method)(AsyncJob(id='j1'))
    assert path_of(mocked.calls[0].request) == f'/v2/async/files/{path}/j1'
    assert (job.state, job.total_files, job.failed_files) == ('FINISHED',
                                                              2, 1)
    assert str(job) == '<AsyncJob: type=COPY id=j1>'
    with pytest.raises(errors.SbgError, match='Async job is required!'):
        getattr(api.async_jobs, method)(None)


def test_job_results(api):
    records = AsyncJob(api=api, **JOB).get_result()
    assert [r.valid for r in records] == [True, False, True]
    assert isinstance(records[0], AsyncFileBulkRecord)
    assert isinstance(records[0].resource, File)
    assert records[0].resource.name == 'copy.txt'
    assert isinstance(records[1].error, Error)
    assert records[2].resource is None
    assert str(records[0]) == repr(records[0]) == 'AsyncFileBulkRecord'
    assert AsyncJob(api=api, id='x', result=[]).get_result() == []


@pytest.mark.parametrize('method,path', [
    ('file_bulk_copy', 'copy'), ('file_bulk_move', 'move'),
    ('file_bulk_delete', 'delete')])
def test_submit_jobs(api, mocked, method, path):
    mocked.post(f'{BASE}/async/files/{path}', json=dict(JOB,
                                                        state='SUBMITTED'))
    items = [{'file': 'f1', 'parent': 'd1', 'name': 'n'}]
    job = getattr(api.async_jobs, method)(items)
    assert body_of(mocked.calls[0].request) == {'items': items}
    assert job.state == 'SUBMITTED'


def test_list_jobs(api, mocked):
    mocked.get(BASE + '/async/files', **page([JOB]))
    jobs = api.async_jobs.list_file_jobs(offset=1, limit=0)
    assert query_of(mocked.calls[0].request) == {'offset': ['1'],
                                                 'limit': ['100']}
    assert jobs[0] == AsyncJob(id='j1')
    with pytest.raises(errors.SbgError, match='Unable to retrieve resource'):
        api.async_jobs.get('j1')
