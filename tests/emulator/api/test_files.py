"""Files as the platform answers them: folders by raw calls, copies and moves
by name, search (the SDK and raw HTTP against the real emulator)."""
import pytest

from sevenbridges import errors
from tests.e2e.test_emulator_storage import upload


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
