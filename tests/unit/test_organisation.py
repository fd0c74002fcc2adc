"""Divisions, teams, team members, markers, datasets and actions."""
import pytest

from sevenbridges import errors
from sevenbridges.http.client import client_info
from sevenbridges.models.actions import Actions
from sevenbridges.models.compound.markers.position import MarkerPosition
from sevenbridges.models.dataset import Dataset
from sevenbridges.models.division import Division
from sevenbridges.models.marker import Marker
from sevenbridges.models.member import Member
from sevenbridges.models.team import Team
from sevenbridges.models.team_member import TeamMember
from sevenbridges.models.user import User
from tests.conftest import BASE, body_of, path_of, query_of

DIVISION = {'href': BASE + '/divisions/div1', 'id': 'div1', 'name': 'Lab'}
TEAM = {'href': BASE + '/teams/team1', 'id': 'team1', 'name': 'Core'}
TEAM_MEMBER = {'href': BASE + '/teams/team1/members/bob', 'id': 'bob',
               'username': 'bob', 'role': 'MEMBER'}
MARKER = {'href': BASE + '/genome/markers/m1', 'id': 'm1', 'file': 'f1',
          'name': 'BRCA1', 'chromosome': 'chr17',
          'position': {'start': 100, 'end': 150},
          'created_time': '2020-05-05T05:05:05Z', 'created_by': 'bob'}
DATASET = {'href': BASE + '/datasets/rfranklin/ds', 'id': 'rfranklin/ds',
           'name': 'DS', 'description': 'Data'}
MEMBER = {'href': BASE + '/datasets/rfranklin/ds/members/bob',
          'username': 'bob', 'permissions': {'read': True}}


def page(items):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


# -- divisions ------------------------------------------------------------------

def test_divisions(api, mocked):
    mocked.get(BASE + '/divisions', **page([DIVISION]))
    mocked.get(BASE + '/divisions/div1', json=DIVISION)
    mocked.get(BASE + '/teams', **page([TEAM]))
    mocked.get(BASE + '/users', **page([{'username': 'bob'}]))
    divisions = api.divisions.query(limit=5)
    assert query_of(mocked.calls[0].request) == {'limit': ['5'],
                                                 'fields': ['_all']}
    division = api.divisions.get('div1')
    assert division == divisions[0] and division.name == 'Lab'
    assert str(division) == '<Division: id=div1>'
    teams = division.get_teams(limit=2)
    assert query_of(mocked.calls[2].request) == {
        'division': ['div1'], '_all': ['False'], 'limit': ['2'],
        'fields': ['_all']}
    assert isinstance(teams[0], Team)
    users = division.get_members(role='ADMIN', offset=1)
    assert query_of(mocked.calls[3].request) == {
        'division': ['div1'], 'role': ['ADMIN'], 'offset': ['1']}
    assert isinstance(users[0], User)
    with pytest.raises(errors.ReadOnlyPropertyError):
        division.name = 'x'


# -- teams -----------------------------------------------------------------------

def test_teams(api, mocked):
    mocked.get(BASE + '/teams', **page([TEAM]))
    mocked.post(BASE + '/teams', json=TEAM)
    mocked.get(BASE + '/teams/team1', json=TEAM)
    teams = api.teams.query(division=Division(id='div1'), list_all=True)
    assert query_of(mocked.calls[0].request) == {
        'division': ['div1'], '_all': ['True'], 'fields': ['_all']}
    team = api.teams.create(name='Core', division='div1')
    assert body_of(mocked.calls[1].request) == {'name': 'Core',
                                                'division': 'div1'}
    assert team == teams[0] == api.teams.get('team1')
    assert str(team) == '<Team: id=team1>'
    with pytest.raises(errors.SbgError, match='Division is required!'):
        api.teams.query(division=None)
    with pytest.raises(errors.SbgError, match='Resource can not be deleted!'):
        team.delete()


def test_team_save(api, mocked):
    mocked.patch(BASE + '/teams/team1', json=dict(TEAM, name='Renamed'))
    team = Team(api=api, **TEAM)
    with pytest.raises(errors.ResourceNotModified):
        team.save()
    team.name = 'Renamed'
    assert team.save() is team and team.name == 'Renamed'
    assert body_of(mocked.calls[0].request) == {'name': 'Renamed'}


def test_team_members(api, mocked):
    team = Team(api=api, **TEAM)
    mocked.get(BASE + '/teams/team1/members', **page([TEAM_MEMBER]))
    mocked.post(BASE + '/teams/team1/members', json=TEAM_MEMBER)
    mocked.delete(BASE + '/teams/team1/members/bob', status=204)
    members = team.get_members(limit=0)
    assert query_of(mocked.calls[0].request) == {'limit': ['0']}
    member = members[0]
    assert isinstance(member, TeamMember)
    assert (member.username, member.role) == ('bob', 'MEMBER')
    assert str(member) == repr(member) == '<Team member: username=bob>'
    added = team.add_member(User(username='bob'))
    assert body_of(mocked.calls[1].request) == {'id': 'bob'}
    assert added == member
    assert team.remove_member('bob') is None
    assert path_of(mocked.calls[2].request) == '/v2/teams/team1/members/bob'
    with pytest.raises(errors.SbgError, match='Invalid user parameter!'):
        team.add_member(member)
    with pytest.raises(errors.SbgError, match='Resource can not be deleted!'):
        member.delete()


# -- markers ---------------------------------------------------------------------

