"""The reference SDK's quickstart (the seed document), call by call, with
only ids and names adapted to the emulator's seeded state: every call it
makes is served. Sections follow the quickstart's."""
import os
import zipfile

import pytest

import sevenbridges as sbg
from sevenbridges.config import UserProfile
from sevenbridges.emulator.state.common import SECOND_TOKEN
from sevenbridges.errors import SbgError
from sevenbridges.http.error_handlers import (
    maintenance_sleeper,
    rate_limit_sleeper,
)
from sevenbridges.models.enums import ImportExportState
from tests.e2e.test_emulator_storage import put_object, wait_for

FASTQC = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool',
          'label': 'FastQC', 'baseCommand': ['fastqc'],
          'inputs': [{'id': 'FastQC-Reads', 'type': 'File[]'},
                     {'id': 'somekey', 'type': 'string?'}],
          'outputs': [{'id': 'report', 'type': 'File'}]}


def ended(task):
    return task.status in ('COMPLETED', 'FAILED', 'ABORTED')


@pytest.fixture
def my_project(sbg_api):
    bg = sbg_api.billing_groups.query(limit=1)[0]
    return sbg_api.projects.create(name='My new project', billing_group=bg.id)


@pytest.fixture
def reads(sbg_api, my_project, tmp_path):
    """Two fastq files with sample metadata, uploaded as the quickstart
    does."""
    uploaded = []
    for sample in ('some-sample', 'other-sample'):
        path = tmp_path / f'{sample}.fastq'
        path.write_text(f'@{sample}\nACGT\n+\nIIII\n')
        file = sbg_api.files.upload(str(path), project=my_project).result()
        file.metadata = {'sample': sample}
        file.save()
        uploaded.append(file)
    return uploaded


def test_initializing_the_library(sbg_emulator, monkeypatch):
    api = sbg.Api(url=sbg_emulator.url, token=sbg_emulator.token)
    assert api.users.me().username == 'rfranklin'
    monkeypatch.setenv('SB_API_ENDPOINT', sbg_emulator.url)
    monkeypatch.setenv('SB_AUTH_TOKEN', sbg_emulator.token)
    assert sbg.Api().users.me().username == 'rfranklin'
    monkeypatch.delenv('SB_API_ENDPOINT')
    monkeypatch.delenv('SB_AUTH_TOKEN')
    credentials = UserProfile.CREDENTIALS  # a temporary file in tests
    os.makedirs(os.path.dirname(credentials), exist_ok=True)
    with open(credentials, 'w') as fp:
        fp.write(f'[cgc]\napi_endpoint = {sbg_emulator.url}\n'
                 f'auth_token = {sbg_emulator.token}\n')
    c = sbg.Config(profile='cgc')
    assert sbg.Api(config=c).users.me().username == 'rfranklin'
    api = sbg.Api(url=sbg_emulator.url, token=sbg_emulator.token,
                  advance_access=True)
    assert api.users.me().email == 'rosalind@example.org'
    api = sbg.Api(url=sbg_emulator.url, token=sbg_emulator.token,
                  error_handlers=[rate_limit_sleeper, maintenance_sleeper])
    me = api.users.me()
    assert me.email == 'rosalind@example.org'
    assert api.limit and api.remaining is not None and api.reset_time


