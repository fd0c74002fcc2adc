"""The client keeps its credentials and its account to itself: no library
can slip in under its session, no redirect or link carries the token to
another origin, and two clients never answer for each other."""
import logging
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
import requests

import sevenbridges as sbg
from sevenbridges.http.client import AUTH_HEADERS, RequestSession, origin
from tests.conftest import BASE, TOKEN

# -- a library that patches requests.Session (requests_cache does) ------------

PATCHING_LIBRARY = '''
import requests

class CachingSession(requests.Session):
    """Stands for requests_cache's CachedSession: it records every request,
    headers included."""
    stored = []

    def send(self, request, **kwargs):
        CachingSession.stored.append(dict(request.headers))
        return super().send(request, **kwargs)

requests.Session = requests.sessions.Session = CachingSession
'''

CLIENT_CALLS = '''
import responses
api = sevenbridges.Api(url='https://api.sbgenomics.test/v2', token='SECRET')
with responses.RequestsMock() as mocked:
    mocked.get('https://api.sbgenomics.test/v2/user', json={'username': 'u'})
    assert api.users.me().username == 'u'
storage = sevenbridges.transfer.sessions.storage_session(api, 2)
print(CachingSession in type(api.session).__mro__,
      CachingSession in type(storage).__mro__, len(CachingSession.stored))
'''


@pytest.mark.parametrize('order', ['patched after import',
                                   'patched before import'])
def test_a_patched_requests_session_never_becomes_ours(order):
    if order == 'patched after import':
        code = 'import sevenbridges\n' + PATCHING_LIBRARY
    else:
        code = PATCHING_LIBRARY + 'import sevenbridges\n'
    code += 'import sevenbridges.transfer.sessions\n' + CLIENT_CALLS
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ['False', 'False', '0']


def test_the_session_class_is_requests_own():
    assert requests.sessions.Session in RequestSession.__mro__
    assert type(sbg.Api(url=BASE, token=TOKEN).session) is RequestSession


# -- redirects and links to another origin --------------------------------------

@pytest.mark.parametrize('target', [
    'https://evil.example/v2/user',          # another host
    'http://api.sbgenomics.test/v2/user',    # another scheme
    'https://api.sbgenomics.test:8443/v2/user',  # another port
])
@pytest.mark.parametrize('credentials', [
    {'token': TOKEN}, {'oauth_token': 'OAUTH'}, {'token': TOKEN,
                                                 'session_id': 'SESSION'},
])
def test_a_redirect_to_another_origin_carries_no_credentials(
        mocked, caplog, target, credentials):
    session_id = credentials.pop('session_id', None)
    api = sbg.Api(url=BASE, **credentials)
    if session_id:
        api._session_id = session_id
    mocked.get(BASE + '/user', status=302, headers={'Location': target})
    mocked.get(target, json={'username': 'elsewhere'})
    with caplog.at_level(logging.WARNING, logger='sevenbridges'):
        api.get('/user')
    first, redirected = (call.request for call in mocked.calls)
    assert any(header in first.headers for header in AUTH_HEADERS)
    assert redirected.url == target
    assert not [header for header in AUTH_HEADERS
                if header in redirected.headers]
    assert 'another origin' in caplog.text
    assert TOKEN not in caplog.text


def test_a_307_on_post_resends_the_body_without_credentials(api, mocked):
    target = 'https://evil.example/v2/projects'
    mocked.post(BASE + '/projects', status=307, headers={'Location': target})
    mocked.post(target, json={'id': 'x/y'})
    api.post('/projects', data={'name': 'y'})
    redirected = mocked.calls[1].request
    assert redirected.method == 'POST' and redirected.body == '{"name": "y"}'
    assert 'X-SBG-Auth-Token' not in redirected.headers


def test_a_redirect_within_the_origin_keeps_the_token(api, mocked):
    mocked.get(BASE + '/user', status=302, headers={'Location': '/v2/me'})
    mocked.get(BASE + '/me', json={'username': 'u'})
    api.get('/user')
    assert mocked.calls[1].request.headers['X-SBG-Auth-Token'] == TOKEN


def test_origin_compares_scheme_host_and_port():
    assert origin('https://A.example/v2') == origin('https://a.example:443/x')
    assert origin('http://a.example') != origin('https://a.example')
    assert origin('https://a.example:8443') != origin('https://a.example')


