"""Transform: arguments to identifiers."""
from datetime import date, datetime, timedelta, timezone

import pytest

from sevenbridges.errors import SbgError
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.user import User
from tests.unit.sample_models import IdOnly

ID_METHODS = [
    ('to_project', 'Project', 'project'), ('to_task', 'Task', 'task'),
    ('to_app', 'App', 'app'), ('to_file', 'File', 'file'),
    ('to_user', 'User', 'user'),
    ('to_billing_group', 'Billing group', 'billing group'),
    ('to_volume', 'Volume', 'volume'), ('to_marker', 'Marker', 'marker'),
    ('to_division', 'Division', 'division'), ('to_team', 'Team', 'team'),
    ('to_import', 'Import', 'import'), ('to_export', 'Export', 'export'),
    ('to_dataset', 'Dataset', 'dataset'), ('to_member', 'Member', 'member'),
    ('to_automation', 'Automation', 'automation'),
    ('to_automation_member', 'Automation member', 'automation member'),
    ('to_automation_package', 'Automation package', 'automation package'),
    ('to_async_job', 'Async job', 'async job'),
    ('to_automation_run', 'Automation run', 'automation run'),
]


@pytest.mark.parametrize('method,required,invalid', ID_METHODS)
def test_identifier_transforms(method, required, invalid):
    transform = getattr(Transform, method)
    assert transform('abc/def') == 'abc/def'
    for falsy in (None, '', b'', [], {}, 0):
        with pytest.raises(SbgError) as info:
            transform(falsy)
        assert info.value.message == f'{required} is required!'
    for wrong in (int, b'x', 5, IdOnly(id='x')):
        with pytest.raises(SbgError) as info:
            transform(wrong)
        assert info.value.message == f'Invalid {invalid} parameter!'


def test_to_user_takes_the_username():
    assert Transform.to_user(User(username='rfranklin')) == 'rfranklin'


def test_to_resource():
    assert Transform.to_resource('x') == 'x'
    assert Transform.to_resource(IdOnly(id='i')) == 'i'
    for wrong in (None, '', 5, User(username='u')):
        with pytest.raises(SbgError, match='Invalid id value!'):
            Transform.to_resource(wrong)


def test_to_datestring():
    assert Transform.to_datestring('2020-01-01') == '2020-01-01'
    assert Transform.to_datestring(
        datetime(2017, 1, 10, 14, 4, 23, 838459)) == '2017-01-10T14:04:23'
    aware = datetime(2017, 1, 10, 14, 4, 23, 5,
                     tzinfo=timezone(timedelta(hours=2)))
    assert Transform.to_datestring(aware) == '2017-01-10T14:04:23+02:00'
    assert Transform.to_datestring(date(2017, 1, 10)) == '2017-01-10'
    with pytest.raises(SbgError, match='Date is required!'):
        Transform.to_datestring(None)
    with pytest.raises(SbgError, match='Invalid date parameter!'):
        Transform.to_datestring(5)


def test_to_location():
    assert Transform.to_location('a/b.txt') == 'a/b.txt'
    with pytest.raises(SbgError, match='Location is required!'):
        Transform.to_location('')
    with pytest.raises(SbgError, match='Invalid location parameter!'):
        Transform.to_location(3)


def test_to_tags():
    tags = ['a', 'b']
    assert Transform.to_tags(tags) == tags and Transform.to_tags(tags) \
        is not tags
    assert Transform.to_tags([]) == []
    with pytest.raises(SbgError, match='Tags argument must be a list.'):
        Transform.to_tags('a')
    with pytest.raises(SbgError, match='Tags must not contain comma'):
        Transform.to_tags(['a,b'])
