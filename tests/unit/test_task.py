"""Tasks, their inputs and outputs, execution details."""
from datetime import datetime
from unittest import mock

import pytest

from sevenbridges import errors
from sevenbridges.models import task as task_module
from sevenbridges.models.app import App
from sevenbridges.models.compound.jobs.job import Job
from sevenbridges.models.compound.jobs.job_docker import JobDocker
from sevenbridges.models.compound.jobs.job_instance import Instance
from sevenbridges.models.compound.jobs.job_instance_disk import Disk
from sevenbridges.models.compound.jobs.job_log import Logs
from sevenbridges.models.compound.price import Price
from sevenbridges.models.compound.tasks.batch_by import BatchBy
from sevenbridges.models.compound.tasks.batch_group import BatchGroup
from sevenbridges.models.compound.tasks.execution_status import (
    ExecutionStatus,
)
from sevenbridges.models.compound.tasks.input import Input
from sevenbridges.models.compound.tasks.output import Output
from sevenbridges.models.execution_details import ExecutionDetails
from sevenbridges.models.file import File
from sevenbridges.models.project import Project
from sevenbridges.models.task import Task, TaskBulkRecord, serialize_inputs
from tests.conftest import BASE, body_of, path_of, query_of

TID = '9b0a0c8e-2f4a-4c57-9a2d-1f0c6b5e8d7a'
HREF = f'{BASE}/tasks/{TID}'
TASK = {
    'href': HREF, 'id': TID, 'name': 'align', 'status': 'DRAFT',
    'description': 'd', 'project': 'u/p', 'app': 'u/p/bwa/3',
    'type': 'v2', 'created_by': 'u', 'batch': True,
    'batch_by': {'type': 'ITEM'}, 'batch_input': 'reads',
    'created_time': '2024-01-01T00:00:00Z',
    'execution_status': {'steps_completed': 1, 'steps_total': 3,
                         'queued': 0, 'running': 1, 'duration': 5},
    'price': {'currency': 'USD', 'amount': '1.25'},
    'inputs': {
        'reads': [{'class': 'File', 'path': 'f1', 'basename': 'r1.fq',
                   'size': 10,
                   'secondaryFiles': [{'class': 'File', 'path': 'f1i'}]},
                  {'class': 'Directory', 'path': 'd1', 'name': 'dir'}],
        'threads': 4, 'ref': {'class': 'File', 'path': 'f2'},
        'other': {'class': 'Unknown'}, 'plain': {'a': 1}},
    'outputs': {'bam': {'class': 'File', 'path': 'o1', 'name': 'o.bam'}},
    'errors': {}, 'warnings': {},
    'execution_settings': {'instance_type': 'c4.2xlarge'},
    'use_interruptible_instances': True, 'origin_id': 'run1',
    'batch_group': {'value': 'S1', 'fields': {'sample': 'S1'}},
}


def task_data(**changes):
    import copy
    data = copy.deepcopy(TASK)
    data.update(changes)
    return data


@pytest.fixture
def task(api):
    return Task(api=api, **task_data())


def page(items):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


def test_fields(task):
    assert (task.id, task.name, task.status, task.app, task.batch,
            task.batch_input, task.origin) == (
        TID, 'align', 'DRAFT', 'u/p/bwa/3', True, 'reads', 'run1')
    assert task.created_time == datetime(2024, 1, 1)
    assert isinstance(task.execution_status, ExecutionStatus)
    assert task.execution_status.steps_completed == 1
    assert str(task.execution_status) == '<ExecutionStatus>'
    assert isinstance(task.price, Price) and task.price.amount == 1.25
    assert isinstance(task.batch_by, BatchBy)
    assert task.batch_by == {'type': 'ITEM'}
    assert str(task.batch_by) == "{'type': 'ITEM'}"
    assert isinstance(task.batch_group, BatchGroup)
    assert str(task.batch_group) == '<Batch group>'
    assert task.batch_group.fields == {'sample': 'S1'}
    assert str(task) == repr(task) == f'<Task: id={TID}>'
    with pytest.raises(errors.ValidationError, match='UuidField'):
        Task(id='not-a-uuid')
    with pytest.raises(errors.ReadOnlyPropertyError,
                       match='execution_settings'):
        task.execution_settings = {}


