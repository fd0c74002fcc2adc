"""Projects and their members."""
import pytest

from sevenbridges import errors
from sevenbridges.models.billing_group import BillingGroup
from sevenbridges.models.compound.projects.permissions import Permissions
from sevenbridges.models.compound.projects.settings import Settings
from sevenbridges.models.division import Division
from sevenbridges.models.member import Member
from sevenbridges.models.project import Project
from sevenbridges.models.team import Team
from sevenbridges.models.user import User
from tests.conftest import BASE, body_of, path_of, query_of

BG = '3ae7d1d4-8f02-4d7e-9d2b-8a8bd7a0d0f1'
HREF = BASE + '/projects/rfranklin/demo'
PROJECT = {'href': HREF, 'id': 'rfranklin/demo', 'name': 'demo',
           'billing_group': BG, 'description': 'A demo', 'type': 'v2',
           'tags': ['tutorial'], 'settings': {'locked': False,
                                              'use_memoization': True},
           'root_folder': 'f00', 'created_by': 'rfranklin',
           'created_on': '2024-01-02T03:04:05Z',
           'modified_on': '2024-01-03T03:04:05Z', 'category': 'PRIVATE'}
PERMISSIONS = {'read': True, 'write': False, 'copy': False,
               'execute': False, 'admin': False}
MEMBER = {'href': HREF + '/members/bob', 'id': 'bob', 'username': 'bob',
          'email': 'bob@example.org', 'type': 'USER',
          'permissions': PERMISSIONS}


def page(items, total=None):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(total or len(items))}}


@pytest.fixture
def project(api):
    return Project(api=api, **PROJECT)


def test_fields(project):
    assert (project.id, project.name, project.billing_group,
            project.description, project.type, project.tags,
            project.root_folder, project.created_by, project.category) == (
        'rfranklin/demo', 'demo', BG, 'A demo', 'v2', ['tutorial'], 'f00',
        'rfranklin', 'PRIVATE')
    assert project.created_on.isoformat() == '2024-01-02T03:04:05'
    assert isinstance(project.settings, Settings)
    assert project.settings == {'locked': False, 'use_memoization': True}
    assert str(project) == repr(project) == '<Project: id=rfranklin/demo>'


def test_field_validation(project):
    with pytest.raises(errors.ValidationError,
                       match='type: max length exceeded.'):
        project.type = 'abc'
    with pytest.raises(errors.ValidationError, match='UuidField'):
        project.billing_group = 'not-a-uuid'
    with pytest.raises(errors.ReadOnlyPropertyError):
        project.root_folder = 'x'
    assert Project(id='x', type=None).type is None


def test_query(api, mocked):
    mocked.get(BASE + '/projects/', **page([PROJECT], total=7))
    mocked.get(BASE + '/projects/rfranklin', **page([PROJECT]))
    projects = api.projects.query(limit=0, tags=['x', 'y'], name='demo',
                                  category='PRIVATE')
    request = mocked.calls[0].request
    assert path_of(request) == '/v2/projects/'
    assert query_of(request) == {'limit': ['100'], 'fields': ['_all'],
                                 'tags': ['x', 'y'], 'name': ['demo'],
                                 'category': ['PRIVATE']}
    assert projects.total == 7 and projects[0] == Project(id='rfranklin/demo')
    api.projects.query(owner='rfranklin', offset=10, limit=5)
    request = mocked.calls[1].request
    assert path_of(request) == '/v2/projects/rfranklin'
    assert query_of(request) == {'offset': ['10'], 'limit': ['5'],
                                 'fields': ['_all']}


def test_query_validates_tags(api, mocked):
    with pytest.raises(errors.SbgError, match='Tags argument must be a list'):
        api.projects.query(tags='x')
    with pytest.raises(errors.SbgError, match='must not contain comma'):
        api.projects.query(tags=['a,b'])
    assert len(mocked.calls) == 0