def test_a_next_link_to_another_origin_is_followed_on_the_api_origin(
        api, mocked):
    mocked.get(BASE + '/projects/', json={
        'href': BASE + '/projects/', 'items': [{'id': 'a/b'}],
        'links': [{'rel': 'next', 'method': 'GET',
                   'href': 'https://evil.example/v2/projects/?offset=1'}]},
        headers={'X-Total-Matching-Query': '2'})
    mocked.get(BASE + '/projects/?offset=1', json={
        'href': BASE + '/projects/?offset=1', 'items': [{'id': 'a/c'}],
        'links': []}, headers={'X-Total-Matching-Query': '2'})
    projects = api.projects.query()
    assert [project.id for project in projects.all()] == ['a/b', 'a/c']
    hosts = {urlsplit(call.request.url).netloc for call in mocked.calls}
    assert hosts == {urlsplit(BASE).netloc}


def test_a_resource_whose_href_names_another_host_reloads_from_the_api(
        api, mocked):
    mocked.get(BASE + '/files/f1', json={
        'id': 'f1', 'name': 'a.txt', 'href': 'https://alias.example/v2/files/f1'})
    mocked.patch(BASE + '/files/f1', json={
        'id': 'f1', 'name': 'b.txt', 'href': 'https://alias.example/v2/files/f1'})
    file = api.files.get('f1')
    file.reload()
    file.name = 'b.txt'
    file.save()
    assert file.name == 'b.txt'
    assert [(call.request.method, call.request.url)
            for call in mocked.calls] == [
        ('GET', BASE + '/files/f1'), ('GET', BASE + '/files/f1'),
        ('PATCH', BASE + '/files/f1')]
    assert all(call.request.headers['X-SBG-Auth-Token'] == TOKEN
               for call in mocked.calls)


def test_an_href_of_another_origin_never_reaches_that_host(api, mocked):
    mocked.get(BASE + '/projects/a/b', json={'id': 'a/b', 'name': 'b'})
    project = api.projects(id='a/b',
                           href='https://evil.example/v2/projects/a/b')
    project.reload()
    assert project.name == 'b'
    assert [call.request.url for call in mocked.calls] == [
        BASE + '/projects/a/b']


# -- two clients never cross accounts -----------------------------------------------

def answer_by_token(request):
    token = request.headers.get('X-SBG-Auth-Token')
    return 200, {}, '{"username": "%s"}' % token.lower()


def test_a_bound_class_keeps_its_client(mocked):
    mocked.add_callback('GET', BASE + '/user', callback=answer_by_token)
    api_a = sbg.Api(url=BASE, token='ALICE')
    api_b = sbg.Api(url=BASE, token='BOB')
    users = api_a.users
    assert api_b.users.me().username == 'bob'
    assert users.me().username == 'alice'
    assert [call.request.headers['X-SBG-Auth-Token']
            for call in mocked.calls] == ['BOB', 'ALICE']


def test_bound_classes_are_the_classes_for_users(api, mocked):
    from sevenbridges.models.file import File
    mocked.get(BASE + '/files', json={'href': BASE + '/files', 'links': [],
                                      'items': [{'id': 'f1', 'name': 'a'}]})
    listed = api.files.query(project='a/b')
    other = sbg.Api(url=BASE, token='OTHER')
    queried = File.query(project='a/b', api=api)
    assert type(listed[0]) is File and isinstance(listed[0], api.files)
    assert isinstance(queried[0], other.files)
    assert listed[0] == queried[0]
    assert sbg.Api.files is File and api.files == File
    assert api.files._URL is File._URL and api.files.__name__ == 'File'
    assert {call.request.headers['X-SBG-Auth-Token']
            for call in mocked.calls} == {TOKEN}
    built = api.files(id='f2')
    assert type(built) is File and built._api is api


def test_a_bound_call_runs_every_class_method_with_its_client(mocked):
    from sevenbridges.meta.resource import Resource
    from sevenbridges.models.user import User

    class Greeting(Resource):
        @classmethod
        def hello(cls):
            return User.me().username  # another class, no api given

    mocked.add_callback('GET', BASE + '/user', callback=answer_by_token)
    api_a = sbg.Api(url=BASE, token='ALICE')
    sbg.Api(url=BASE, token='BOB').users  # User's last binding: BOB's
    assert Greeting.__get__(api_a, None).hello() == 'alice'
    assert User.me().username == 'bob'  # unbound: the last binding
