"""Async file operations as the platform answers them: copies rename, moves
refuse taken names (the SDK and raw HTTP against the real emulator)."""
from tests.e2e.test_emulator_storage import upload, wait_for


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