def test_get(api, mocked):
    mocked.get(HREF, json=PROJECT)
    project = api.projects.get('rfranklin/demo')
    assert path_of(mocked.calls[0].request) == '/v2/projects/rfranklin/demo'
    assert project.name == 'demo' and project._api is api


def test_create(api, mocked):
    mocked.post(BASE + '/projects', json=PROJECT)
    project = api.projects.create(
        name='demo', billing_group=BillingGroup(id=BG), description='d',
        tags=['a'], settings={'locked': True})
    assert body_of(mocked.calls[0].request) == {
        'name': 'demo', 'billing_group': BG, 'description': 'd',
        'tags': ['a'], 'settings': {'locked': True}}
    assert project.id == 'rfranklin/demo'


def test_create_validation(api, mocked):
    for name in (None, '', '  '):
        with pytest.raises(errors.ValidationError,
                           match='Project name is required!'):
            api.projects.create(name=name)
    with pytest.raises(errors.ValidationError,
                       match=r"name must be a string, not int \(5\)"):
        api.projects.create(name=5)
    with pytest.raises(errors.SbgError,
                       match='Invalid billing group parameter!'):
        api.projects.create(name='x', billing_group=5)
    assert len(mocked.calls) == 0


def test_save_sends_only_changes(api, mocked, project):
    mocked.patch(HREF, json=dict(PROJECT, name='nn',
                                 settings={'locked': True,
                                           'use_memoization': True}))
    project.settings['locked'] = True
    project.name = 'nn'
    assert project.save() is project
    request = mocked.calls[0].request
    assert (request.method, path_of(request)) == \
        ('PATCH', '/v2/projects/rfranklin/demo')
    assert body_of(request) == {'settings': {'locked': True}, 'name': 'nn'}
    assert project.settings['locked'] is True
    with pytest.raises(errors.ResourceNotModified):
        project.save()
    assert len(mocked.calls) == 1


def test_save_tags_edited_in_place(api, mocked, project):
    mocked.patch(HREF, json=PROJECT)
    project.tags.append('new')
    project.save()
    assert body_of(mocked.calls[0].request) == {'tags': ['tutorial', 'new']}


def test_save_not_in_place(api, mocked, project):
    mocked.patch(HREF, json=dict(PROJECT, description='server'))
    project.description = 'mine'
    saved = project.save(inplace=False)
    assert saved is not project and saved.description == 'server'
    assert project.description == 'mine'


def test_same_value_setting_is_not_a_change(api, mocked, project):
    # The reference sent PATCH {"settings": {}}; nothing changed, so
    # nothing is sent.
    project.settings['locked'] = False
    with pytest.raises(errors.ResourceNotModified):
        project.save()
    assert len(mocked.calls) == 0


def test_delete(api, mocked, project):
    mocked.delete(HREF, status=204)
    assert project.delete() is None
    assert body_of(mocked.calls[0].request) == {}


def test_get_members(api, mocked, project):
    mocked.get(HREF + '/members', **page([MEMBER], total=3))
    members = project.get_members(offset=0, limit=0)
    assert query_of(mocked.calls[0].request) == {'offset': ['0'],
                                                 'limit': ['0']}
    assert isinstance(members[0], Member) and members.total == 3
    assert members[0].permissions == PERMISSIONS
    assert isinstance(members[0].permissions, Permissions)


@pytest.mark.parametrize('method,argument,expected', [
    ('add_member', 'bob', {'username': 'bob', 'type': 'USER'}),
    ('add_member', User(username='bob'), {'username': 'bob', 'type': 'USER'}),
    ('add_member_team', Team(id='team1'), {'username': 'team1',
                                           'type': 'TEAM'}),
    ('add_member_division', Division(id='div1'),
     {'username': 'div1', 'type': 'DIVISION'}),
    ('add_member_email', 'bob@example.org', {'email': 'bob@example.org'}),
])
def test_add_members(api, mocked, project, method, argument, expected):
    mocked.post(HREF + '/members', json=MEMBER)
    member = getattr(project, method)(argument, permissions=PERMISSIONS)
    assert body_of(mocked.calls[0].request) == dict(expected,
                                                    permissions=PERMISSIONS)
    assert member.username == 'bob' and member._api is api
    getattr(project, method)(argument, permissions=['not', 'a', 'dict'])
    assert body_of(mocked.calls[1].request) == expected