def test_inputs_map_files(task, api):
    inputs = task.inputs
    assert isinstance(inputs, Input)
    reads = inputs['reads']
    assert [type(f) for f in reads] == [File, File]
    first, folder = reads
    assert (first.id, first.name, first.size, first.type) == (
        'f1', 'r1.fq', 10, 'file')
    assert [f.id for f in first.secondary_files] == ['f1i']
    assert (folder.id, folder.name, folder.type) == ('d1', 'dir', 'folder')
    assert folder.is_folder() and first._api is api
    assert inputs['threads'] == 4
    assert inputs['ref'].id == 'f2'
    assert inputs['other'] is None
    assert inputs['plain'] == {'a': 1}
    assert inputs['missing'] is None
    assert dict(inputs)['ref'] == {'class': 'File', 'path': 'f2'}
    assert isinstance(dict(inputs.items())['ref'], File)


def test_outputs_are_read_only(task):
    outputs = task.outputs
    assert isinstance(outputs, Output)
    assert outputs['bam'].name == 'o.bam'
    with pytest.raises(errors.ReadOnlyPropertyError,
                       match='Can not modify read only properties.'):
        outputs['bam'] = 'x'
    assert str(outputs) == str({'bam': outputs['bam']})


def test_serialize_inputs():
    file, folder = File(id='F1', type='file'), File(id='D1', type='folder')
    assert serialize_inputs({'a': file, 'b': [file, folder],
                             'c': {'x': file, 'y': 2}, 'd': False}) == {
        'a': {'class': 'File', 'path': 'F1'},
        'b': [{'class': 'File', 'path': 'F1'},
              {'class': 'Directory', 'path': 'D1'}],
        'c': {'x': {'class': 'File', 'path': 'F1'}, 'y': 2}, 'd': False}


def test_query(api, mocked):
    mocked.get(BASE + '/tasks', **page([TASK]))
    tasks = api.tasks.query(
        project=Project(id='u/p'), status='COMPLETED', batch=False,
        parent=Task(id=TID), created_from=datetime(2017, 1, 10, 14, 4, 23,
                                                   838459),
        ended_to='2020-01-01', offset=0, limit=10, order_by='created_time',
        order='desc', origin='run1')
    assert query_of(mocked.calls[0].request) == {
        'project': ['u/p'], 'status': ['COMPLETED'], 'batch': ['False'],
        'parent': [TID], 'created_from': ['2017-01-10T14:04:23'],
        'ended_to': ['2020-01-01'], 'offset': ['0'], 'limit': ['10'],
        'order_by': ['created_time'], 'order': ['desc'],
        'origin_id': ['run1'], 'fields': ['_all']}
    assert tasks[0].name == 'align'


def test_query_with_only_some_fields(api, mocked):
    mocked.get(BASE + '/tasks', **page([{'id': TID, 'status': 'QUEUED'}]))
    tasks = api.tasks.query_fields(['id', 'status', 'price'],
                                   project='u/p', limit=100)
    assert query_of(mocked.calls[0].request) == {
        'project': ['u/p'], 'limit': ['100'], 'fields': ['id,status,price']}
    assert tasks[0].status == 'QUEUED'


@pytest.mark.parametrize('fields', [[], '', ['id', ''], ['id,name'], [3]])
def test_query_refuses_fields_that_are_not_names(api, mocked, fields):
    with pytest.raises(errors.ValidationError, match='fields must be'):
        api.tasks.query_fields(fields, project='u/p')
    assert not mocked.calls


def test_create(api, mocked):
    mocked.post(BASE + '/tasks', json=task_data())
    file = File(id='f1', type='file')
    task = api.tasks.create(
        name='nm', project=Project(id='u/p'), app='u/p/app', revision=2,
        batch_input='reads', batch_by={'type': 'item'},
        inputs={'reads': [file], 'flag': False}, run=True, disable_batch=True,
        interruptible=False,
        execution_settings={'instance_type': 'c4.2xlarge'},
        output_location={'main_location': '/Analysis/'})
    request = mocked.calls[0].request
    assert query_of(request) == {'batch': ['False'], 'action': ['run']}
    body = body_of(request)
    assert list(body) == ['batch_input', 'batch_by', 'name', 'project',
                          'app', 'description', 'inputs',
                          'use_interruptible_instances',
                          'execution_settings', 'output_location']
    assert body == {
        'batch_input': 'reads', 'batch_by': {'type': 'item'}, 'name': 'nm',
        'project': 'u/p', 'app': 'u/p/app/2', 'description': None,
        'inputs': {'reads': [{'class': 'File', 'path': 'f1'}],
                   'flag': False},
        'use_interruptible_instances': False,
        'execution_settings': {'instance_type': 'c4.2xlarge'},
        'output_location': {'main_location': '/Analysis/'}}
    assert task.id == TID


