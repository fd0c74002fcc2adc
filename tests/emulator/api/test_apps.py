"""Apps as the platform answers them: the platform's keys in their raw JSON,
listing by visibility and filters (the SDK and raw HTTP against the real
emulator)."""
import time

from sevenbridges.emulator.state.common import SECOND_TOKEN

TOOL = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': 'Align',
        'baseCommand': ['true'], 'inputs': [], 'outputs': [],
        'sbg:toolkit': 'bwa', 'sbg:categories': ['Alignment'],
        'description': 'Aligns short reads.'}


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
