"""Automations, packages, members and runs."""
from unittest import mock

import pytest

from sevenbridges import errors
from sevenbridges.models import automation as automation_module
from sevenbridges.models.automation import (
    Automation,
    AutomationMember,
    AutomationPackage,
    AutomationRun,
)
from sevenbridges.models.file import File
from sevenbridges.models.team import Team
from sevenbridges.models.user import User
from tests.conftest import BASE, body_of, path_of, query_of

AID = '0b5f6f5e-6d2e-4c6a-9b1f-2f8e8d7c6b5a'
BG = '3ae7d1d4-8f02-4d7e-9d2b-8a8bd7a0d0f1'
AUTO = BASE + f'/automation/automations/{AID}'
AUTOMATION = {'href': AUTO, 'id': AID, 'name': 'qc', 'description': 'd',
              'billing_group': BG, 'owner': 'u', 'archived': False,
              'memory_limit': 1000, 'project_based': False,
              'secret_settings': {'key': 'v'}}
PACKAGE = {'id': 'pk1', 'automation': AID, 'version': '1.0',
           'location': 'f1', 'schema': {}, 'archived': False,
           'memory_limit': 500, 'custom_url': None}
RUN = {'href': BASE + '/automation/runs/r1', 'id': 'r1', 'name': 'run',
       'automation': AUTOMATION, 'package': PACKAGE, 'status': 'RUNNING',
       'inputs': {'x': 1}, 'settings': {}, 'memory_limit': 500,
       'execution_details': {'log_file': {'id': 'log1', 'name': 'l.log'}}}
MEMBER = {'href': AUTO + '/members/bob', 'id': 'bob', 'username': 'bob',
          'permissions': {'read': True, 'copy': False, 'execute': False,
                          'admin': False}}


def page(items):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


@pytest.fixture
def automation(api):
    return Automation(api=api, **AUTOMATION)


def test_automations(api, mocked, automation):
    mocked.get(BASE + '/automation/automations', **page([AUTOMATION]))
    mocked.post(BASE + '/automation/automations', json=AUTOMATION)
    mocked.get(AUTO, json=AUTOMATION)
    found = api.automations.query(name='qc', limit=3)
    assert query_of(mocked.calls[0].request) == {
        'name': ['qc'], 'include_archived': ['False'], 'limit': ['3']}
    assert found[0] == automation == api.automations.get(AID)
    assert str(automation) == f'<Automation: id={AID} name=qc>'
    api.automations.create('qc', description='d', billing_group=BG,
                           secret_settings={'k': 'v'}, project_based=False,
                           memory_limit=0)
    assert body_of(mocked.calls[2].request) == {
        'name': 'qc', 'description': 'd', 'billing_group': BG,
        'secret_settings': {'k': 'v'}}
    with pytest.raises(errors.SbgError, match='Automation name is required'):
        api.automations.create(None)


def test_automation_save_archive_restore(api, mocked, automation):
    mocked.patch(AUTO, json=dict(AUTOMATION, name='new'))
    mocked.post(AUTO + '/actions/archive', json=dict(AUTOMATION,
                                                     archived=True))
    mocked.post(AUTO + '/actions/restore', json=AUTOMATION)
    automation.name = 'new'
    automation.secret_settings['key'] = 'w'
    automation.save()
    assert body_of(mocked.calls[0].request) == {
        'name': 'new', 'secret_settings': {'key': 'w'}}
    assert automation.archive() is automation and automation.archived
    assert mocked.calls[1].request.body == 'null'
    assert automation.restore() is automation and not automation.archived


def test_packages(api, mocked, automation):
    mocked.get(AUTO + '/packages', **page([PACKAGE]))
    mocked.post(AUTO + '/packages', json=PACKAGE)
    mocked.get(BASE + '/automation/packages/pk1', json=PACKAGE)
    mocked.patch(BASE + '/automation/packages/pk1',
                 json=dict(PACKAGE, memory_limit=900))
    mocked.post(AUTO + '/packages/pk1/actions/archive',
                json=dict(PACKAGE, archived=True))
    packages = automation.get_packages(limit=2)
    assert query_of(mocked.calls[0].request) == {'limit': ['2']}
    package = packages[0]
    assert str(package) == '<AutomationPackage: id=pk1>'
    AutomationPackage.create(automation, version='2', location='f2',
                             schema={'in': []}, api=api)
    assert body_of(mocked.calls[1].request) == {
        'version': '2', 'location': 'f2', 'schema': {'in': []},
        'memory_limit': None, 'python': None}
    assert api.automations.get_package(package) == package
    package.memory_limit = 900
    package.save()
    assert body_of(mocked.calls[3].request) == {'memory_limit': 900}
    assert package.archive().archived is True
    for missing, message in (('version', 'version is required'),
                             ('location', 'location is required'),
                             ('schema', 'Schema is required')):
        arguments = dict(version='1', location='f', schema={})
        arguments[missing] = None
        with pytest.raises(errors.SbgError, match=message):
            AutomationPackage.create(AID, api=api, **arguments)


