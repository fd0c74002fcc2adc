"""Code written against the SDK type-checks, with the types it should see
(the package ships ``py.typed``)."""
import os
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

USER_CODE = '''
import sevenbridges as sbg

api = sbg.Api()
project = api.projects.get('me/demo')
upload = api.files.upload('reads.fastq', project=project, wait=False)
upload.add_progress_callback(lambda progress: None)
upload.start()
upload.wait()
file = upload.result()
reveal_type(api.files)
reveal_type(project)
reveal_type(file)
reveal_type(api.tasks.query(project=project))
reveal_type(api.volumes.get('me/bucket').list())
reveal_type(upload.status)
if file is not None:
    reveal_type(file.download('copy', wait=False))
'''


def test_user_code_type_checks(tmp_path):
    api = pytest.importorskip('mypy.api')
    assert (ROOT / 'sevenbridges' / 'py.typed').exists()
    (tmp_path / 'user.py').write_text(textwrap.dedent(USER_CODE))
    env = dict(os.environ)
    os.environ['MYPYPATH'] = str(ROOT)
    try:
        out, err, status = api.run([
            '--cache-dir', str(tmp_path / 'cache'), '--no-error-summary',
            str(tmp_path / 'user.py')])
    finally:
        os.environ.clear()
        os.environ.update(env)
    revealed = [line.split('Revealed type is ')[1].strip('"')
                for line in out.splitlines() if 'Revealed type' in line]
    assert status == 0, out + err
    assert revealed == [
        'type[sevenbridges.models.file.File]',
        'sevenbridges.models.project.Project',
        'sevenbridges.models.file.File | None',
        'sevenbridges.meta.collection.Collection',
        'sevenbridges.meta.collection.VolumeCollection',
        'str',
        'sevenbridges.transfer.download.Download | None',
    ]