def test_markers(api, mocked):
    mocked.get(BASE + '/genome/markers', **page([MARKER]))
    mocked.post(BASE + '/genome/markers', json=MARKER)
    markers = api.markers.query(file='f1', limit=3)
    assert query_of(mocked.calls[0].request) == {
        'limit': ['3'], 'file': ['f1'], 'fields': ['_all']}
    marker = api.markers.create(file='f1', name='BRCA1',
                                position={'start': 100, 'end': 150},
                                chromosome='chr17')
    assert body_of(mocked.calls[1].request) == {
        'file': 'f1', 'name': 'BRCA1', 'position': {'start': 100, 'end': 150},
        'chromosome': 'chr17', 'private': True}
    assert marker == markers[0] and str(marker) == '<Marker: id=m1>'
    assert isinstance(marker.position, MarkerPosition)
    assert marker.position['end'] == 150 and marker.position['x'] is None
    api.markers.create(file='f1', name=None, position=None, chromosome=None,
                       private=False)
    assert body_of(mocked.calls[2].request) == {
        'file': 'f1', 'name': None, 'position': None, 'chromosome': None,
        'private': False}
    with pytest.raises(errors.SbgError, match='File is required!'):
        api.markers.query(file=None)
    with pytest.raises(errors.SbgError, match='Invalid file parameter!'):
        api.markers.create(file=5, name='n', position={}, chromosome='c')


def test_marker_save_and_delete(api, mocked):
    mocked.patch(BASE + '/genome/markers/m1', json=MARKER)
    mocked.delete(BASE + '/genome/markers/m1', status=204)
    marker = Marker(api=api, **MARKER)
    marker.position['end'] = 10
    marker.chromosome = 'chr2'
    marker.save()
    assert body_of(mocked.calls[0].request) == {'position': {'end': 10},
                                                'chromosome': 'chr2'}
    with pytest.raises(errors.ResourceNotModified):
        marker.save()
    with pytest.raises(errors.ReadOnlyPropertyError):
        marker.file = 'f2'
    assert marker.delete() is None
    assert mocked.calls[1].request.method == 'DELETE'


# -- datasets ----------------------------------------------------------------------

def test_datasets(api, mocked):
    mocked.get(BASE + '/datasets', **page([DATASET]))
    mocked.get(BASE + '/datasets/rfranklin', **page([DATASET]))
    datasets = api.datasets.query(visibility='public')
    assert query_of(mocked.calls[0].request) == {'visibility': ['public'],
                                                 'fields': ['_all']}
    api.datasets.query()
    assert query_of(mocked.calls[1].request) == {'fields': ['_all']}
    owned = api.datasets.get_owned_by(User(username='rfranklin'))
    assert path_of(mocked.calls[2].request) == '/v2/datasets/rfranklin'
    assert owned[0] == datasets[0]
    assert str(datasets[0]) == '<Dataset: id=rfranklin/ds>'


def test_dataset_save(api, mocked):
    mocked.patch(BASE + '/datasets/rfranklin/ds',
                 json=dict(DATASET, description=''))
    dataset = Dataset(api=api, **DATASET)
    assert dataset.save() is dataset
    assert len(mocked.calls) == 0
    dataset.description = ''
    dataset.save()
    # Clearing the description is sent (the reference dropped it).
    assert body_of(mocked.calls[0].request) == {'description': ''}
    assert dataset.description == ''


def test_dataset_members(api, mocked):
    dataset = Dataset(api=api, **DATASET)
    url = BASE + '/datasets/rfranklin/ds/members'
    mocked.get(url, **page([MEMBER]))
    mocked.get(url + '/bob', json=MEMBER)
    mocked.post(url, json=MEMBER)
    mocked.delete(url + '/bob', status=204)
    members = dataset.get_members()
    assert query_of(mocked.calls[0].request) == {}
    assert isinstance(members[0], Member)
    assert dataset.get_member('bob').permissions['read'] is True
    permissions = {'write': True, 'read': True, 'copy': True,
                   'execute': True, 'admin': True}
    dataset.add_member(User(username='bob'), permissions)
    assert body_of(mocked.calls[2].request) == {'username': 'bob',
                                                'permissions': permissions}
    assert dataset.remove_member(Member(username='bob')) is None
    assert path_of(mocked.calls[3].request) == \
        '/v2/datasets/rfranklin/ds/members/bob'
    with pytest.raises(errors.SbgError, match='Invalid member parameter!'):
        dataset.remove_member(User(username='bob'))
    with pytest.raises(errors.SbgError, match='Member is required!'):
        dataset.remove_member(None)


# -- actions ---------------------------------------------------------------------------

def test_send_feedback(api, mocked):
    mocked.post(BASE + '/action/notifications/feedback', json={})
    assert api.actions.send_feedback(text='Great', referrer='me') is None
    assert body_of(mocked.calls[0].request) == {
        'type': 'IDEA', 'text': 'Great', 'referrer': 'me'}
    api.actions.send_feedback(type='PROBLEM')
    assert body_of(mocked.calls[1].request) == {
        'type': 'PROBLEM', 'text': None, 'referrer': str(client_info)}
    assert str(Actions()) == '<Actions>'


def test_bulk_copy_files(api, mocked):
    from sevenbridges.models.project import Project
    answer = {'f1': {'status': 'OK', 'new_file_id': 'f9'}}
    mocked.post(BASE + '/action/files/copy', json=answer)
    result = api.actions.bulk_copy_files(['f1', 'f2'], Project(id='u/p'))
    assert result == answer
    assert body_of(mocked.calls[0].request) == {'project': 'u/p',
                                                'file_ids': ['f1', 'f2']}
    with pytest.raises(errors.SbgError, match='File is required!'):
        api.actions.bulk_copy_files([None], 'u/p')
