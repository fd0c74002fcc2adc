"""Volumes, imports, exports, DRS imports and async file jobs: the SDK
against the real emulator over HTTP."""
import os
import time

import pytest

from sevenbridges import errors
from sevenbridges.emulator.state.common import SECOND_TOKEN
from sevenbridges.models.enums import ImportExportState, VolumeAccessMode


@pytest.fixture
def project(sbg_api):
    group = sbg_api.billing_groups.query()[0]
    return sbg_api.projects.create(name='Storage', billing_group=group)


@pytest.fixture
def volume(sbg_api):
    return sbg_api.volumes.create_s3_volume(
        name='lab_bucket', bucket='lab-bucket', access_key_id='AKIAEMU',
        secret_access_key='not-checked', access_mode=VolumeAccessMode.READ_WRITE,
        description='The lab bucket')


def bucket_path(emulator, bucket, *key):
    return os.path.join(emulator.data_dir, 'buckets', bucket, *key)


def put_object(emulator, bucket, key, data):
    path = bucket_path(emulator, bucket, *key.split('/'))
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'wb') as fp:
        fp.write(data)


def wait_for(reload, done, timeout=10):
    """Reload a resource until ``done(resource)``; return it."""
    deadline = time.time() + timeout
    resource = reload()
    while not done(resource):
        assert time.time() < deadline, f'{resource} did not finish'
        time.sleep(0.05)
        resource = reload()
    return resource


def finished(job):
    return job.state in (ImportExportState.COMPLETED, ImportExportState.FAILED)


