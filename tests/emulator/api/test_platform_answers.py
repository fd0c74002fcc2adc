"""The emulator answers as the platform does (project ids, billing groups,
members, folders, copies, apps' raw JSON and listing, part sizes, rate
limits, invalid bodies, search, bulk task reads): the SDK and raw HTTP
against the real emulator."""
import datetime
import time

import pytest
import requests

from sevenbridges import errors
from sevenbridges.emulator import Emulator
from sevenbridges.emulator.state.common import SECOND_TOKEN
from tests.e2e.test_emulator_storage import put_object, upload, wait_for

MIB = 1024 * 1024
TOOL = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': 'Align',
        'baseCommand': ['true'], 'inputs': [], 'outputs': [],
        'sbg:toolkit': 'bwa', 'sbg:categories': ['Alignment'],
        'description': 'Aligns short reads.'}


@pytest.fixture
def project(sbg_api):
    return sbg_api.projects.create(name='Platform')


@pytest.fixture
def http(sbg_emulator):
    """A raw HTTP client of the emulator's API (user ``rfranklin``)."""
    session = requests.Session()
    session.headers['X-SBG-Auth-Token'] = sbg_emulator.token

    def call(method, path, **kwargs):
        return session.request(method, sbg_emulator.url + path, **kwargs)

    return call


def test_project_ids_are_short_names_with_a_number_when_taken(sbg_api):
    ccle = sbg_api.projects.create(
        name='Cancer Cell Line Encyclopedia (CCLE)')
    assert ccle.id == 'rfranklin/cancer-cell-line-encyclopedia-ccle'
    again = sbg_api.projects.create(
        name='Cancer Cell Line Encyclopedia (CCLE)')
    assert again.id == 'rfranklin/cancer-cell-line-encyclopedia-ccle-1'
    assert sbg_api.projects.create(name='a  --  b').id == 'rfranklin/a-b'
    assert sbg_api.projects.create(name='  Trim_me! ').id == \
        'rfranklin/trim-me'
    with pytest.raises(errors.BadRequest, match='letter or a digit'):
        sbg_api.projects.create(name='(!)')
    app = sbg_api.apps.install_app(f'{ccle.id}/align', TOOL)
    assert app.id == 'rfranklin/cancer-cell-line-encyclopedia-ccle/align'


def test_a_project_without_billing_group_gets_the_users_first(sbg_api):
    first = sbg_api.billing_groups.query()[0]
    project = sbg_api.projects.create(name='No group given')
    assert project.billing_group == first.id
    assert {p.billing_group for p in sbg_api.projects.query().all()} == \
        {first.id}


def test_a_user_without_billing_group_is_told_which_field_is_missing():
    with Emulator(preload={'users': [{'username': 'dave',
                                      'token': 'dave-token'}]}) as emu:
        with pytest.raises(errors.BadRequest, match='billing_group'):
            emu.api(token='dave-token').projects.create(name='Mine')


def test_teams_and_divisions_are_project_members(sbg_api, sbg_emulator,
                                                 project):
    watson = sbg_emulator.api(token=SECOND_TOKEN)
    with pytest.raises(errors.NotFound):
        watson.projects.get(project.id)
    division = project.add_member_division(
        'emulated-division', permissions={'read': True, 'write': False})
    assert (division.type, division.id) == ('DIVISION', 'emulated-division')
    assert watson.projects.get(project.id).id == project.id
    with pytest.raises(errors.Forbidden):
        watson.files.create_folder('nope', project=project.id)
    team = sbg_api.teams.create(name='Writers', division='emulated-division')
    team.add_member('jwatson')
    project.add_member_team(team, permissions={'read': True, 'write': True})
    assert {m.type for m in project.get_members()} == \
        {'USER', 'DIVISION', 'TEAM'}
    with pytest.raises(errors.NotFound):
        project.add_member_division('no-such-division',
                                    permissions={'read': True})


@pytest.mark.parametrize('kind', ['folder', 'FOLDER', 'Folder'])
def test_folders_are_created_with_raw_rest_calls_in_any_case(
        sbg_api, http, project, kind):
    answer = http('POST', '/files', json={'name': 'raw', 'type': kind,
                                          'project': project.id})
    assert answer.status_code == 201
    assert answer.json()['type'] == 'folder'
    [folder] = sbg_api.files.query(project=project, names=['raw'])
    assert folder.is_folder() and folder.id == answer.json()['id']
    refused = http('POST', '/files', json={'name': 'x', 'type': 'FILE',
                                           'project': project.id})
    assert refused.status_code == 400
    assert set(refused.json()) == {'status', 'code', 'message', 'more_info'}