def test_add_member_email_without_permissions(api, mocked, project):
    mocked.post(HREF + '/members', json=MEMBER)
    project.add_member_email('bob@example.org')
    assert body_of(mocked.calls[0].request) == {'email': 'bob@example.org'}


@pytest.mark.parametrize('method,argument,message', [
    ('add_member', None, 'User is required!'),
    ('add_member', Member(username='bob'), 'Invalid user parameter!'),
    ('add_member_team', '', 'Team is required!'),
    ('add_member_division', 3, 'Invalid division parameter!'),
])
def test_add_member_bad_arguments(api, mocked, project, method, argument,
                                  message):
    with pytest.raises(errors.SbgError, match=message):
        getattr(project, method)(argument, permissions=PERMISSIONS)
    assert len(mocked.calls) == 0


def test_get_and_remove_member(api, mocked, project):
    mocked.get(HREF + '/members/bob', json=MEMBER)
    mocked.delete(HREF + '/members/bob', status=204)
    assert project.get_member('bob').email == 'bob@example.org'
    assert project.get_member(User(username='bob')).id == 'bob'
    assert project.remove_member(User(username='bob')) is None
    assert [(c.request.method, path_of(c.request)) for c in mocked.calls] \
        == [('GET', '/v2/projects/rfranklin/demo/members/bob')] * 2 + \
        [('DELETE', '/v2/projects/rfranklin/demo/members/bob')]
    with pytest.raises(errors.SbgError, match='Invalid user parameter!'):
        project.remove_member(Member(username='bob'))


def test_get_exports_says_what_to_use(project, mocked):
    with pytest.raises(errors.SbgError, match='api.exports.query'):
        project.get_exports()
    assert len(mocked.calls) == 0


def test_member_save_sends_changed_permissions(api, mocked):
    member = Member(api=api, **MEMBER)
    mocked.patch(MEMBER['href'] + '/permissions',
                 json=dict(PERMISSIONS, write=True))
    member.permissions['write'] = True
    member.permissions['read'] = True  # unchanged
    assert member.save() is member
    request = mocked.calls[0].request
    assert (request.method, request.url) == (
        'PATCH', MEMBER['href'] + '/permissions')
    assert body_of(request) == {'write': True}
    assert member.permissions['write'] is True
    # Saved: a second save has nothing to send.
    with pytest.raises(errors.ResourceNotModified):
        member.save()
    assert len(mocked.calls) == 1


@pytest.mark.parametrize('status, body', [(204, b''), (200, b''),
                                          (200, b'  '), (200, b'OK')])
def test_member_save_keeps_the_sent_permissions_without_json_answer(
        api, mocked, status, body):
    member = Member(api=api, **MEMBER)
    mocked.patch(MEMBER['href'] + '/permissions', status=status, body=body)
    member.permissions['write'] = True
    member.permissions['admin'] = True
    assert member.save() is member
    assert body_of(mocked.calls[0].request) == {'write': True, 'admin': True}
    assert member.permissions == dict(PERMISSIONS, write=True, admin=True)
    assert isinstance(member.permissions, Permissions)
    # Saved: nothing left to send.
    with pytest.raises(errors.ResourceNotModified):
        member.save()
    assert len(mocked.calls) == 1


def test_member_save_whole_permissions_and_nothing_changed(api, mocked):
    member = Member(api=api, **MEMBER)
    mocked.patch(MEMBER['href'] + '/permissions', json=PERMISSIONS)
    member.permissions = dict(PERMISSIONS, copy=True)
    member.save(inplace=False)
    assert body_of(mocked.calls[0].request) == {'copy': True}
    untouched = Member(api=api, **MEMBER)
    with pytest.raises(errors.ResourceNotModified):
        untouched.save()
    untouched.permissions['read'] = True
    with pytest.raises(errors.ResourceNotModified):
        untouched.save()