def upload(api, project, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return api.files.upload(str(path), project=project, file_name=name).result()


def test_volume_variants_are_created_without_secrets_in_answers(sbg_api):
    s3 = sbg_api.volumes.create_s3_volume(
        name='s3', bucket='b1', access_key_id='AKIA', secret_access_key='S',
        access_mode='RO', prefix='data', properties={'sse_algorithm': 'AES256'})
    assert s3.id == 'rfranklin/s3' and s3.access_mode == 'RO'
    assert s3.service['type'] == 'S3' and s3.service['prefix'] == 'data'
    assert s3.service['credentials'] == {'access_key_id': 'AKIA'}
    assert s3.service['properties'] == {'sse_algorithm': 'AES256'}
    role = sbg_api.volumes.create_s3_volume_role_auth(
        name='role', bucket='b1', role_arn='arn:aws:iam::1:role/x',
        external_id='ext', access_mode='RW')
    gcs = sbg_api.volumes.create_google_volume(
        name='gcs', bucket='g1', client_email='sa@example.org',
        private_key='KEY', access_mode='RW')
    iam = sbg_api.volumes.create_google_iam_volume(
        name='iam', bucket='g1', configuration={'type': 'external_account'},
        access_mode='RO')
    oss = sbg_api.volumes.create_oss_volume(
        name='oss', bucket='o1', endpoint='oss-eu-central-1.aliyuncs.com',
        access_key_id='LTAI', secret_access_key='S', access_mode='RW')
    assert [v.service['type'] for v in (role, gcs, iam, oss)] == \
        ['S3', 'GCS', 'GCS', 'OSS']
    assert gcs.service['credentials'] == {'client_email': 'sa@example.org'}
    assert oss.service['endpoint'] == 'oss-eu-central-1.aliyuncs.com'
    listed = {v.id for v in sbg_api.volumes.query().all()}
    assert listed == {'rfranklin/s3', 'rfranklin/role', 'rfranklin/gcs',
                      'rfranklin/iam', 'rfranklin/oss'}


def test_volume_creation_errors(sbg_api, volume):
    # The SDK checks credentials itself; the emulator checks them too.
    with pytest.raises(errors.BadRequest, match='credentials'):
        sbg_api.post(url='/storage/volumes', data={
            'name': 'v', 'access_mode': 'RW',
            'service': {'type': 'S3', 'bucket': 'b',
                        'credentials': {'access_key_id': 'A'}}})
    with pytest.raises(errors.BadRequest, match='access_mode'):
        sbg_api.post(url='/storage/volumes', data={
            'name': 'v', 'access_mode': 'rw',
            'service': {'type': 'S3', 'bucket': 'b', 'credentials': {
                'access_key_id': 'A', 'secret_access_key': 'S'}}})
    # The SDK refuses an unknown access mode before sending anything.
    with pytest.raises(errors.ValidationError,
                       match='access_mode must be one of RO, RW'):
        sbg_api.volumes.create_s3_volume(
            name='v', bucket='b', access_key_id='A', secret_access_key='S',
            access_mode='rw')
    with pytest.raises(errors.Conflict):
        sbg_api.volumes.create_s3_volume(
            name='lab_bucket', bucket='b', access_key_id='A',
            secret_access_key='S', access_mode='RW')


def test_volume_save_get_delete(sbg_api, volume):
    volume.description = 'renamed'
    volume.service['prefix'] = 'inbox'
    volume.save()
    fresh = sbg_api.volumes.get(volume.id)
    assert fresh.description == 'renamed'
    assert fresh.service['prefix'] == 'inbox'
    fresh.delete()
    with pytest.raises(errors.NotFound):
        sbg_api.volumes.get(volume.id)


def test_listing_with_prefixes_and_continuation(sbg_emulator, volume):
    for key in ('a.txt', 'b.txt', 'c.txt', 'runs/1/x.bam', 'runs/2/y.bam',
                'runs/top.txt', 'zz/q'):
        put_object(sbg_emulator, 'lab-bucket', key, key.encode())
    page = volume.list(limit=2)
    assert [o.location for o in page] == ['a.txt', 'b.txt']
    assert page.prefixes == [] and page.total == -1
    second = page.next_page()
    assert [o.location for o in second] == ['c.txt']
    assert [p.prefix for p in second.prefixes] == ['runs/']
    assert [o.location for o in volume.list().all()] == \
        ['a.txt', 'b.txt', 'c.txt']
    everything = volume.list()
    assert [p.prefix for p in everything.prefixes] == ['runs/', 'zz/']
    runs = volume.list(prefix='runs/')
    assert [o.location for o in runs] == ['runs/top.txt']
    assert [p.prefix for p in runs.prefixes] == ['runs/1/', 'runs/2/']
    with pytest.raises(errors.PaginationError):
        runs.next_page()
    info = volume.get_volume_object_info('runs/1/x.bam')
    assert (info.location, info.volume, info.type) == \
        ('runs/1/x.bam', volume.id, 'FILE')
    with pytest.raises(errors.NotFound):
        volume.get_volume_object_info('missing.txt')
    with pytest.raises(errors.BadRequest):
        volume.get_volume_object_info('../outside')


def test_volume_round_trip_export_list_import(sbg_api, sbg_emulator,
                                              project, volume, tmp_path):
    data = os.urandom(300 * 1024)
    file = upload(sbg_api, project, tmp_path, 'sample.bam', data)
    export = sbg_api.exports.submit_export(
        file=file, volume=volume, location='exports/sample.bam',
        copy_only=True)
    assert export.state == ImportExportState.PENDING
    export = wait_for(lambda: sbg_api.exports.get(export.id), finished)
    assert export.state == ImportExportState.COMPLETED, export.error
    assert export.result.id == file.id
    assert export.destination.location == 'exports/sample.bam'
    with open(bucket_path(sbg_emulator, 'lab-bucket', 'exports',
                          'sample.bam'), 'rb') as fp:
        assert fp.read() == data
    listed = volume.list(prefix='exports/')
    assert [o.location for o in listed] == ['exports/sample.bam']

    imported = sbg_api.imports.submit_import(
        volume=volume, location=listed[0].location, project=project,
        name='back.bam')
    imported = wait_for(lambda: sbg_api.imports.get(imported.id), finished)
    assert imported.state == ImportExportState.COMPLETED, imported.error
    back = imported.result
    assert back.name == 'back.bam' and back.size == len(data)
    assert back.storage.type == 'VOLUME'
    assert back.storage.volume == volume.id
    target = tmp_path / 'downloaded.bam'
    back.download(str(target))
    assert target.read_bytes() == data
    assert [i.id for i in volume.get_imports()] == [imported.id]
    assert [e.id for e in volume.get_exports()] == [export.id]
    assert [i.id for i in sbg_api.imports.query(
        project=project, state=ImportExportState.COMPLETED)] == [imported.id]


def test_export_without_copy_moves_the_file_to_the_volume(
        sbg_api, project, volume, tmp_path):
    file = upload(sbg_api, project, tmp_path, 'moved.txt', b'moved bytes')
    export = sbg_api.exports.submit_export(file=file, volume=volume,
                                           location='moved.txt')
    export = wait_for(lambda: sbg_api.exports.get(export.id), finished)
    assert export.state == ImportExportState.COMPLETED
    file.reload()
    assert file.storage.type == 'VOLUME'
    assert file.storage.location == 'moved.txt'


def test_export_conflicts_fail_the_job_unless_overwrite(
        sbg_api, sbg_emulator, project, volume, tmp_path):
    put_object(sbg_emulator, 'lab-bucket', 'taken.txt', b'old')
    file = upload(sbg_api, project, tmp_path, 'new.txt', b'new')
    failed = sbg_api.exports.submit_export(file=file, volume=volume,
                                           location='taken.txt',
                                           copy_only=True)
    failed = wait_for(lambda: sbg_api.exports.get(failed.id), finished)
    assert failed.state == ImportExportState.FAILED
    assert failed.error.status == 409 and 'exists' in failed.error.message
    done = sbg_api.exports.submit_export(file=file, volume=volume,
                                         location='taken.txt',
                                         copy_only=True, overwrite=True)
    wait_for(lambda: sbg_api.exports.get(done.id), finished)
    with open(bucket_path(sbg_emulator, 'lab-bucket', 'taken.txt'),
              'rb') as fp:
        assert fp.read() == b'new'


def test_export_refused_on_read_only_volume(sbg_api, project, tmp_path):
    ro = sbg_api.volumes.create_s3_volume(
        name='ro', bucket='ro', access_key_id='A', secret_access_key='S',
        access_mode='RO')
    file = upload(sbg_api, project, tmp_path, 'f.txt', b'x')
    with pytest.raises(errors.BadRequest, match='read-only'):
        sbg_api.exports.submit_export(file=file, volume=ro, location='f.txt')


def test_import_name_conflicts_overwrite_and_autorename(
        sbg_api, sbg_emulator, project, volume, tmp_path):
    put_object(sbg_emulator, 'lab-bucket', 'reads.fq', b'volume bytes')
    upload(sbg_api, project, tmp_path, 'reads.fq', b'project bytes')

    def run(**kwargs):
        job = sbg_api.imports.submit_import(volume=volume, location='reads.fq',
                                            project=project, **kwargs)
        return wait_for(lambda: sbg_api.imports.get(job.id), finished)

    conflict = run()
    assert conflict.state == ImportExportState.FAILED
    assert conflict.error.status == 409
    renamed = run(autorename=True)
    assert renamed.result.name == '_1_reads.fq'
    assert renamed.autorename is True
    overwritten = run(overwrite=True)
    assert overwritten.result.name == 'reads.fq'
    names = sorted(f.name for f in sbg_api.files.query(project=project))
    assert names == ['_1_reads.fq', 'reads.fq']


def test_folder_import_keeps_or_flattens_the_structure(
        sbg_api, sbg_emulator, project, volume):
    for key in ('run1/a.txt', 'run1/lane1/b.txt', 'run1/lane2/c.txt'):
        put_object(sbg_emulator, 'lab-bucket', key, key.encode())
    kept = sbg_api.imports.submit_import(volume=volume, location='run1/',
                                         project=project)
    kept = wait_for(lambda: sbg_api.imports.get(kept.id), finished)
    assert kept.state == ImportExportState.COMPLETED, kept.error
    assert kept.preserve_folder_structure is True
    folder = kept.result
    assert folder.is_folder() and folder.name == 'run1'
    tree = sorted((f.name, f.type) for f in folder.list_files())
    assert tree == [('a.txt', 'file'), ('lane1', 'folder'),
                    ('lane2', 'folder')]
    lane1 = [f for f in folder.list_files() if f.name == 'lane1'][0]
    assert [f.name for f in lane1.list_files()] == ['b.txt']

    flat = sbg_api.imports.submit_import(
        volume=volume, location='run1', project=project, name='flat',
        preserve_folder_structure=False)
    flat = wait_for(lambda: sbg_api.imports.get(flat.id), finished)
    assert sorted(f.name for f in flat.result.list_files()) == \
        ['a.txt', 'b.txt', 'c.txt']


def test_import_into_a_parent_folder(sbg_api, sbg_emulator, project, volume):
    put_object(sbg_emulator, 'lab-bucket', 'x.txt', b'x')
    folder = sbg_api.files.create_folder(name='inbox', project=project)
    job = sbg_api.imports.submit_import(volume=volume, location='x.txt',
                                        parent=folder)
    job = wait_for(lambda: sbg_api.imports.get(job.id), finished)
    assert job.result.parent == folder.id
    assert job.destination.project == project.id


def test_bulk_import_with_mixed_outcomes(sbg_api, sbg_emulator, project,
                                         volume):
    put_object(sbg_emulator, 'lab-bucket', 'ok1.txt', b'1')
    put_object(sbg_emulator, 'lab-bucket', 'ok2.txt', b'22')
    records = sbg_api.imports.bulk_submit([
        {'volume': volume, 'location': 'ok1.txt', 'project': project},
        {'volume': volume, 'location': 'missing.txt', 'project': project},
        {'volume': volume, 'location': 'ok2.txt', 'project': project,
         'name': 'renamed.txt'},
        {'volume': 'rfranklin/no_such_volume', 'location': 'ok1.txt',
         'project': project},
    ])
    assert [r.valid for r in records] == [True, False, True, False]
    assert records[1].error.status == 404
    assert records[3].error.status == 404
    ids = [r.resource.id for r in records if r.valid]
    done = wait_for(lambda: sbg_api.imports.bulk_get(ids),
                    lambda rs: all(finished(r.resource) for r in rs))
    assert [r.resource.result.name for r in done] == ['ok1.txt',
                                                      'renamed.txt']
    assert [r.resource.result.size for r in done] == [1, 2]
    unknown = sbg_api.imports.bulk_get(['0' * 24])
    assert not unknown[0].valid and unknown[0].error.status == 404


def test_bulk_export(sbg_api, sbg_emulator, project, volume, tmp_path):
    one = upload(sbg_api, project, tmp_path, 'one.txt', b'one')
    two = upload(sbg_api, project, tmp_path, 'two.txt', b'two')
    records = sbg_api.exports.bulk_submit([
        {'file': one, 'volume': volume, 'location': 'bulk/one.txt'},
        {'file': two, 'volume': volume, 'location': 'bulk/two.txt'},
        {'file': '0' * 24, 'volume': volume, 'location': 'bulk/x.txt'},
    ], copy_only=True)
    assert [r.valid for r in records] == [True, True, False]
    ids = [r.resource for r in records[:2]]
    done = wait_for(lambda: sbg_api.exports.bulk_get(ids),
                    lambda rs: all(finished(r.resource) for r in rs))
    assert {r.resource.state for r in done} == {ImportExportState.COMPLETED}
    assert [o.location for o in volume.list(prefix='bulk/')] == \
        ['bulk/one.txt', 'bulk/two.txt']


def test_volume_members(sbg_api, sbg_emulator, volume):
    assert [m.username for m in volume.get_members()] == ['rfranklin']
    member = volume.add_member('jwatson', {'read': True, 'copy': True,
                                           'write': False, 'admin': False})
    assert member.permissions['read'] and not member.permissions['write']
    watson = sbg_emulator.api(token=SECOND_TOKEN)
    assert watson.volumes.get(volume.id).name == 'lab_bucket'
    with pytest.raises(errors.Forbidden):
        seen = watson.volumes.get(volume.id)
        seen.description = 'not mine'
        seen.save()
    member = volume.get_member('jwatson')
    member.permissions['write'] = True
    member.save()
    assert volume.get_member('jwatson').permissions['write'] is True
    volume.remove_member('jwatson')
    with pytest.raises(errors.NotFound):
        watson.volumes.get(volume.id)


def test_drs_bulk_import_with_mixed_outcomes(sbg_api, project, tmp_path):
    source = upload(sbg_api, project, tmp_path, 'source.vcf', b'##vcf\n')
    target = sbg_api.projects.create(name='DRS target')
    job = sbg_api.drs_imports.bulk_submit([
        {'drs_uri': f'drs://emulator.local/{source.id}', 'project': target,
         'name': 'imported.vcf', 'metadata': {'sample_id': 'S1'}},
        {'drs_uri': 'drs://emulator.local/no-such-object',
         'project': target},
    ], tags=['drs'])
    assert job.state == 'PENDING'
    job = wait_for(lambda: sbg_api.drs_imports.bulk_get(job.id),
                   lambda j: j.state in ('COMPLETED', 'FAILED'))
    assert job.state == 'COMPLETED'
    ok, missing = job.result
    assert ok.resource.name == 'imported.vcf'
    assert missing.error.status == 404
    imported = sbg_api.files.get(ok.resource.id)
    assert imported.tags == ['drs'] and imported.metadata['sample_id'] == 'S1'
    assert imported.content() == '##vcf\n'


def test_async_copy_move_delete_jobs(sbg_api, project, tmp_path):
    one = upload(sbg_api, project, tmp_path, 'one.txt', b'1')
    two = upload(sbg_api, project, tmp_path, 'two.txt', b'2')
    folder = sbg_api.files.create_folder(name='dest', project=project)

    def run(start, get):
        job = start()
        assert job.state == 'SUBMITTED'
        return wait_for(lambda: get(job.id), lambda j: j.state == 'FINISHED')

    copied = run(lambda: sbg_api.async_jobs.file_bulk_copy([
        {'file': one.id, 'parent': folder.id, 'name': 'one-copy.txt'},
        {'file': '0' * 24, 'parent': folder.id}]),
        sbg_api.async_jobs.get_file_copy_job)
    assert (copied.total_files, copied.completed_files,
            copied.failed_files) == (2, 1, 1)
    result = copied.get_result()
    assert result[0].resource.name == 'one-copy.txt'
    assert not result[1].valid and result[1].error.status == 404

    moved = run(lambda: sbg_api.async_jobs.file_bulk_move([
        {'file': two.id, 'parent': folder.id}]),
        sbg_api.async_jobs.get_file_move_job)
    assert moved.get_result()[0].resource.parent == folder.id

    deleted = run(lambda: sbg_api.async_jobs.file_bulk_delete([
        {'file': one.id}]), sbg_api.async_jobs.get_file_delete_job)
    assert deleted.completed_files == 1
    with pytest.raises(errors.NotFound):
        sbg_api.files.get(one.id)
    assert {j.type for j in sbg_api.async_jobs.list_file_jobs().all()} == \
        {'COPY', 'MOVE', 'DELETE'}
    with pytest.raises(errors.NotFound):
        sbg_api.async_jobs.get_file_move_job(copied.id)


def test_deleting_a_project_removes_its_files_bytes(sbg_api, sbg_emulator,
                                                    tmp_path):
    group = sbg_api.billing_groups.query()[0]
    doomed = sbg_api.projects.create(name='Doomed', billing_group=group)
    kept = sbg_api.projects.create(name='Kept', billing_group=group)
    source = tmp_path / 'a.txt'
    source.write_bytes(b'bytes that take room')
    gone = sbg_api.files.upload(str(source), project=doomed).result()
    stays = sbg_api.files.upload(str(source), project=kept).result()
    blobs = os.path.join(sbg_emulator.data_dir, 'blobs')
    assert {gone.id, stays.id} <= set(os.listdir(blobs))
    doomed.delete()
    assert stays.id in os.listdir(blobs)
    assert gone.id not in os.listdir(blobs)
    with pytest.raises(errors.NotFound):
        sbg_api.files.get(gone.id)


def test_an_overwritten_file_frees_its_bytes_off_the_request_path(
        sbg_api, sbg_emulator, tmp_path):
    group = sbg_api.billing_groups.query()[0]
    project = sbg_api.projects.create(name='Overwritten',
                                      billing_group=group)
    source = tmp_path / 'a.txt'
    source.write_bytes(b'first bytes')
    first = sbg_api.files.upload(str(source), project=project).result()
    source.write_bytes(b'second bytes, longer')
    second = sbg_api.files.upload(str(source), project=project,
                                  overwrite=True).result()
    blobs = os.path.join(sbg_emulator.data_dir, 'blobs')
    # The replaced bytes are gone from their place when the upload answers.
    assert first.id not in os.listdir(blobs)
    assert second.id in os.listdir(blobs)
    sbg_emulator.state.files.blobs.close()
    assert os.listdir(os.path.join(blobs, '.removed')) == []
    assert [f.id for f in sbg_api.files.query(project=project)] == \
        [second.id]
    target = tmp_path / 'back.txt'
    second.download(str(target))
    assert target.read_bytes() == b'second bytes, longer'
