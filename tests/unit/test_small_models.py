"""Users, endpoints, rate limits, bulk records, errors and enums."""
from datetime import datetime
from unittest import mock

import pytest

from sevenbridges import errors
from sevenbridges.meta.resource import Resource
from sevenbridges.models import enums
from sevenbridges.models.bulk import BulkRecord
from sevenbridges.models.compound.error import Error
from sevenbridges.models.compound.limits.rate import Rate
from sevenbridges.models.user import User
from tests.conftest import BASE, body_of, path_of, query_of

USER = {'href': BASE + '/users/rfranklin', 'username': 'rfranklin',
        'email': 'rosalind@example.org', 'first_name': 'Rosalind',
        'last_name': 'Franklin', 'affiliation': 'KCL', 'phone': '',
        'address': '', 'state': '', 'country': 'UK', 'zip_code': '',
        'city': 'London', 'role': 'member'}


def test_me(api, mocked):
    mocked.get(BASE + '/user', json=USER)
    me = api.users.me()
    request = mocked.calls[0].request
    assert (request.method, path_of(request), request.body) == \
        ('GET', '/v2/user', 'null')
    assert isinstance(me, User) and me._api is api
    assert (me.username, me.email, me.first_name, me.city, me.role) == \
        ('rfranklin', 'rosalind@example.org', 'Rosalind', 'London', 'member')
    assert str(me) == repr(me) == '<User: username=rfranklin>'


def test_get_user(api, mocked):
    mocked.get(BASE + '/users/rfranklin', json=USER)
    assert api.users.get('rfranklin').email == 'rosalind@example.org'
    assert api.users.get(User(username='rfranklin')).username == 'rfranklin'
    assert [path_of(c.request) for c in mocked.calls] == \
        ['/v2/users/rfranklin'] * 2
    with pytest.raises(errors.SbgError, match='User is required!'):
        api.users.get(None)
    with pytest.raises(errors.SbgError, match='Invalid user parameter!'):
        api.users.get(5)
    assert len(mocked.calls) == 2


def test_query_users_of_a_division(api, mocked):
    mocked.get(BASE + '/users', json={'href': BASE + '/users',
                                      'items': [USER], 'links': []},
               headers={'X-Total-Matching-Query': '1'})
    users = api.users.query(division='div1', role='admin', limit=5)
    assert query_of(mocked.calls[0].request) == {
        'division': ['div1'], 'role': ['admin'], 'limit': ['5']}
    assert [u.username for u in users] == ['rfranklin'] and users.total == 1
    api.users.query(division='div1')
    assert query_of(mocked.calls[1].request) == {'division': ['div1']}
    with pytest.raises(errors.SbgError, match='Division is required!'):
        api.users.query(division=None)


def test_disable_user(api, mocked):
    mocked.delete(BASE + '/users/rfranklin', status=204)
    assert api.users == User  # binds the class to api (its default)
    assert User(**USER).disable() is None
    request = mocked.calls[0].request
    assert (request.method, path_of(request), body_of(request)) == \
        ('DELETE', '/v2/users/rfranklin', {})


def test_user_equality_and_no_delete(api):
    first, second = User(username='a'), User(username='a')
    assert first == second and first != User(username='b')
    assert first != 'a'
    with pytest.raises(TypeError):
        hash(first)
    with pytest.raises(errors.SbgError, match='Resource can not be deleted!'):
        User(api=api, **USER).delete()
    with pytest.raises(errors.ReadOnlyPropertyError):
        first.email = 'x@y'


def test_endpoints(api, mocked):
    mocked.get(BASE + '/', json={'users_url': BASE + '/users',
                                 'files_url': BASE + '/files',
                                 'new_url': BASE + '/new'})
    endpoints = api.endpoints.get(unused='x')
    assert path_of(mocked.calls[0].request) == '/v2/'
    assert endpoints.files_url == BASE + '/files'
    assert endpoints.new_url == BASE + '/new'
    assert endpoints.tasks_url is None
    assert len(mocked.calls) == 1
    assert str(endpoints) == '<Endpoints>'


