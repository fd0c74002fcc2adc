"""The SDK against the real emulator over HTTP."""
import json
import os
import signal
import subprocess
import sys

import pytest

import sevenbridges as sbg
from sevenbridges import errors
from sevenbridges.emulator.state.common import SECOND_TOKEN
from sevenbridges.models.enums import TaskStatus

MIB = 1024 * 1024


@pytest.fixture
def project(sbg_api):
    group = sbg_api.billing_groups.query()[0]
    return sbg_api.projects.create(name='E2E', billing_group=group,
                                   tags=['e2e'])


def write(tmp_path, name, size):
    path = tmp_path / name
    path.write_bytes(os.urandom(size))
    return path


def test_who_am_i_and_endpoints(sbg_api, sbg_emulator):
    me = sbg_api.users.me()
    assert (me.username, me.email) == ('rfranklin', 'rosalind@example.org')
    assert sbg_api.users.get('jwatson').username == 'jwatson'
    assert sbg_api.endpoints.get().files_url == sbg_emulator.url + '/files'
    assert sbg_api.rate_limit.get().rate.limit == 10000
    assert 0 < sbg_api.remaining < 10000 and sbg_api.request_id


def test_bad_token_is_unauthorized(sbg_emulator):
    api = sbg_emulator.api(token='wrong')
    with pytest.raises(errors.Unauthorized):
        api.users.me()


def test_missing_resources_are_not_found(sbg_api):
    with pytest.raises(errors.NotFound):
        sbg_api.projects.get('rfranklin/nothing')
    with pytest.raises(errors.NotFound):
        sbg_api.files.get('000000000000000000000000')


def test_projects_lifecycle(sbg_api, project):
    assert project.id == 'rfranklin/e2e'
    assert sbg_api.projects.get(project.id).tags == ['e2e']
    project.description = 'changed'
    project.settings['locked'] = True
    project.save()
    fresh = sbg_api.projects.get(project.id)
    assert fresh.description == 'changed' and fresh.settings['locked']
    assert project in list(sbg_api.projects.query(tags=['e2e']))
    twin = sbg_api.projects.create(name='E2E')
    assert (twin.id, twin.name) == ('rfranklin/e2e-1', 'E2E')
    project.delete()
    with pytest.raises(errors.NotFound):
        sbg_api.projects.get(project.id)


def test_permissions_are_enforced(sbg_api, sbg_emulator, project):
    other = sbg_emulator.api(token=SECOND_TOKEN)
    with pytest.raises(errors.NotFound):
        other.projects.get(project.id)
    project.add_member('jwatson', permissions={'read': True,
                                               'write': False})
    seen = other.projects.get(project.id)
    assert seen.id == project.id
    with pytest.raises(errors.Forbidden):
        other.files.create_folder('nope', project=project.id)
    member = project.get_member('jwatson')
    member.permissions['write'] = True
    member.save()
    assert other.files.create_folder('yes', project=project.id).name == 'yes'


def test_pagination_across_pages(sbg_api, project):
    for index in range(7):
        sbg_api.files.create_folder(f'folder{index}', project=project)
    page = sbg_api.files.query(project=project, limit=3)
    assert page.total == 7 and len(page) == 3
    assert [f.name for f in page.all()] == [f'folder{i}' for i in range(7)]
    assert [f.name for f in page.next_page().previous_page()] == \
        ['folder0', 'folder1', 'folder2']


@pytest.mark.parametrize('size', [0, 1, 5 * MIB - 1, 5 * MIB + 1,
                                  11 * MIB])
def test_upload_download_round_trip(sbg_api, project, tmp_path, size):
    source = write(tmp_path, 'data.bin', size)
    uploaded = sbg_api.files.upload(str(source), project=project,
                                    part_size=5 * MIB).result()
    assert uploaded.size == size
    target = tmp_path / 'back.bin'
    uploaded.download(str(target))
    assert target.read_bytes() == source.read_bytes()
    assert b''.join(uploaded.stream()) == source.read_bytes()


def test_files_metadata_tags_folders(sbg_api, project, tmp_path):
    source = write(tmp_path, 'r1.fastq', 100)
    file = sbg_api.files.upload(str(source), project=project).result()
    file.metadata['sample_id'] = 'S1'
    file.tags = ['raw']
    file.save()
    assert dict(sbg_api.files.get(file.id).metadata) == {'sample_id': 'S1'}
    found = sbg_api.files.query(project=project, metadata={'sample_id':
                                                           'S1'})
    assert [f.id for f in found] == [file.id]
    file.metadata = {'other': 'x'}
    file.save()
    assert dict(file.metadata) == {'other': 'x'}
    folder = sbg_api.files.create_folder('reads', project=project)
    moved = file.move_to_folder(folder, name='moved.fastq')
    assert [f.name for f in folder.list_files()] == ['moved.fastq']
    copy = moved.copy_to_folder(folder, name='copy.fastq')
    assert {f.name for f in folder.walk()} == {'moved.fastq', 'copy.fastq'}
    records = sbg_api.files.bulk_get([moved, copy, 'missing' * 3])
    assert [r.valid for r in records] == [True, True, False]
    assert sbg_api.files.upload(str(source), project=project,
                                overwrite=True).result().name == 'r1.fastq'
    with pytest.raises(errors.SbgError):
        sbg_api.files.upload(str(source), project=project)


