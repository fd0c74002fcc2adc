"""A preload document stands in for a real account's public fixtures:
public reference files and apps by name, other users, public projects
with file metadata, folders. The SDK against the real emulator over
HTTP."""
import copy
import json
import os

import pytest

from sevenbridges import errors
from sevenbridges.emulator import Emulator
from sevenbridges.emulator.state.common import SECOND_TOKEN
from sevenbridges.emulator.state.preload import PreloadError
from tests.e2e.test_emulator_storage import wait_for

EXAMPLE = os.path.join(os.path.dirname(__file__), '..', '..', '..', 'examples',
                       'emulator_preload_public.json')
PUBLIC = 'admin/sbg-public-data'
CCLE = 'sevenbridges/cancer-cell-line-encyclopedia-ccle-1'


def example():
    with open(EXAMPLE, encoding='utf-8') as fp:
        return json.load(fp)


@pytest.fixture(scope='module')
def emulator():
    with Emulator(preload=EXAMPLE, task_seconds=0.05) as running:
        yield running


def test_entries_add_to_the_seeded_public_project(emulator):
    api = emulator.api()
    folder = api.files.query(project=PUBLIC, names=['references'])[0]
    [grch38] = folder.list_files()
    [reference] = grch38.list_files()
    assert reference.name == 'Homo_sapiens_assembly38.fasta'
    assert dict(reference.metadata) == {'reference_genome': 'GRCh38'}
    assert reference.content().startswith('>chr1')
    names = {f.name for f in api.files.query(project=PUBLIC).all()}
    assert names == {'chrM_fragment.fasta', 'chrM_fragment.gtf',
                     'references', 'Homo_sapiens_assembly38.dbsnp138.vcf'}
    public_apps = {a.id for a in api.apps.query(visibility='public').all()}
    assert f'{PUBLIC}/bwa-mem-bundle-0-7-17' in public_apps
    assert f'{PUBLIC}/file-report' in public_apps
    with pytest.raises(errors.Forbidden):
        api.files.create_folder('mine', project=PUBLIC)


def test_preloaded_apps_are_installed_apps(emulator):
    app = emulator.api().apps.get(f'{PUBLIC}/bwa-mem-bundle-0-7-17')
    assert app.name == 'BWA MEM Bundle 0.7.17'
    raw = app.raw
    assert raw['sbg:id'] == f'{PUBLIC}/bwa-mem-bundle-0-7-17/0'
    assert raw['sbg:createdBy'] == raw['sbg:modifiedBy'] == 'admin'
    assert raw['sbg:project'] == PUBLIC
    assert raw['sbg:contributors'] == ['admin']
    assert raw['sbg:appVersion'] == ['v1.0']
    assert isinstance(raw['sbg:createdOn'], int)
    assert [r['sbg:revision'] for r in raw['sbg:revisionsInfo']] == [0]
    assert raw['sbg:toolkit'] == 'BWA'


def test_a_public_project_with_its_own_id_and_file_metadata(emulator):
    api = emulator.api()
    owner = api.users.get('sevenbridges')
    assert (owner.first_name, owner.email) == ('Public',
                                               'public-data@example.org')
    ccle = api.projects.get(CCLE)
    assert ccle.name == 'Cancer Cell Line Encyclopedia (CCLE)'
    assert ccle.billing_group
    assert ccle not in list(api.projects.query().all())
    [bams] = api.files.query(project=ccle)
    lung = api.files.query(parent=bams, metadata={
        'disease_type': 'Lung Cancer'})
    assert sorted(f.metadata['sample_id'] for f in lung) == \
        ['HCC-827', 'NCI-H1975']
    found = api.files.search(f"SELECT name FROM files WHERE project = "
                             f"'{CCLE}' AND metadata.experimental_strategy "
                             f"= 'RNA-Seq'")
    assert found.result_set == [{'name': 'G27224.MCF7.1.bam'}]