def test_rate_limit(api, mocked):
    mocked.get(BASE + '/rate_limit', json={
        'rate': {'limit': 1000, 'remaining': 999, 'reset': 1700000060},
        'instance_limit': {'limit': 25, 'remaining': 20}})
    limits = api.rate_limit.get(id='ignored')
    assert path_of(mocked.calls[0].request) == '/v2/rate_limit'
    assert isinstance(limits.rate, Rate)
    assert (limits.rate.limit, limits.rate.remaining) == (1000, 999)
    assert limits.rate.reset == datetime(2023, 11, 14, 22, 14, 20)
    assert limits.instance_limit.reset is None
    assert str(limits) == repr(limits) == 'RateLimit'
    assert str(limits.rate) == '<Rate: limit=1000, remaining=999>'


def test_error_compound():
    error = Error(status=404, code=5002, message='Not found',
                  more_info='https://docs')
    assert (error.status, error.code, error.message, error.more_info) == \
        (404, 5002, 'Not found', 'https://docs')
    assert str(error) == repr(error) == '<Error: status=404, code=5002>'


def test_bulk_records(api):
    response = mock.Mock()
    response.json.return_value = {'items': [
        {'resource': {'id': 'a'}},
        {'error': {'status': 404, 'code': 5002, 'message': 'gone'}},
        {}]}
    records = BulkRecord.parse_records(response, api=api)
    assert [r.valid for r in records] == [True, False, True]
    assert isinstance(records[0].resource, Resource)
    assert isinstance(records[1].error, Error)
    assert records[1].error.message == 'gone'
    assert records[2].resource is None and records[2].error is None
    assert str(records[0]) == repr(records[0]) == '<BulkRecord valid=True>'
    assert records[0]._api is api
    empty = mock.Mock()
    empty.json.return_value = {}
    assert BulkRecord.parse_records(empty, api=api) == []


def test_enums():
    assert enums.RequestParameters.MAX_URL_LENGTH == 6000
    assert enums.RequestParameters.DEFAULT_TIMEOUT == 300
    assert enums.RequestParameters.DEFAULT_BULK_LIMIT == 100
    assert enums.PartSize.MAXIMUM_OBJECT_SIZE == 5497558138880
    assert enums.PartSize.MAXIMUM_UPLOAD_SIZE == 5368709120
    assert enums.PartSize.UPLOAD_MINIMUM_PART_SIZE == 5242880
    assert enums.PartSize.DOWNLOAD_MINIMUM_PART_SIZE == 5242880
    assert enums.PartSize.UPLOAD_RECOMMENDED_SIZE == 33554432
    assert enums.PartSize.MAXIMUM_TOTAL_PARTS == 10000
    assert enums.PartSize.TB == 1099511627776
    assert enums.TaskStatus.terminal_states == ['COMPLETED', 'FAILED',
                                                'ABORTED']
    assert enums.AutomationStatus.terminal_states == ['FINISHED', 'FAILED',
                                                      'ABORTED']
    assert enums.VolumeType.GOOGLE == 'GCS'
    assert enums.VolumeAccessMode.READ_WRITE == 'RW'
    assert enums.FileApiFormats.FOLDER == 'Directory'
    assert enums.AppCopyStrategy.CLONE_DIRECT == 'clone_direct'
    assert enums.AutomationRunActions.RERUN == 'rerun'
    assert enums.AsyncFileOperations.MOVE == 'move'
    assert enums.DivisionRole.EXTERNAL_COLLABORATOR == \
        'external_collaborator'
    for cls, names in [
        (enums.TransferState, 'ABORTED RUNNING PAUSED COMPLETED PREPARING '
                              'STOPPED FAILED'),
        (enums.ImportExportState, 'PENDING RUNNING COMPLETED FAILED'),
        (enums.TaskStatus, 'DRAFT CREATING QUEUED RUNNING COMPLETED ABORTED '
                           'ABORTING FAILED'),
        (enums.FeedbackType, 'IDEA THOUGHT PROBLEM'),
        (enums.AsyncJobStates, 'RUNNING FINISHED SUBMITTED RESOLVING'),
        (enums.AutomationStatus, 'CREATED FINISHED ABORTED FAILED RUNNING '
                                 'SENT_TO_EXECUTION QUEUED_FOR_EXECUTION '
                                 'QUEUED_FOR_TERMINATION'),
    ]:
        for name in names.split():
            assert getattr(cls, name) == name
