"""A folder create that met a gateway error or a dropped connection is sent
again; when the platform had made the folder (a ``late`` fault: the work
done, the answer lost), the 409 to the request sent again returns it."""
from urllib.parse import parse_qs

import pytest

from sevenbridges import errors
from sevenbridges.http.retry import RetryPolicy
from tests.e2e.test_reliability import RecordingClock

FILES = '/v2/files'


@pytest.fixture
def project(sbg_api):
    group = sbg_api.billing_groups.query()[0]
    return sbg_api.projects.create(name='creates', billing_group=group)


def client(emulator):
    return emulator.api(retry=RetryPolicy(clock=RecordingClock(cap=0)))


def calls(emulator, since):
    """``(method, path, status, fault)`` of the API requests since."""
    return [(entry['method'], entry['path'], entry.get('status'),
             entry.get('fault'))
            for entry in emulator.requests[since:]
            if entry['listener'] == 'api']


def folders_named(api, project, name):
    return [item for item in api.files.query(project=project).all()
            if item.name == name]


@pytest.mark.parametrize('fault,logged', [
    ({'status': 502, 'html': True}, (502, 'status 502 late')),
    ({'status': 504}, (504, 'status 504 late')),
    ({'drop': True}, (None, 'drop late')),
])
def test_the_folder_made_before_the_answer_was_lost_is_returned(
        sbg_emulator, project, fault, logged):
    sbg_emulator.faults.add(method='POST', path='/files$', late=True,
                            times=1, **fault)
    api = client(sbg_emulator)
    before = len(sbg_emulator.requests)
    folder = api.files.create_folder('reads', project=project)
    assert folder.name == 'reads' and folder.is_folder()
    assert calls(sbg_emulator, before) == [
        ('POST', FILES, *logged),
        ('POST', FILES, 409, None),
        ('GET', FILES, 200, None)]
    assert parse_qs(sbg_emulator.requests[-1]['query']) == {
        'project': [project.id], 'name': ['reads'], 'fields': ['_all']}
    assert [item.id for item in folders_named(api, project, 'reads')] == \
        [folder.id]


def test_in_a_folder_too(sbg_emulator, project):
    api = client(sbg_emulator)
    parent = api.files.create_folder('runs', project=project)
    sbg_emulator.faults.add(method='POST', path='/files$', late=True,
                            times=1, status=502, html=True)
    folder = api.files.create_folder('reads', parent=parent)
    assert (folder.name, folder.parent) == ('reads', parent.id)
    assert [item.id for item in parent.list_files()] == [folder.id]


def test_a_create_the_platform_never_saw_is_simply_sent_again(
        sbg_emulator, project):
    sbg_emulator.faults.add(method='POST', path='/files$', times=1,
                            status=502, html=True)
    api = client(sbg_emulator)
    before = len(sbg_emulator.requests)
    folder = api.files.create_folder('reads', project=project)
    assert calls(sbg_emulator, before) == [
        ('POST', FILES, 502, 'status 502'), ('POST', FILES, 201, None)]
    assert [item.id for item in folders_named(api, project, 'reads')] == \
        [folder.id]


def test_a_name_taken_before_is_a_conflict(sbg_emulator, project):
    api = client(sbg_emulator)
    api.files.create_folder('reads', project=project)
    before = len(sbg_emulator.requests)
    with pytest.raises(errors.Conflict):
        api.files.create_folder('reads', project=project)
    # A 429 proves the platform did not act: the 409 after it is the name
    # taken before, not the first request's work.
    sbg_emulator.faults.add(method='POST', path='/files$', times=1,
                            status=429, retry_after=0)
    with pytest.raises(errors.Conflict):
        api.files.create_folder('reads', project=project)
    assert calls(sbg_emulator, before) == [
        ('POST', FILES, 409, None),
        ('POST', FILES, 429, 'status 429'), ('POST', FILES, 409, None)]


def test_a_late_fault_on_another_create_is_raised(sbg_emulator, project):
    # A project's name is no key (a taken one gets a suffix): the platform
    # made one, and the client does not make a second.
    sbg_emulator.faults.add(method='POST', path='/projects$', late=True,
                            times=1, status=502, html=True)
    api = client(sbg_emulator)
    group = api.billing_groups.query()[0]
    with pytest.raises(errors.BadGateway):
        api.projects.create(name='late', billing_group=group)
    made = [item for item in api.projects.query().all()
            if item.name == 'late']
    assert len(made) == 1