def test_copies_never_touch_an_existing_file(sbg_api, project, tmp_path):
    other = sbg_api.projects.create(name='Other')
    source = upload(sbg_api, project, tmp_path, 'reads.fq', b'new bytes')
    kept = upload(sbg_api, other, tmp_path, 'reads.fq', b'old bytes')

    first = source.copy(project=other.id)
    second = source.copy(project=other.id)
    assert (first.name, second.name) == ('1_reads.fq', '2_reads.fq')
    named = source.copy(project=other.id, name='reads.fq')
    assert named.name == '3_reads.fq'
    assert sbg_api.files.get(kept.id).content() == 'old bytes'

    folder = sbg_api.files.create_folder('dest', project=other)
    in_folder = source.copy_to_folder(parent=folder)
    again = source.copy_to_folder(parent=folder, name='reads.fq')
    assert (in_folder.name, again.name) == ('reads.fq', '1_reads.fq')
    assert sbg_api.files.get(in_folder.id).content() == 'new bytes'

    answer = sbg_api.actions.bulk_copy_files([source.id], other.id)
    assert answer[source.id]['status'] == 'OK'
    assert answer[source.id]['new_file_name'] == '4_reads.fq'
    names = sorted(f.name for f in sbg_api.files.query(project=other).all())
    assert names == ['1_reads.fq', '2_reads.fq', '3_reads.fq',
                     '4_reads.fq', 'dest', 'reads.fq']
    assert sbg_api.files.get(kept.id).content() == 'old bytes'


def test_moves_to_a_taken_name_are_refused(sbg_api, project, tmp_path):
    folder = sbg_api.files.create_folder('dest', project=project)
    moving = upload(sbg_api, project, tmp_path, 'a.txt', b'moving')
    there = sbg_api.files.get(moving.copy_to_folder(parent=folder).id)
    with pytest.raises(errors.Conflict):
        moving.move_to_folder(parent=folder)
    assert there.content() == 'moving' and moving.reload().parent != folder.id
    renamed = moving.move_to_folder(parent=folder, name='b.txt')
    assert (renamed.name, renamed.parent) == ('b.txt', folder.id)
    renamed = sbg_api.files.get(renamed.id)
    renamed.name = 'a.txt'
    with pytest.raises(errors.Conflict):
        renamed.save()
    assert sbg_api.files.get(renamed.id).name == 'b.txt'


def test_async_copies_rename_and_async_moves_refuse_taken_names(
        sbg_api, project, tmp_path):
    folder = sbg_api.files.create_folder('dest', project=project)
    source = upload(sbg_api, project, tmp_path, 'a.txt', b'source')
    existing = sbg_api.files.get(source.copy_to_folder(parent=folder).id)

    def finished(job, get):
        return wait_for(lambda: get(job.id), lambda j: j.state == 'FINISHED')

    copied = finished(sbg_api.async_jobs.file_bulk_copy(
        [{'file': source.id, 'parent': folder.id}]),
        sbg_api.async_jobs.get_file_copy_job)
    assert copied.get_result()[0].resource.name == '1_a.txt'
    moved = finished(sbg_api.async_jobs.file_bulk_move(
        [{'file': source.id, 'parent': folder.id}]),
        sbg_api.async_jobs.get_file_move_job)
    assert moved.get_result()[0].error.status == 409
    assert existing.reload().content() == 'source'
    assert sbg_api.files.get(source.id).parent == project.root_folder


def test_imports_never_touch_an_existing_file_unless_overwriting(
        sbg_api, sbg_emulator, project, tmp_path):
    volume = sbg_api.volumes.create_s3_volume(
        name='vol', bucket='vol', access_key_id='A', secret_access_key='S',
        access_mode='RO')
    put_object(sbg_emulator, 'vol', 'reads.fq', b'volume bytes')
    kept = upload(sbg_api, project, tmp_path, 'reads.fq', b'project bytes')

    def imported(**kwargs):
        job = sbg_api.imports.submit_import(volume=volume, project=project,
                                            location='reads.fq', **kwargs)
        return wait_for(lambda: sbg_api.imports.get(job.id),
                        lambda j: j.state in ('COMPLETED', 'FAILED'))

    assert imported().error.status == 409
    assert imported(autorename=True).result.name == '_1_reads.fq'
    assert sbg_api.files.get(kept.id).content() == 'project bytes'