def test_managing_projects(sbg_api):
    project_list = sbg_api.projects.query(offset=0, limit=10)
    assert len(project_list) == 0
    bg = sbg_api.billing_groups.query(limit=1)[0]
    for number in range(12):
        sbg_api.projects.create(name=f'Project {number}', billing_group=bg.id)
    project_list = sbg_api.projects.query(limit=10)
    assert len(project_list) == 10
    second = project_list.next_page()
    assert len(second) == 2 and len(second.previous_page()) == 10
    project_list = sbg_api.projects.query(name='Project 3')
    assert [p.id for p in project_list] == ['rfranklin/project-3']
    for project in sbg_api.projects.query().all():
        assert project.id and project.name
    my_projects = list(sbg_api.projects.query().all())
    assert len(my_projects) == 12
    try:
        project_id = 'doesnotexist/forsure'
        sbg_api.projects.get(id=project_id)
        raise AssertionError('not raised')
    except SbgError as e:
        assert e.message and e.code
    assert sbg_api.tasks.query(status='COMPLETED').total == 0

    new_project = sbg_api.projects.create(name="My new project",
                                          billing_group=bg.id)
    new_project.add_member(user='jwatson',
                           permissions={'write': True, 'execute': True})
    team = sbg_api.teams.create(name='Lab', division='emulated-division')
    new_project.add_member_team(team=team, permissions={'read': True})
    new_project.add_member_division(division='emulated-division',
                                    permissions={'read': True})
    assert {m.id for m in new_project.get_members()} == \
        {'rfranklin', 'jwatson', team.id, 'emulated-division'}
    new_project.remove_member(user='jwatson')
    public = sbg_api.files.query(project='admin/sbg-public-data')
    new_project.add_files(public)
    assert {f.name for f in new_project.get_files()} == \
        {'chrM_fragment.fasta', 'chrM_fragment.gtf'}
    sbg_api.apps.get('admin/sbg-public-data/file-report').copy(
        project=new_project.id)
    assert [a.name for a in new_project.get_apps()] == ['File report']
    assert list(new_project.get_tasks()) == []
    new_project.description = 'changed'
    new_project.save()
    assert new_project.reload().description == 'changed'
    new_project.delete()


def test_managing_datasets(sbg_api):
    api = sbg_api
    datasets = api.datasets.query(visibility='public')
    assert [d.id for d in datasets] == ['admin/chrm-reference']
    datasets = api.datasets.query()
    datasets_by_owner = api.datasets.get_owned_by('rfranklin')
    dataset = api.datasets.get('rfranklin/franklin-cohort')
    assert dataset in list(datasets) and dataset in list(datasets_by_owner)
    members = dataset.get_members()
    member = dataset.get_member('rfranklin')
    assert member in list(members)
    member.permissions['execute'] = False
    permissions = member.permissions
    assert permissions['execute'] is False
    public = api.datasets.get('admin/chrm-reference')
    files = api.files.query(dataset=public)
    assert sorted(f.name for f in files) == ['chrM_fragment.fasta',
                                              'chrM_fragment.gtf']
    assert list(api.files.query(dataset=dataset)) == []
    dataset.description = 'A new description'
    dataset.save()
    added_member = dataset.add_member(
        'jwatson', {"write": True, "read": True, "copy": False,
                    "execute": True, "admin": False})
    assert added_member.username == 'jwatson'
    dataset.remove_member('jwatson')
    dataset.delete()


def test_billing(sbg_api):
    bgroup_list = sbg_api.billing_groups.query(offset=0, limit=10)
    bg = sbg_api.billing_groups.get(id=bgroup_list[0].id)
    assert bg.owner == 'rfranklin' and not bg.disabled
    assert bg.analysis_breakdown() is not None
    invoices = sbg_api.invoices.query()
    invoice = sbg_api.invoices.get(id=invoices[0].id)
    assert invoice.pending is True and invoice.total.currency == 'USD'


def test_managing_files_and_folders(sbg_api, my_project, reads, tmp_path):
    api = sbg_api
    file_list = api.files.query(project=my_project.id)
    file = api.files.get(id=file_list[0].id)
    assert file.size == file_list[0].size
    files = api.files.query(project=my_project.id)
    my_file = [file for file in files if 'fastq' in file.name]
    assert len(my_file) == 2
    files = api.files.query(project=my_project.id,
                            names=['some-sample.fastq', 'other-sample.fastq'])
    my_files = api.files.query(project=my_project.id,
                               metadata={'sample': 'some-sample'})
    assert len(files) == 2 and [f.name for f in my_files] == \
        ['some-sample.fastq']
    parent = api.files.get(my_project.root_folder)
    result = api.files.query(parent=parent)
    assert len(result) == 2
    my_file = my_files[0]
    my_file.metadata['sample_id'] = 'my-sample'
    my_file.metadata['library'] = 'my-library'
    my_file.save()
    my_file.metadata = {'sample_id': 'my-sample', 'library': 'my-library'}
    my_file.tags = ['example']
    my_file.save()
    assert api.files.get(my_file.id).tags == ['example']
    other = api.projects.create(name='my-other-project')
    new_file = my_file.copy(project=other.id, name='my-new-file')
    assert new_file.name == 'my-new-file'
    new_file.download(str(tmp_path / 'my-new-file'))
    assert (tmp_path / 'my-new-file').read_text().startswith('@some')
    folder = api.files.get(my_project.root_folder)
    assert len(folder.list_files()) == 2
    new_folder = api.files.create_folder(name='new_folder_name',
                                         project=my_project.id)
    nested = api.files.create_folder(name='new_folder_name',
                                     parent=new_folder.id)
    copied_file = my_file.copy_to_folder(parent=new_folder,
                                         name='new-file-name')
    moved_file = reads[1].move_to_folder(parent=nested,
                                         name='new-file-name')
    assert (copied_file.parent, moved_file.parent) == (new_folder.id,
                                                       nested.id)


