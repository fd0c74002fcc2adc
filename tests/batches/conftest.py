"""A project on a fresh emulator with a line-counting app and read files in
``fastq/``, the setting of the batch tests."""
import pytest

#: The app of the tests: a tool with a file, an optional integer and an
#: enum with a default.
COUNTER = {
    'cwlVersion': 'v1.0', 'class': 'CommandLineTool',
    'baseCommand': ['wc', '-l'], 'stdout': 'counts.txt',
    'inputs': [
        {'id': 'reads', 'type': 'File', 'inputBinding': {'position': 1}},
        {'id': 'threads', 'type': 'int?'},
        {'id': 'mode', 'type': {'type': 'enum', 'symbols': ['fast', 'slow']},
         'default': 'fast'}],
    'outputs': [{'id': 'counts', 'type': 'stdout'}]}
#: Read files of the project's ``fastq/`` folder.
SAMPLES = 10


def sample_rows(count, files=SAMPLES):
    """Manifest rows: ``s0000``, ``s0001``... each on a file of ``fastq/``
    (by project path) and a thread count."""
    return [{'sample': f's{index:04}',
             'reads': f'fastq/s{index % files:02}.fastq',
             'threads': str(index % 4 + 1)} for index in range(count)]


@pytest.fixture
def setting(sbg_api, tmp_path):
    """``(api, project, app)``: the project holds ``fastq/s00.fastq``...
    and the app ``counter``."""
    api = sbg_api
    group = api.billing_groups.query(limit=1)[0]
    project = api.projects.create(name='cohort', billing_group=group.id)
    local = tmp_path / 'upload' / 'fastq'
    local.mkdir(parents=True)
    for index in range(SAMPLES):
        (local / f's{index:02}.fastq').write_text('@r\nACGT\n+\nIIII\n'
                                                  * (index + 1))
    api.folders.upload(str(local.parent), project=project)
    app = api.apps.install_app(id=f'{project.id}/counter', raw=COUNTER)
    return api, project, app


def api_requests(emulator, since=0):
    """The API listener's requests after the ``since`` first ones."""
    return [entry for entry in emulator.requests[since:]
            if entry['listener'] == 'api']