def test_installed_apps_carry_the_platforms_keys(sbg_api, sbg_emulator,
                                                project):
    forged = dict(TOOL, **{'sbg:createdBy': 'mallory', 'sbg:revision': 9,
                           'sbg:id': 'x/y/z/9', 'id': 'forged'})
    before = int(time.time())
    app = sbg_api.apps.install_app(f'{project.id}/align', forged)
    raw = app.raw
    assert raw['sbg:id'] == f'{project.id}/align/0'
    assert (raw['sbg:revision'], raw['sbg:latestRevision']) == (0, 0)
    assert raw['sbg:project'] == project.id
    assert raw['sbg:createdBy'] == raw['sbg:modifiedBy'] == 'rfranklin'
    assert before <= raw['sbg:createdOn'] <= raw['sbg:modifiedOn'] <= \
        int(time.time())
    assert raw['sbg:contributors'] == ['rfranklin']
    assert raw['sbg:appVersion'] == ['v1.0']
    assert raw['sbg:validationErrors'] == []
    assert raw['id'].endswith(f'/apps/{project.id}/align/0/raw/')
    assert raw['sbg:toolkit'] == 'bwa'
    assert app.name == 'Align'

    project.add_member('jwatson', permissions={'read': True, 'write': True})
    sbg_api.apps.create_revision(
        f'{project.id}/align', 1,
        dict(TOOL, label='Align v2', **{'sbg:revisionNotes': 'faster'}))
    watson = sbg_emulator.api(token=SECOND_TOKEN)
    second = watson.apps.create_revision(f'{project.id}/align', 2, TOOL)
    raw = second.raw
    assert (raw['sbg:revision'], raw['sbg:latestRevision']) == (2, 2)
    assert raw['sbg:createdBy'] == 'rfranklin'
    assert raw['sbg:modifiedBy'] == 'jwatson'
    assert raw['sbg:contributors'] == ['rfranklin', 'jwatson']
    assert [(r['sbg:revision'], r['sbg:modifiedBy'], r['sbg:revisionNotes'])
            for r in raw['sbg:revisionsInfo']] == [
        (0, 'rfranklin', None), (1, 'rfranklin', 'faster'),
        (2, 'jwatson', None)]
    old = sbg_api.apps.get_revision(f'{project.id}/align', 0)
    assert old.raw['sbg:latestRevision'] == 2
    copy = sbg_api.apps.get(f'{project.id}/align').copy(
        project=sbg_api.projects.create(name='Copies').id)
    assert copy.raw['sbg:copyOf'] == f'{project.id}/align/2'


def test_app_listing_follows_visibility_and_filters(sbg_api, http, project):
    other = sbg_api.projects.create(name='Other')
    sbg_api.apps.install_app(f'{project.id}/align', TOOL)
    sbg_api.apps.install_app(f'{other.id}/sort', dict(
        TOOL, label='Sort', description='Sorts alignments.',
        **{'sbg:toolkit': 'samtools', 'sbg:categories': ['Utilities']}))
    mine = {a.id for a in sbg_api.apps.query().all()}
    assert mine == {f'{project.id}/align', f'{other.id}/sort'}
    public = {a.id for a in sbg_api.apps.query(visibility='public').all()}
    assert public == {'admin/sbg-public-data/file-report',
                      'admin/sbg-public-data/fastqc-lite'}
    assert [a.id for a in sbg_api.apps.query(id=f'{other.id}/sort')] == \
        [f'{other.id}/sort']
    assert [a.id for a in sbg_api.apps.query(id=f'{other.id}/sort/0')] == \
        [f'{other.id}/sort']
    assert [a.id for a in sbg_api.apps.query(project=other)] == \
        [f'{other.id}/sort']
    assert [a.name for a in sbg_api.apps.query(q='samtools')] == ['Sort']
    assert [a.name for a in sbg_api.apps.query(q='SHORT reads')] == \
        ['Align']
    assert [a.name for a in sbg_api.apps.query(q=['utilities', 'sort'])] \
        == ['Sort']
    assert list(sbg_api.apps.query(q='alignment nothing')) == []
    assert [a.name for a in sbg_api.apps.query(visibility='public',
                                               q='fastqc')] == \
        ['FastQC (emulated)']
    owned = http('GET', '/apps', params={'project_owner': 'admin',
                                         'visibility': 'public'}).json()
    assert len(owned['items']) == 2
    assert http('GET', '/apps', params={'project_owner': 'jwatson'}).json()[
        'items'] == []


def _start_upload(http, path, size, part_size=None, **extra):
    body = dict({'name': 'big.bin', 'size': size}, **extra)
    if part_size is not None:
        body['part_size'] = part_size
    return http('POST', path, json=body)


@pytest.mark.parametrize('path', ['/upload/multipart', '/automation/upload'])
def test_part_sizes_are_corrected_as_the_platform_does(http, project, path):
    extra = {'project': project.id} if path == '/upload/multipart' else {}

    def part_size(size, asked=None):
        answer = _start_upload(http, path, size, asked, **extra)
        assert answer.status_code == 200, answer.json()
        return answer.json()['part_size']

    assert part_size(1024, 1) == 5 * MIB
    assert part_size(20 * MIB, 8 * MIB) == 8 * MIB
    assert part_size(6 * 1024 * MIB, 6 * 1024 * MIB) == 5 * 1024 * MIB
    assert part_size(100 * 1024 * MIB, 5 * MIB) == 11 * MIB
    five_tib = 5 * 1024 * 1024 * MIB
    assert part_size(five_tib, 1) == 525 * MIB
    refused = _start_upload(http, path, five_tib + 1, **extra)
    assert refused.status_code == 400
    assert 'size' in refused.json()['message']
    refused = _start_upload(http, path, 10 * 1024 * 1024 * MIB, **extra)
    assert refused.status_code == 400