def test_file_upload_and_download(sbg_api, my_project, tmp_path):
    api = sbg_api
    path = tmp_path / 'file.fastq'
    path.write_bytes(os.urandom(6 * 1024 * 1024))
    project = api.projects.get(my_project.id)
    api.files.upload(str(path), project=project)
    parent_folder = api.files.create_folder('reads', project=project)
    api.files.upload(str(path), parent=parent_folder)
    api.files.upload(str(path), project, file_name='new.fastq')
    upload = api.files.upload(str(path), my_project.id, wait=False,
                              file_name='async.fastq')
    assert upload.file_name == 'async.fastq'
    upload.start()
    upload.wait()
    assert upload.status == 'COMPLETED' and upload.progress == 100
    assert upload.start_time and upload.duration >= 0

    file = api.files.query(project=project, names=['new.fastq'])[0]
    target = tmp_path / 'foo.bam'
    download = file.download(str(target), wait=False)
    assert download.path == str(target)
    download.start()
    download.wait()
    assert download.status == 'COMPLETED' and download.progress == 100
    assert target.read_bytes() == path.read_bytes()


def test_volumes_imports_and_exports(sbg_api, sbg_emulator, my_project,
                                     reads):
    api = sbg_api
    volume_import = api.volumes.create_s3_volume(
        name='my_input_volume', bucket='my-input-bucket',
        access_key_id='AKIAIOSFODNN7EXAMPLE',
        secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        access_mode='RO')
    volume_export = api.volumes.create_s3_volume(
        name='my_output_volume', bucket='my-output-bucket',
        access_key_id='AKIAIOSFODNN7EXAMPLE',
        secret_access_key='wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
        access_mode='RW')
    put_object(sbg_emulator, 'my-input-bucket', 'fastq/my_file.fastq', b'@r')
    put_object(sbg_emulator, 'my-input-bucket', 'top.txt', b'top')
    volume_list = api.volumes.query()
    assert len(volume_list) == 2
    volume = api.volumes.get(id=volume_import.id)
    file_list = volume.list()
    for volume_file in volume.list().all():
        assert volume_file.location == 'top.txt'
    prefixes = file_list.prefixes
    prefix = prefixes[0].prefix
    file_list_sub = volume.list(prefix=prefix)
    assert [f.location for f in file_list_sub] == ['fastq/my_file.fastq']

    imp = api.imports.submit_import(volume=volume_import,
                                    project=my_project,
                                    location='fastq/my_file.fastq')
    imp = wait_for(imp.reload, lambda i: i.state in (
        ImportExportState.COMPLETED, ImportExportState.FAILED))
    assert imp.state == ImportExportState.COMPLETED
    assert imp.result.name == 'my_file.fastq'
    assert api.imports.get(id=imp.id).id == imp.id
    assert [i.id for i in api.imports.query()] == [imp.id]
    assert [i.id for i in volume_import.get_imports()] == [imp.id]

    files_to_export = [f for f in api.files.query(project=my_project).all()
                       if f.id in {r.id for r in reads}]
    exports = []
    for f in files_to_export:
        exports.append(api.exports.submit_export(
            file=f, volume=volume_export, location=f.name))
    for e in exports:
        wait_for(e.reload, lambda x: x.state in (
            ImportExportState.COMPLETED, ImportExportState.FAILED))
    assert {e.state for e in exports} == {ImportExportState.COMPLETED}
    failed_exports = api.exports.query(state='FAILED')
    assert len(failed_exports) == 0
    e = api.exports.get(id=exports[0].id)
    assert e.destination.location == exports[0].destination.location
    assert len(volume_export.get_exports()) == 2