def test_create_minimal_and_app_objects(api, mocked):
    mocked.post(BASE + '/tasks', json=task_data())
    api.tasks.create(name='nm', project='u/p', app='u/p/app')
    request = mocked.calls[0].request
    assert query_of(request) == {}
    assert body_of(request) == {'name': 'nm', 'project': 'u/p',
                                'app': 'u/p/app', 'description': None,
                                'inputs': {}}
    app = App(id='u/p/app/0', revision=0)
    api.tasks.create(name='nm', project='u/p', app=app, batch_input='x',
                     disable_batch=True)
    body = body_of(mocked.calls[1].request)
    assert body['app'] == 'u/p/app/0' and 'batch_input' not in body
    assert query_of(mocked.calls[1].request) == {}
    with pytest.raises(errors.SbgError, match='Project is required!'):
        api.tasks.create(name='nm', project=None, app='a')
    with pytest.raises(errors.SbgError, match='App is required!'):
        api.tasks.create(name='nm', project='p', app=None)


def test_create_with_errors(api, mocked):
    answer = task_data(errors={'reads': 'required'})
    mocked.post(BASE + '/tasks', json=answer)
    with pytest.raises(errors.TaskValidationError) as info:
        api.tasks.create(name='nm', project='u/p', app='a', run=True)
    assert info.value.message == 'Unable to run task! Task contains errors.'
    assert isinstance(info.value.task, Task)
    assert info.value.task.errors == {'reads': 'required'}
    draft = api.tasks.create(name='nm', project='u/p', app='a')
    assert draft.errors == {'reads': 'required'}


@pytest.mark.parametrize('errors_in_answer', [{'omitted': True},
                                              {'errors': {}},
                                              {'errors': None}])
def test_create_and_run_decides_on_the_answer_alone(api, mocked,
                                                    errors_in_answer):
    # An answer without "errors" has none: the task is not fetched again,
    # whatever host its href names.
    answer = task_data(status='QUEUED', href='https://elsewhere.test/t/1')
    del answer['errors']
    if 'omitted' not in errors_in_answer:
        answer.update(errors_in_answer)
    mocked.post(BASE + '/tasks', json=answer)
    task = api.tasks.create(name='nm', project='u/p', app='a', run=True)
    assert isinstance(task, Task)
    assert (task.id, task.status) == (TID, 'QUEUED')
    assert [(call.request.method, call.request.url)
            for call in mocked.calls] == [('POST',
                                           BASE + '/tasks?action=run')]


def test_run_abort_clone(api, mocked, task):
    mocked.post(HREF + '/actions/run', json=task_data(status='RUNNING'))
    mocked.post(HREF + '/actions/abort', json=task_data(status='ABORTED'))
    mocked.post(HREF + '/actions/clone', json=task_data(status='DRAFT'))
    assert task.run(batch=False, interruptible=True) is task
    request = mocked.calls[0].request
    assert query_of(request) == {'batch': ['False'],
                                 'use_interruptible_instances': ['True']}
    assert request.body == 'null'
    assert task.status == 'RUNNING'
    other = task.abort(inplace=False)
    assert other.status == 'ABORTED' and task.status == 'RUNNING'
    assert task.abort() is task and task.status == 'ABORTED'
    task.run()
    assert query_of(mocked.calls[3].request) == {}
    clone = task.clone()
    assert query_of(mocked.calls[4].request) == {'action': ['run']}
    assert clone is not task and clone.status == 'DRAFT'
    task.clone(run=False)
    assert query_of(mocked.calls[5].request) == {}


def test_save(api, mocked, task):
    mocked.patch(HREF, json=task_data(name='NEW'))
    assert task.save() is task
    assert len(mocked.calls) == 0
    task.name = 'NEW'
    task.description = 'D2'
    task.save()
    assert body_of(mocked.calls[0].request) == {'name': 'NEW',
                                                'description': 'D2'}
    assert task.name == 'NEW'