def test_member_equality():
    assert Member(id='a', username='x') == Member(id='a', username='y')
    assert Member(id='a', username='x') == Member(id='b', username='x')
    assert Member(id='a', username='x') != Member(id='b', username='y')
    # Unknown values never make two members equal.
    assert Member(username='x') != Member(username='y')
    assert Member(username='x') != User(username='x')
    assert str(Member(username='x')) == '<Member: username=x>'
    with pytest.raises(TypeError):
        hash(Member(username='x'))


def test_project_equality(api):
    assert Project(id='a/b') == Project(id='a/b')
    assert Project(id='a/b') != Project(id='a/c')
    assert Project(id='a/b') != 'a/b'
    assert Project() != Project()


# -- contents: these need the files, apps, tasks and imports models ---------

def test_get_files(api, mocked, project):
    pytest.importorskip('sevenbridges.models.file')
    mocked.get(BASE + '/files', **page([{'id': 'f1', 'name': 'a.txt'}]))
    files = project.get_files(offset=2, limit=0)
    assert query_of(mocked.calls[0].request) == {
        'project': ['rfranklin/demo'], 'fields': ['_all'], 'offset': ['2'],
        'limit': ['100']}
    assert files[0].name == 'a.txt'


def test_add_files(api, mocked, project):
    file_module = pytest.importorskip('sevenbridges.models.file')
    mocked.post(BASE + '/files/f1/actions/copy', json={'id': 'f9'})
    mocked.post(BASE + '/files/f2/actions/copy', json={'id': 'f8'})
    files = [file_module.File(api=api, id='f1'),
             file_module.File(api=api, id='f2')]
    assert project.add_files(files) is None
    assert [body_of(c.request) for c in mocked.calls] == [
        {'project': 'rfranklin/demo'}] * 2


def test_get_apps(api, mocked, project):
    pytest.importorskip('sevenbridges.models.app')
    mocked.get(BASE + '/apps', **page([{'id': 'rfranklin/demo/app/1'}]))
    project.get_apps(limit=5)
    assert query_of(mocked.calls[0].request) == {
        'project': ['rfranklin/demo'], 'limit': ['5']}


def test_get_tasks(api, mocked, project):
    pytest.importorskip('sevenbridges.models.task')
    mocked.get(BASE + '/tasks', **page([]))
    project.get_tasks(status='COMPLETED', offset=1)
    project.get_tasks()
    assert query_of(mocked.calls[0].request) == {
        'project': ['rfranklin/demo'], 'status': ['COMPLETED'],
        'offset': ['1'], 'fields': ['_all']}
    assert query_of(mocked.calls[1].request) == {
        'project': ['rfranklin/demo'], 'fields': ['_all']}


def test_get_imports(api, mocked, project):
    pytest.importorskip('sevenbridges.models.storage_import')
    mocked.get(BASE + '/storage/imports', **page([]))
    project.get_imports(volume='u/vol', state='COMPLETED', limit=3)
    assert query_of(mocked.calls[0].request) == {
        'project': ['rfranklin/demo'], 'volume': ['u/vol'],
        'state': ['COMPLETED'], 'limit': ['3'], 'fields': ['_all']}


def test_create_task(api, mocked, project):
    pytest.importorskip('sevenbridges.models.task')
    task_id = '9b0a0c8e-2f4a-4c57-9a2d-1f0c6b5e8d7a'
    mocked.post(BASE + '/tasks', json={'id': task_id, 'name': 't'})
    task = project.create_task('t', 'rfranklin/demo/app', inputs={'n': 1})
    body = body_of(mocked.calls[0].request)
    assert (body['name'], body['project'], body['app'], body['inputs']) == (
        't', 'rfranklin/demo', 'rfranklin/demo/app', {'n': 1})
    assert body['use_interruptible_instances'] is True
    assert task.id == task_id