def test_managing_apps(sbg_api, my_project):
    api = sbg_api
    public = api.apps.query(visibility='public')
    assert {a.name for a in public} == {'File report', 'FastQC (emulated)'}
    app_id = f'{my_project.id}/fastqc'
    app = api.apps.install_app(id=app_id, raw=FASTQC)
    assert app.raw['sbg:createdBy'] == 'rfranklin'
    revised = api.apps.create_revision(id=app_id, revision=1,
                                       raw=dict(FASTQC, label='FastQC 2'))
    assert (revised.revision, revised.name) == (1, 'FastQC 2')
    assert api.apps.get_revision(id=app_id, revision=0).name == 'FastQC'
    other = api.projects.create(name='Copies')
    copied = api.apps.get(app_id).copy(project=other.id, name='fastqc-copy')
    api.apps.create_revision(id=app_id, revision=2,
                             raw=dict(FASTQC, label='FastQC 3'))
    synced = copied.sync()
    assert synced.name == 'FastQC 3'
    assert [a.id for a in api.apps.query(project=my_project.id)] == [app_id]


def test_managing_tasks(sbg_api, my_project, reads):
    api = sbg_api
    api.apps.install_app(f'{my_project.id}/my-app', FASTQC)
    name = 'my-first-task'
    project = my_project.id
    app = f'{my_project.id}/my-app'
    inputs = {}
    inputs['FastQC-Reads'] = api.files.query(
        project=project, metadata={'sample': 'some-sample'})
    try:
        task = api.tasks.create(name=name, project=project, app=app,
                                inputs=inputs, run=True)
    except SbgError:
        raise AssertionError('I was unable to run the task.') from None
    task = wait_for(task.reload, ended)
    assert task.status == 'COMPLETED'
    assert task.outputs['report'].name == 'my-first-task.report.txt'
    assert task.get_execution_details().status == 'COMPLETED'

    old_task = api.tasks.get(task.id)
    new_task = old_task.clone(run=False)
    new_task.inputs['somekey'] = 'new value'
    new_task.save()
    new_task.run()
    new_task = wait_for(new_task.reload, ended)
    assert new_task.inputs['somekey'] == 'new value'
    assert new_task.outputs['report'].name == '_1_my-first-task.report.txt'

    inputs['FastQC-Reads'] = api.files.query(project=project)
    batch_by = {'type': 'item'}
    batch_input = 'FastQC-Reads'
    try:
        task = api.tasks.create(name=name, project=project, app=app,
                                inputs=inputs, batch_input=batch_input,
                                batch_by=batch_by, run=True)
    except SbgError:
        raise AssertionError('I was unable to run a batch task.') from None
    task = wait_for(task.reload, ended)
    assert task.status == 'COMPLETED' and task.batch
    assert len(task.get_batch_children()) == len(inputs['FastQC-Reads'])
    completed = api.tasks.query(project=project, status='COMPLETED',
                                order_by='created_time', order='asc')
    assert [t.name for t in completed][:2] == [name, name]
    assert len(completed) == 3 + len(inputs['FastQC-Reads'])

    draft = api.tasks.create(name='draft', project=project, app=app,
                             inputs={'FastQC-Reads': reads})
    draft.delete()
    running = api.tasks.create(name='long', project=project, app=app,
                               inputs={'FastQC-Reads': reads}, run=True)
    running.abort()
    assert running.reload().status == 'ABORTED'