def test_apps_and_tasks(sbg_api, project, tmp_path):
    reads = sbg_api.files.upload(str(write(tmp_path, 'r.fq', 1000)),
                                 project=project).result()
    cwl = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool',
           'inputs': [{'id': 'reads', 'type': 'File'}],
           'outputs': [{'id': 'counts', 'type': 'File'}]}
    app = sbg_api.apps.install_app(id=f'{project.id}/counter', raw=cwl)
    assert (app.id, app.revision) == (f'{project.id}/counter', 0)
    second = sbg_api.apps.create_revision(f'{project.id}/counter', 1, cwl)
    assert second.revision == 1
    with pytest.raises(errors.TaskValidationError) as info:
        sbg_api.tasks.create(name='broken', project=project, app=app,
                             run=True)
    assert 'reads' in info.value.task.errors
    task = sbg_api.tasks.create(name='count', project=project, app=app,
                                inputs={'reads': reads})
    assert task.status == TaskStatus.DRAFT
    task.name = 'count it'
    task.save()
    task.run()
    task.wait(period=0.05)
    assert task.status == TaskStatus.COMPLETED
    output = task.outputs['counts']
    assert 'r.fq' in output.content()
    assert task.get_execution_details().jobs[0].status == 'COMPLETED'
    assert [t.id for t in project.get_tasks(status='COMPLETED')] == [task.id]


def test_batch_and_abort(sbg_api, project, tmp_path):
    files = [sbg_api.files.upload(str(write(tmp_path, f'r{i}.fq', 10)),
                                  project=project).result()
             for i in range(3)]
    batch = sbg_api.tasks.create(
        name='qc', project=project, app='admin/sbg-public-data/fastqc-lite',
        inputs={'reads': files}, batch_input='reads',
        batch_by={'type': 'ITEM'}, run=True)
    batch.wait(period=0.05)
    assert batch.status == TaskStatus.COMPLETED
    assert len(batch.get_batch_children()) == 3
    slow = sbg_api.tasks.create(
        name='slow', project=project, app='admin/sbg-public-data/fastqc-lite',
        inputs={'reads': files[0]}, run=True)
    slow.abort()
    assert slow.status == TaskStatus.ABORTED


def test_public_data_is_readable_not_writable(sbg_api, project):
    reference = sbg_api.files.query(project='admin/sbg-public-data',
                                    names=['chrM_fragment.fasta'])[0]
    assert reference.content().startswith('>chrM_fragment')
    assert reference.copy(project=project).project == project.id
    with pytest.raises(errors.Forbidden):
        reference.metadata['x'] = 'y'
        reference.save()


def test_command_line(tmp_path):
    process = subprocess.Popen(
        [sys.executable, '-m', 'sevenbridges.emulator', '--data-dir',
         str(tmp_path / 'state'), '--token', 'cli-token'],
        stdout=subprocess.PIPE, text=True)
    try:
        ready = json.loads(process.stdout.readline())
        api = sbg.Api(url=ready['url'], token=ready['token'])
        assert ready['token'] == 'cli-token'
        assert ready['storage_url'].startswith('http://127.0.0.1:')
        group = api.billing_groups.query()[0]
        api.projects.create(name='kept', billing_group=group)
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(10) == 0
    # The data directory keeps the state across restarts.
    process = subprocess.Popen(
        [sys.executable, '-m', 'sevenbridges.emulator', '--data-dir',
         str(tmp_path / 'state'), '--token', 'cli-token'],
        stdout=subprocess.PIPE, text=True)
    try:
        ready = json.loads(process.stdout.readline())
        api = sbg.Api(url=ready['url'], token=ready['token'])
        assert api.projects.get('rfranklin/kept').name == 'kept'
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0


def test_continuation_tokens_and_app_sync(sbg_api, project):
    for index in range(5):
        sbg_api.files.create_folder(f'f{index}', project=project)
    page = sbg_api.files.query(project=project, cont_token='init', limit=2)
    assert [f.name for f in page.all()] == [f'f{i}' for i in range(5)]
    source = sbg_api.apps.get('admin/sbg-public-data/file-report')
    copy = source.copy(project=project, name='my-report')
    assert copy.id == f'{project.id}/my-report'
    synced = copy.sync()
    assert synced.revision == copy.revision + 1


def test_task_query_filters(sbg_api, project, tmp_path):
    from datetime import datetime, timedelta, timezone
    reads = sbg_api.files.upload(str(write(tmp_path, 'r.fq', 10)),
                                 project=project).result()
    app = 'admin/sbg-public-data/fastqc-lite'
    first = sbg_api.tasks.create(name='b-first', project=project, app=app,
                                 inputs={'reads': reads})
    second = sbg_api.tasks.create(name='a-second', project=project, app=app,
                                  inputs={'reads': reads}, run=True)
    second.wait(period=0.05)
    assert [t.id for t in sbg_api.tasks.query(
        project=project, status='DRAFT')] == [first.id]
    past = datetime.now(timezone.utc) - timedelta(hours=1)
    assert len(sbg_api.tasks.query(project=project, created_from=past)) == 2
    assert list(sbg_api.tasks.query(project=project,
                                    ended_from=past)) == [second]
    names = [t.name for t in sbg_api.tasks.query(
        project=project, order_by='name', order='asc')]
    assert names == ['a-second', 'b-first']