def test_add_package_uploads_then_registers(api, mocked, automation,
                                            tmp_path):
    mocked.post(AUTO + '/packages', json=PACKAGE)
    code = tmp_path / 'code.zip'
    code.write_bytes(b'PK')
    with mock.patch.object(automation_module, 'CodePackageUpload',
                           create=True) as uploader:
        uploader.return_value.result.return_value = File(id='f77')
        package = automation.add_package('1.0', str(code), {'in': []},
                                         python='3.11')
    uploader.assert_called_once_with(str(code), AID, api=api, part_size=None,
                                     file_name=None, retry_count=6,
                                     timeout=300)
    uploader.return_value.start.assert_called_once_with()
    uploader.return_value.wait.assert_called_once_with()
    assert body_of(mocked.calls[0].request) == {
        'version': '1.0', 'location': 'f77', 'schema': {'in': []},
        'memory_limit': None, 'python': '3.11'}
    assert package.id == 'pk1'
    with mock.patch.object(automation_module, 'CodePackageUpload',
                           create=True) as uploader:
        uploader.return_value.result.return_value = None
        with pytest.raises(errors.SbgError, match='upload of .* failed'):
            automation.add_package('1.0', str(code), {})
    with pytest.raises(errors.SbgError, match='version is required'):
        automation.add_package(None, str(code), {})
    with pytest.raises(errors.SbgError, match='file path is required'):
        automation.add_package('1', None, {})


def test_members(api, mocked, automation):
    mocked.get(AUTO + '/members', **page([MEMBER]))
    mocked.get(AUTO + '/members/bob', json=MEMBER)
    mocked.post(AUTO + '/members', json=MEMBER)
    mocked.delete(AUTO + '/members/bob', status=204)
    mocked.delete(AUTO + '/members/t1', status=204)
    members = automation.get_members(limit=1)
    assert query_of(mocked.calls[0].request) == {'automation_id': [AID],
                                                 'limit': ['1']}
    member = members[0]
    assert str(member) == '<AutomationMember: username=bob>'
    assert automation.get_member(member) == member
    assert path_of(mocked.calls[1].request).endswith('/members/bob')
    assert AutomationMember.get('bob', automation, api=api) == member
    permissions = {'read': True, 'execute': True}
    automation.add_member(User(username='bob'), permissions)
    assert body_of(mocked.calls[3].request) == {'username': 'bob',
                                                'permissions': permissions}
    automation.add_team_member(Team(id='t1'), permissions)
    assert body_of(mocked.calls[4].request) == {
        'id': 't1', 'type': 'team', 'permissions': permissions}
    automation.remove_member('bob')
    automation.remove_team_member('t1')
    assert [c.request.method for c in mocked.calls[5:]] == ['DELETE'] * 2


def test_member_save_sends_all_permissions(api, mocked):
    mocked.patch(AUTO + '/members/bob', json=MEMBER)
    member = AutomationMember(api=api, **MEMBER)
    with pytest.raises(errors.ResourceNotModified):
        member.save()
    member.permissions['execute'] = True
    member.save()
    request = mocked.calls[0].request
    assert request.url == AUTO + '/members/bob'
    assert body_of(request) == {'permissions': {
        'read': True, 'copy': False, 'execute': True, 'admin': False}}


def test_runs(api, mocked, automation):
    mocked.get(BASE + '/automation/runs', **page([RUN]))
    mocked.post(BASE + '/automation/runs', json=RUN)
    mocked.patch(BASE + '/automation/runs/r1', json=dict(RUN, name='n2'))
    runs = automation.get_runs(package='pk1', status='RUNNING',
                               created_from='2024-01-01', limit=4)
    assert query_of(mocked.calls[0].request) == {
        'automation_id': [AID], 'package_id': ['pk1'],
        'status': ['RUNNING'], 'created_from': ['2024-01-01'],
        'limit': ['4']}
    run = runs[0]
    assert str(run) == '<AutomationRun: id=r1>'
    assert isinstance(run.automation, Automation)
    assert run.automation.name == 'qc'
    assert isinstance(run.package, AutomationPackage)
    assert AutomationRun(package='pk9').package.id == 'pk9'
    api.automation_runs.create(AutomationPackage(id='pk1'), inputs={'x': 1},
                               name='run', memory_limit=500)
    assert body_of(mocked.calls[1].request) == {
        'package': 'pk1', 'inputs': {'x': 1}, 'name': 'run',
        'memory_limit': 500}
    api.automation_runs.create('pk1')
    assert body_of(mocked.calls[2].request) == {'package': 'pk1',
                                                'inputs': {}}
    run.name = 'n2'
    run.save()
    assert body_of(mocked.calls[3].request) == {'name': 'n2'}


def test_rerun_sends_its_body(api, mocked):
    mocked.post(BASE + '/automation/runs/r1/actions/rerun', json=RUN)
    api.automation_runs.rerun('r1', package='pk2', inputs={'x': 2},
                              name='again', merge=False)
    assert body_of(mocked.calls[0].request) == {
        'merge': False, 'name': 'again', 'package': 'pk2', 'inputs': {'x': 2}}
    api.automation_runs.rerun(AutomationRun(id='r1'))
    assert body_of(mocked.calls[1].request) == {'merge': True}


def test_stop_state_and_log(api, mocked):
    run = AutomationRun(api=api, **RUN)
    mocked.post(BASE + '/automation/runs/r1/actions/stop', body=b'stopped')
    mocked.get(BASE + '/automation/runs/r1/state', json={'step': 3})
    assert run.stop() == b'stopped'
    assert mocked.calls[0].request.body == 'null'
    assert run.get_state() == {'step': 3}
    log = run.get_log_file()
    assert isinstance(log, File) and log.id == 'log1'
    assert AutomationRun(api=api, id='r2', execution_details=None) \
        .get_log_file() is None