def test_bulk_operations(sbg_api, sbg_emulator, my_project, reads):
    api = sbg_api
    response = api.files.bulk_get(files=[f.id for f in reads])
    for record in response:
        assert record.valid and record.resource.name.endswith('.fastq')
    edited_file1, edited_file2 = [record.resource for record in response]
    edited_file1.tags = ['edited']
    edited_file2.metadata['lane'] = '1'
    response = api.files.bulk_edit(files=[edited_file1, edited_file2])
    assert [r.resource.tags for r in response] == [['edited'], []]
    edited_file2.metadata = {'sample': 'replaced'}
    response = api.files.bulk_update(files=[edited_file2])
    assert dict(response[0].resource.metadata) == {'sample': 'replaced'}

    api.apps.install_app(f'{my_project.id}/my-app', FASTQC)
    tasks = [api.tasks.create(name=f't{n}', project=my_project.id,
                              app=f'{my_project.id}/my-app',
                              inputs={'FastQC-Reads': reads})
             for n in range(2)]
    response = api.tasks.bulk_get(tasks=[t.id for t in tasks])
    assert [r.resource.name for r in response] == ['t0', 't1']

    volume = api.volumes.create_s3_volume(
        name='bulk', bucket='bulk', access_key_id='A', secret_access_key='S',
        access_mode='RW')
    for name in ('example_file.txt', 'example_file_2.txt'):
        put_object(sbg_emulator, 'bulk', f'data/{name}', name.encode())
    project = api.projects.get(my_project.id)
    imports = [
        {'volume': volume, 'location': 'data/example_file.txt',
         'project': project, 'name': 'example_file.txt', 'overwrite': False},
        {'volume': volume, 'location': 'data/example_file_2.txt',
         'project': project, 'name': 'example_file_2.txt',
         'overwrite': True}]
    response = api.imports.bulk_submit(imports=imports)
    ids = [record.resource.id for record in response]
    response = wait_for(lambda: api.imports.bulk_get(imports=ids),
                        lambda records: all(
                            r.resource.state == ImportExportState.COMPLETED
                            for r in records))
    assert [r.resource.result.name for r in response] == \
        ['example_file.txt', 'example_file_2.txt']
    exports = [
        {'file': reads[0], 'volume': volume,
         'location': 'out/example_file.txt',
         'properties': {'some_property': 'value'}, 'overwrite': True},
        {'file': reads[1], 'volume': volume,
         'location': 'out/example_file_2.txt',
         'properties': {'some_property_2': 'value_2'}, 'overwrite': False}]
    response = api.exports.bulk_submit(exports=exports, copy_only=False)
    ids = [record.resource.id for record in response]
    response = wait_for(lambda: api.exports.bulk_get(exports=ids),
                        lambda records: all(
                            r.resource.state == ImportExportState.COMPLETED
                            for r in records))
    assert len(response) == 2

    response = api.files.bulk_delete(files=[reads[0]])
    assert response[0].valid
    response = api.files.bulk_get(files=[reads[0].id])
    assert response[0].error.status == 404


def test_managing_automations(sbg_api, sbg_emulator, tmp_path):
    api = sbg_api
    code = tmp_path / 'code.zip'
    with zipfile.ZipFile(code, 'w') as archive:
        archive.writestr('main.py', '')
    created = api.automations.create(name='automation_name')
    created.add_package(version='1', file_path=str(code), schema={})

    automations = api.automations.query()
    automation = api.automations.get(automations[0].id)
    packages = automation.get_packages()
    members = automation.get_members()
    member = automation.get_member('rfranklin')
    assert member in list(members) and len(packages) == 1
    username = 'jwatson'
    permissions = {'read': True, 'write': True, 'copy': True,
                   'execute': True, 'admin': True}
    new_member = automation.add_member(username, permissions)
    new_member.permissions['admin'] = False
    new_member.save()
    assert automation.get_member(username).permissions['admin'] is False
    automation.remove_member(username)

    new_run = api.automation_runs.create(
        package=packages[0], inputs={'x': 1, 'y': 2, 'z': 3})
    runs = api.automation_runs.query()
    run = api.automation_runs.get(runs[0].id)
    assert run.id == new_run.id
    assert [r.id for r in automation.get_runs(name='automation_name')] == \
        [new_run.id]
    run.stop()
    run = wait_for(lambda: api.automation_runs.get(new_run.id),
                   lambda r: r.status in ('ABORTED', 'FINISHED'))
    assert run.get_state() is not None
    other = sbg_emulator.api(token=SECOND_TOKEN)
    assert list(other.automations.query()) == []
