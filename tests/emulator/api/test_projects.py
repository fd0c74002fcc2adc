"""Projects as the platform answers them: ids from short names, default
billing groups, teams and divisions as members (the SDK and raw HTTP
against the real emulator)."""
import pytest

from sevenbridges import errors
from sevenbridges.emulator import Emulator
from sevenbridges.emulator.state.common import SECOND_TOKEN

TOOL = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': 'Align',
        'baseCommand': ['true'], 'inputs': [], 'outputs': [],
        'sbg:toolkit': 'bwa', 'sbg:categories': ['Alignment'],
        'description': 'Aligns short reads.'}


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