def test_save_inputs_sends_changed_keys(api, mocked, task):
    mocked.patch(HREF, json=task_data())
    task.inputs['threads'] = 8
    task.inputs['new'] = File(id='f9', type='file')
    task.inputs['ref'] = File(id='f3', type='file')
    task.batch_by['type'] = 'criteria'
    task.save()
    assert body_of(mocked.calls[0].request) == {
        'inputs': {'threads': 8, 'new': {'class': 'File', 'path': 'f9'},
                   'ref': {'class': 'File', 'path': 'f3'}},
        'batch_by': {'type': 'criteria'}}


def test_save_not_in_place_keeps_local_edits(api, mocked, task):
    mocked.patch(HREF, json=task_data(name='server'))
    task.name = 'local'
    saved = task.save(inplace=False)
    assert saved.name == 'server' and task.name == 'local'


def test_execution_details(api, mocked, task):
    mocked.get(HREF + '/execution_details', json={
        'href': HREF + '/execution_details', 'status': 'COMPLETED',
        'start_time': '2024-01-01T00:00:00Z',
        'jobs': [{'name': 'bwa', 'status': 'COMPLETED', 'retried': False,
                  'command_line': 'bwa mem ...',
                  'instance': {'id': 'i-1', 'type': 'c4', 'provider': 'aws',
                               'disk': {'size': 1024, 'unit': 'GB',
                                        'type': 'ssd'}},
                  'docker': {'checksum': 'sha256:abc'},
                  'logs': {'job.err.log': BASE + '/files/log1/download_info',
                           'broken': 'nope'}}]})
    details = task.get_execution_details()
    assert isinstance(details, ExecutionDetails)
    assert str(details) == '<Execution Details>'
    job = details.jobs[0]
    assert isinstance(job, Job) and str(job) == \
        '<Job: name=bwa, status=COMPLETED>'
    assert isinstance(job.instance, Instance)
    assert str(job.instance) == '<Instance id=i-1, type=c4, provider=aws>'
    assert isinstance(job.instance.disk, Disk)
    assert str(job.instance.disk) == '<Disk size=1024, unit=GB, type=ssd>'
    assert isinstance(job.docker, JobDocker)
    assert str(job.docker) == '<Docker: checksum=sha256:abc>'
    assert isinstance(job.logs, Logs)
    assert job.logs['job.err.log'].id == 'log1'
    assert job.logs['broken'] is None and job.logs['missing'] is None
    with pytest.raises(errors.ReadOnlyPropertyError):
        job.logs['x'] = 'y'
    assert ExecutionDetails().jobs == []


def test_batch_children(api, mocked, task):
    mocked.get(BASE + '/tasks', **page([TASK]))
    task.get_batch_children(status='COMPLETED', limit=2)
    assert query_of(mocked.calls[0].request) == {
        'status': ['COMPLETED'], 'parent': [TID], 'limit': ['2'],
        'fields': ['_all']}
    plain = Task(api=api, **task_data(batch=False))
    with pytest.raises(errors.SbgError, match='not a batch task'):
        plain.get_batch_children()


def test_bulk_get(api, mocked):
    mocked.post(BASE + '/bulk/tasks/get', json={'items': [
        {'resource': TASK}, {'error': {'status': 404, 'message': 'x'}}]})
    records = api.tasks.bulk_get([TID, Task(id=TID)])
    assert body_of(mocked.calls[0].request) == {'task_ids': [TID, TID]}
    assert isinstance(records[0], TaskBulkRecord)
    assert isinstance(records[0].resource, Task)
    assert [str(r) for r in records] == ['<TaskBulkRecord valid=True>',
                                         '<TaskBulkRecord valid=False>']


def test_wait(api, mocked, task):
    mocked.get(HREF, json=task_data(status='RUNNING'))
    mocked.get(HREF, json=task_data(status='COMPLETED'))
    callback = mock.Mock(return_value='done')
    with mock.patch.object(task_module.time, 'sleep') as sleep:
        assert task.wait(3, callback, 'a', b=1) == 'done'
    assert task.status == 'COMPLETED'
    assert sleep.call_args_list == [mock.call(3)]
    assert len(mocked.calls) == 2
    callback.assert_called_once_with('a', b=1)
    with mock.patch.object(task_module.time, 'sleep') as sleep:
        assert task.wait() is None
    sleep.assert_not_called()
    assert len(mocked.calls) == 2


def test_delete(api, mocked, task):
    mocked.delete(HREF, status=204)
    assert task.delete() is None
    assert path_of(mocked.calls[0].request) == f'/v2/tasks/{TID}'
