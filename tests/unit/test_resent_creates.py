"""Creates whose name is unique in their container (a folder's name in its
parent) are sent again after a gateway error or a dropped connection; a 409
to the request sent again returns the object of that name (HTTP mocked,
time virtual)."""

import pytest
import requests
from responses import matchers

from sevenbridges import errors
from sevenbridges.http.retry import ResentConflict
from tests.conftest import BASE, TOKEN, body_of, query_of
from tests.unit.test_retry import dropped, make_api, refused

FILES = BASE + '/files'
FOLDER = {'href': FILES + '/d1', 'id': 'd1', 'type': 'folder',
          'name': 'reads', 'project': 'u/p', 'parent': 'root'}
BODY = {'name': 'reads', 'type': 'folder', 'project': 'u/p'}
GATEWAY_PAGE = '<html><head><title>502 Bad Gateway</title></head></html>'
CONFLICT = {'status': 409, 'code': 5004,
            'message': 'File reads already exists.'}


def found(*items):
    """The answer to the look-up of a folder by name."""
    return {'json': {'href': FILES, 'items': list(items), 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


def lookup_of(**container):
    """The look-up's query: the folder's name in its container."""
    return [matchers.query_param_matcher(
        dict(container, name='reads', fields='_all'))]


def requests_sent(mocked):
    return [(call.request.method, call.request.url.split('?')[0])
            for call in mocked.calls]


@pytest.mark.parametrize('failure', [
    {'status': 502, 'body': GATEWAY_PAGE, 'content_type': 'text/html'},
    {'status': 503, 'json': {'message': 'no upstream'}},
    {'status': 504, 'json': {'message': 'gateway timeout'}},
    {'body': dropped()},
    {'body': requests.ReadTimeout('no answer')},
])
def test_a_folder_create_is_sent_again_after_a_failure(
        clock, mocked, longest_backoffs, failure):
    api = make_api(clock)
    mocked.post(FILES, **failure)
    mocked.post(FILES, json=FOLDER, status=201)
    folder = api.files.create_folder('reads', project='u/p')
    assert folder.id == 'd1' and folder.name == 'reads'
    assert requests_sent(mocked) == [('POST', FILES)] * 2
    assert [body_of(call.request) for call in mocked.calls] == [BODY] * 2
    assert clock.sleeps == [0.5]


@pytest.mark.parametrize('failure', [
    {'status': 502, 'body': GATEWAY_PAGE, 'content_type': 'text/html'},
    {'body': dropped()},
])
def test_a_409_to_the_request_sent_again_returns_the_folder_made(
        clock, mocked, failure):
    api = make_api(clock)
    mocked.post(FILES, **failure)
    mocked.post(FILES, json=CONFLICT, status=409)
    mocked.get(FILES, **found(FOLDER), match=lookup_of(project='u/p'))
    folder = api.files.create_folder('reads', project='u/p')
    assert folder.id == 'd1' and folder.is_folder()
    assert folder.name == 'reads' and folder.project == 'u/p'
    assert requests_sent(mocked) == [('POST', FILES), ('POST', FILES),
                                     ('GET', FILES)]
    assert query_of(mocked.calls[2].request) == {
        'project': ['u/p'], 'name': ['reads'], 'fields': ['_all']}


def test_in_a_folder_the_look_up_is_by_parent(clock, mocked):
    api = make_api(clock)
    made = dict(FOLDER, id='d2', parent='d1')
    mocked.post(FILES, status=504, json={'message': 'gateway timeout'})
    mocked.post(FILES, json=CONFLICT, status=409)
    mocked.get(FILES, **found(made), match=lookup_of(parent='d1'))
    folder = api.files.create_folder('reads', parent='d1')
    assert (folder.id, folder.parent) == ('d2', 'd1')
    assert body_of(mocked.calls[1].request) == {
        'name': 'reads', 'type': 'folder', 'parent': 'd1'}
    assert len(mocked.calls) == 3


def test_a_409_to_the_first_request_is_a_conflict(clock, mocked):
    api = make_api(clock)
    mocked.post(FILES, json=CONFLICT, status=409)
    with pytest.raises(errors.Conflict) as info:
        api.files.create_folder('reads', project='u/p')
    assert type(info.value) is errors.Conflict
    assert info.value.code == 5004
    assert len(mocked.calls) == 1 and clock.sleeps == []


@pytest.mark.parametrize('failure', [
    {'status': 429, 'json': {'message': 'slow down'},
     'headers': {'Retry-After': '1'}},
    {'status': 503, 'json': {'status': 503, 'code': 0,
                             'message': 'Maintenance.'}},
    {'body': refused()},
])
def test_a_409_after_a_failure_the_platform_did_not_act_on_is_a_conflict(
        clock, mocked, failure):
    # The first request never made the folder: the name was taken before.
    api = make_api(clock)
    mocked.post(FILES, **failure)
    mocked.post(FILES, json=CONFLICT, status=409)
    with pytest.raises(errors.Conflict) as info:
        api.files.create_folder('reads', project='u/p')
    assert type(info.value) is errors.Conflict
    assert requests_sent(mocked) == [('POST', FILES)] * 2


@pytest.mark.parametrize('items', [
    [],                                               # gone since
    [dict(FOLDER, type='file')],                      # a file has the name
    [dict(FOLDER, name='Reads')],                     # not the exact name
])
def test_without_a_folder_of_that_name_the_conflict_is_raised(
        clock, mocked, items):
    api = make_api(clock)
    mocked.post(FILES, status=502, body=GATEWAY_PAGE,
                content_type='text/html')
    mocked.post(FILES, json=CONFLICT, status=409)
    mocked.get(FILES, **found(*items), match=lookup_of(project='u/p'))
    with pytest.raises(errors.Conflict) as info:
        api.files.create_folder('reads', project='u/p')
    assert isinstance(info.value, ResentConflict)
    assert (info.value.status, info.value.code, info.value.message) == \
        (409, 5004, 'File reads already exists.')
    assert len(mocked.calls) == 3


def test_without_retries_a_gateway_error_is_raised(mocked):
    from sevenbridges import Api
    api = Api(url=BASE, token=TOKEN, retry=False)
    api.remove_error_handler(api.error_handlers[0])
    mocked.post(FILES, status=502, body=GATEWAY_PAGE,
                content_type='text/html')
    with pytest.raises(errors.BadGateway):
        api.files.create_folder('reads', project='u/p')
    assert len(mocked.calls) == 1


def test_other_creates_are_not_sent_again(clock, mocked):
    # A project's name is not unique (a taken one gets a suffix): a second
    # request would make a second project.
    api = make_api(clock)
    mocked.post(BASE + '/projects', status=502, body=GATEWAY_PAGE,
                content_type='text/html')
    with pytest.raises(errors.BadGateway):
        api.projects.create('p', billing_group='b' * 8)
    assert len(mocked.calls) == 1 and clock.sleeps == []


def test_the_policy_repeats_what_the_call_says_is_safe_to_repeat():
    from sevenbridges.http.retry import RetryPolicy
    policy = RetryPolicy()
    answer = requests.Response()
    answer.status_code = 502
    answer.request = requests.Request('POST', FILES).prepare()
    assert policy.reason_to_retry(answer) is None
    assert policy.reason_to_retry(answer, idempotent=True) == \
        '502 Bad Gateway'
    assert policy.reason_to_retry_error('POST', dropped()) is None
    assert policy.reason_to_retry_error('POST', dropped(),
                                        idempotent=True) == \
        'connection dropped'
    # A GET said not to be safe to repeat is not.
    assert policy.reason_to_retry_error('GET', dropped(),
                                        idempotent=False) is None
    attempts = policy.start('POST', '/v2/files', idempotent=True)
    attempts.sent()
    assert attempts.after_error(refused()) is not None
    assert not attempts.may_have_acted      # refused: never arrived
    attempts.sent()
    assert attempts.after_response(answer) is not None
    assert attempts.may_have_acted