def test_a_notebook_written_for_the_platform_runs(emulator, tmp_path):
    """What a public notebook does: public reference and app by name,
    public data by metadata, its own project, a task."""
    api = emulator.api()
    reference = api.files.query(
        project=PUBLIC, names=['Homo_sapiens_assembly38.dbsnp138.vcf'])[0]
    app = api.apps.get(f'{PUBLIC}/bwa-mem-bundle-0-7-17')
    ccle = api.projects.get(CCLE)
    [bams] = api.files.query(project=ccle)
    reads = list(api.files.query(parent=bams, metadata={
        'disease_type': 'Lung Cancer'}).all())
    project = api.projects.create(name='CCLE re-analysis')
    mine = app.copy(project=project.id)
    copies = [f.copy(project=project) for f in reads]
    task = api.tasks.create('align lung', project, mine.id, inputs={
        'reference': reference.copy(project=project), 'reads': copies},
        run=True)
    done = wait_for(lambda: api.tasks.get(task.id),
                    lambda t: t.status in ('COMPLETED', 'FAILED'))
    assert done.status == 'COMPLETED'
    assert done.outputs['aligned_reads'].name == \
        'align lung.aligned_reads.txt'


def test_a_file_or_app_that_exists_is_a_conflict_and_nothing_loads(
        tmp_path):
    state = str(tmp_path / 'state')
    with Emulator(data_dir=state, preload=EXAMPLE):
        pass
    for clash in ({'name': 'Homo_sapiens_assembly38.fasta',
                   'folder': 'references/GRCh38', 'content': '>x'},
                  None):
        document = {'users': [{'username': 'erin', 'token': 'erin-token'}],
                    'projects': [{'id': PUBLIC, 'files': [], 'apps': []}]}
        entry = document['projects'][0]
        if clash:
            entry['files'].append(clash)
        else:
            entry['apps'].append(copy.deepcopy(
                example()['projects'][0]['apps'][0]))
        with pytest.raises(PreloadError, match='conflicts.*exists'):
            Emulator(data_dir=state, preload=document).start()
    with Emulator(data_dir=state) as again:
        with pytest.raises(errors.Unauthorized):
            again.api(token='erin-token').users.me()


def test_an_entry_naming_an_existing_project_adds_members(tmp_path):
    document = {'projects': [{'id': PUBLIC, 'members': [
        {'username': 'jwatson', 'permissions': {'write': True}}],
        'folders': ['uploads']}]}
    with Emulator(preload=document) as emulator:
        watson = emulator.api(token=SECOND_TOKEN)
        folder = watson.files.query(project=PUBLIC, names=['uploads'])[0]
        made = watson.files.create_folder('made', parent=folder)
        assert made.parent == folder.id
        assert 'jwatson' in {m.username for m in
                             watson.projects.get(PUBLIC).get_members()}


@pytest.mark.parametrize('entry, message', [
    ({'id': 'admin/sbg-public-data', 'name': 'other name'},
     'exists with another name'),
    ({'id': 'admin/sbg-public-data', 'public': False},
     'exists with another public'),
    ({'id': 'nobody/new-project'}, 'give its "name"'),
])
def test_existing_projects_are_not_changed_by_an_entry(entry, message):
    with pytest.raises(PreloadError, match=message):
        Emulator(preload={'projects': [entry]}).start()


@pytest.mark.parametrize('entry, message', [
    ({'id': 'Admin/Not A Short Name', 'name': 'x'}, 'owner/short-name'),
    ({'id': 'admin/x', 'owner': 'rfranklin', 'name': 'x'},
     'not of owner rfranklin'),
    ({'owner': 'admin'}, '"name" \\(or "id"\\) is required'),
    ({'owner': 'admin', 'name': '(!)'}, 'needs a letter or a digit'),
    ({'id': 'admin/x', 'name': 'x', 'folders': 'a/b'}, 'list of paths'),
    ({'id': 'admin/x', 'name': 'x', 'apps': [{'name': 'a'}]},
     'apps\\[0\\]: "raw" is required'),
])
def test_invalid_project_entries_are_named(entry, message):
    with pytest.raises(PreloadError, match=message):
        Emulator(preload={'projects': [entry]}).start()
