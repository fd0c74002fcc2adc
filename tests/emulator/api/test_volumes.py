"""Imports as the platform answers them: an existing file is touched only when
overwriting (the SDK and raw HTTP against the real emulator)."""
from tests.e2e.test_emulator_storage import put_object, upload, wait_for


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