def test_the_sdk_uploads_with_the_part_size_it_is_given(
        sbg_api, sbg_emulator, project, tmp_path):
    path = tmp_path / 'twelve.bin'
    path.write_bytes(bytes(range(256)) * (12 * MIB // 256))
    uploaded = sbg_api.files.upload(str(path), project=project,
                                    part_size=1).result()
    assert uploaded.size == 12 * MIB
    parts = sorted(int(r['headers']['Content-Length'])
                   for r in sbg_emulator.requests
                   if r['listener'] == 'storage' and r['method'] == 'PUT')
    assert parts == [2 * MIB, 5 * MIB, 5 * MIB]
    target = tmp_path / 'back.bin'
    sbg_api.files.get(uploaded.id).download(str(target))
    assert target.read_bytes() == path.read_bytes()


def test_rate_limit_tells_when_the_window_resets(sbg_api, http):
    before = time.time()
    limits = sbg_api.rate_limit.get()
    reset = limits.rate.reset
    assert isinstance(reset, datetime.datetime)
    epoch = reset.replace(tzinfo=datetime.timezone.utc).timestamp()
    assert before < epoch <= before + 300
    answer = http('GET', '/rate_limit')
    assert answer.json()['rate']['reset'] == \
        int(answer.headers['X-RateLimit-Reset'])
    assert answer.json()['rate']['remaining'] == \
        int(answer.headers['X-RateLimit-Remaining'])


@pytest.mark.parametrize('body', [
    {'inputs': 'reads.fq'}, {'inputs': ['a']}, {'name': ['a']},
    {'batch_by': 'item'}, {'app': 7}, {'use_interruptible_instances': 'no'},
])
def test_invalid_task_bodies_are_400s(http, project, body):
    task = dict({'project': project.id, 'name': 't',
                 'app': 'admin/sbg-public-data/file-report'}, **body)
    answer = http('POST', '/tasks', json=task)
    assert answer.status_code == 400
    error = answer.json()
    assert set(error) == {'status', 'code', 'message', 'more_info'}
    assert error['status'] == 400 and next(iter(body)) in error['message']


def test_files_search(sbg_api, project, tmp_path):
    for sample in ('S1', 'S2', 'S3'):
        file = upload(sbg_api, project, tmp_path, f'{sample}.bam', b'bam')
        file.metadata['sample_id'] = sample
        file.save()
    upload(sbg_api, project, tmp_path, 'notes.txt', b'notes')
    found = sbg_api.files.search(
        f"SELECT * FROM files WHERE project = '{project.id}' AND "
        f"metadata.sample_id IN ('S1', 'S3')")
    assert found.count == 2 and found.cont_token is None
    assert sorted(item['name'] for item in found.result_set) == \
        ['S1.bam', 'S3.bam']
    page = sbg_api.files.search(
        "select name, metadata.sample_id from files where name like '%.bam'",
        limit=2)
    assert page.count == 3 and len(page.result_set) == 2
    assert set(page.result_set[0]) == {'name', 'metadata.sample_id'}
    rest = sbg_api.files.search(
        "select name, metadata.sample_id from files where name like '%.bam'",
        cont_token=page.cont_token, limit=2)
    assert [row['name'] for row in page.result_set + rest.result_set] == \
        ['S1.bam', 'S2.bam', 'S3.bam']
    assert rest.cont_token is None
    public = sbg_api.files.search(
        "SELECT id FROM files WHERE project = 'admin/sbg-public-data' AND "
        "tags = 'reference' AND name != 'chrM_fragment.gtf'")
    assert public.count == 1
    with pytest.raises(errors.BadRequest, match='Invalid search query'):
        sbg_api.files.search('SELECT * FROM files WHERE size > 1')
    with pytest.raises(errors.NotFound):
        sbg_api.files.search("SELECT * FROM files WHERE "
                             "project = 'jwatson/secret'")


def test_tasks_bulk_get(sbg_api, project):
    app = 'admin/sbg-public-data/file-report'
    tasks = [sbg_api.tasks.create(f't{n}', project, app, inputs={})
             for n in range(2)]
    records = sbg_api.tasks.bulk_get(tasks + ['00000000-0000-0000-0000-'
                                              '000000000000'])
    assert [r.valid for r in records] == [True, True, False]
    assert [r.resource.name for r in records[:2]] == ['t0', 't1']
    assert records[2].error.status == 404
