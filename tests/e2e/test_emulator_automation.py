"""Automations, packages, members and runs: the SDK against the real
emulator over HTTP."""
import time
import zipfile

import pytest

from sevenbridges import errors
from sevenbridges.emulator.state.common import SECOND_TOKEN
from sevenbridges.models.enums import AutomationStatus

SCHEMA = {'inputs': [{'id': 'project', 'type': 'string'}]}


@pytest.fixture
def automation(sbg_api):
    group = sbg_api.billing_groups.query()[0]
    return sbg_api.automations.create(
        name='Nightly QC', description='QC of new samples',
        billing_group=group, secret_settings={'token': 'shh'})


@pytest.fixture
def code(tmp_path):
    path = tmp_path / 'qc.zip'
    with zipfile.ZipFile(path, 'w') as archive:
        archive.writestr('main.py', 'print("QC")\n')
    return path


@pytest.fixture
def package(automation, code):
    return automation.add_package(version='1.0.0', file_path=str(code),
                                  schema=SCHEMA, python='3.11')


def wait_until_ended(api, run, timeout=10):
    deadline = time.time() + timeout
    run = api.automation_runs.get(run.id)
    while run.status not in (AutomationStatus.FINISHED,
                             AutomationStatus.FAILED,
                             AutomationStatus.ABORTED):
        assert time.time() < deadline, f'{run} did not end'
        time.sleep(0.05)
        run = api.automation_runs.get(run.id)
    return run


def test_automation_create_query_save_archive(sbg_api, automation):
    assert automation.owner == 'rfranklin' and not automation.archived
    assert sbg_api.automations.get(automation.id).name == 'Nightly QC'
    automation.description = 'QC, every night'
    automation.save()
    assert sbg_api.automations.get(automation.id).description == \
        'QC, every night'
    assert [a.id for a in sbg_api.automations.query(name='nightly')] == \
        [automation.id]
    automation.archive()
    assert automation.archived is True
    assert sbg_api.automations.query().total == 0
    assert sbg_api.automations.query(include_archived=True).total == 1
    automation.restore()
    assert automation.archived is False


def test_packages_are_uploaded_code(sbg_api, automation, package, code):
    assert (package.version, package.automation, package.python) == \
        ('1.0.0', automation.id, '3.11')
    assert package.schema == SCHEMA
    stored = sbg_api.files.get(package.location)
    assert stored.size == code.stat().st_size
    assert [p.id for p in automation.get_packages()] == [package.id]
    package.custom_url = 'https://example.org/qc'
    package.save()
    assert sbg_api.automation_packages.get(package.id).custom_url == \
        'https://example.org/qc'
    package.archive()
    assert package.archived is True
    package.restore()
    assert package.archived is False
    with pytest.raises(errors.Conflict):
        automation.add_package(version='1.0.0', file_path=str(code),
                               schema=SCHEMA)
    with pytest.raises(errors.BadRequest, match='upload it first'):
        sbg_api.automation_packages.create(
            automation, version='2.0', location='0' * 24, schema=SCHEMA)


def test_automation_run_lifecycle(sbg_api, package):
    run = sbg_api.automation_runs.create(
        package=package, inputs={'project': 'rfranklin/qc'}, name='night 1')
    assert run.status == AutomationStatus.QUEUED_FOR_EXECUTION
    assert run.automation.id == package.automation
    assert run.package.version == '1.0.0'
    run = wait_until_ended(sbg_api, run)
    assert run.status == AutomationStatus.FINISHED
    assert run.start_time and run.end_time
    assert run.outputs == {'inputs': {'project': 'rfranklin/qc'}}
    state = run.get_state()
    assert state['status'] == 'FINISHED'
    assert state['inputs'] == {'project': 'rfranklin/qc'}
    log = run.get_log_file()
    lines = log.content().splitlines()
    assert 'run queued by rfranklin' in lines[0]
    assert lines[-1].endswith('run finished')
    again = sbg_api.automation_runs.rerun(run.id)
    assert again.resumed_from == run.id and again.id != run.id
    assert wait_until_ended(sbg_api, again).status == \
        AutomationStatus.FINISHED
    runs = sbg_api.automation_runs.query(automation=package.automation,
                                         order_by='created_on', order='asc')
    assert [r.id for r in runs] == [run.id, again.id]
    automation = sbg_api.automations.get(package.automation)
    finished = automation.get_runs(status='FINISHED', name='night',
                                   order_by='created_on')
    assert [r.id for r in finished] == [run.id, again.id]


def test_failing_and_stopped_runs(sbg_api, package):
    failing = sbg_api.automation_runs.create(
        package=package, inputs={}, settings={'emulator_fail': 'no samples'})
    failing = wait_until_ended(sbg_api, failing)
    assert failing.status == AutomationStatus.FAILED
    assert failing.message == 'no samples'
    stopped = sbg_api.automation_runs.create(package=package, inputs={})
    stopped.stop()
    stopped = sbg_api.automation_runs.get(stopped.id)
    assert stopped.status == AutomationStatus.ABORTED
    time.sleep(0.3)
    assert sbg_api.automation_runs.get(stopped.id).status == \
        AutomationStatus.ABORTED
    with pytest.raises(errors.BadRequest, match='already ended'):
        stopped.stop()


def test_run_save(sbg_api, package):
    run = sbg_api.automation_runs.create(package=package, inputs={'a': 1})
    run.name = 'renamed'
    run.save()
    assert sbg_api.automation_runs.get(run.id).name == 'renamed'


def test_automation_members(sbg_api, sbg_emulator, automation, package):
    watson = sbg_emulator.api(token=SECOND_TOKEN)
    with pytest.raises(errors.NotFound):
        watson.automations.get(automation.id)
    member = automation.add_member('jwatson', {'read': True,
                                               'execute': False})
    assert member.username == 'jwatson'
    assert member.permissions['read'] and not member.permissions['execute']
    assert watson.automations.get(automation.id).name == 'Nightly QC'
    with pytest.raises(errors.Forbidden):
        watson.automation_runs.create(package=package.id, inputs={})
    member = automation.get_member('jwatson')
    member.permissions['execute'] = True
    member.save()
    run = watson.automation_runs.create(package=package.id, inputs={})
    assert run.created_by == 'jwatson'
    assert sorted(m.username for m in automation.get_members()) == \
        ['jwatson', 'rfranklin']
    automation.remove_member('jwatson')
    with pytest.raises(errors.NotFound):
        watson.automations.get(automation.id)


def test_team_members_of_an_automation(sbg_api, sbg_emulator, automation):
    division = sbg_api.divisions.get('emulated-division')
    team = sbg_api.teams.create(name='QC team', division=division)
    team.add_member('jwatson')
    member = automation.add_team_member(team, {'read': True})
    assert member.type == 'TEAM' and member.id == team.id
    watson = sbg_emulator.api(token=SECOND_TOKEN)
    assert watson.automations.get(automation.id).id == automation.id
    automation.remove_team_member(team)
    with pytest.raises(errors.NotFound):
        watson.automations.get(automation.id)
