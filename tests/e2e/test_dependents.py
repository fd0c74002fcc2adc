"""What public dependents of the established SDK do, unchanged, against the
emulator: large page limits, session ids and OAuth tokens, app copies found
again by their new name, and the raw JSON keys they read."""
import json
import signal
import subprocess
import sys
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

import sevenbridges as sbg
from sevenbridges import errors
from sevenbridges.emulator.state.common import SECOND_TOKEN
from sevenbridges.version import __version__

TOOL = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': 'Align',
        'baseCommand': ['true'], 'inputs': [], 'outputs': []}

#: A project of 105 files: more than a page of the documented maximum.
MANY_FILES = {'projects': [{
    'owner': 'rfranklin', 'name': 'many',
    'files': [{'name': f'f{index:03}.txt', 'content': str(index)}
              for index in range(105)]}]}


def api_requests(emulator, path):
    """The API listener's log entries of requests to ``/v2<path>``."""
    return [entry for entry in emulator.requests
            if entry['listener'] == 'api' and entry['path'] == '/v2' + path]


def query_of(url_or_query):
    """The query of a URL (or a query string) as ``{key: [values]}``."""
    return parse_qs(urlsplit(url_or_query).query if '?' in url_or_query
                    else url_or_query)


# -- the version -------------------------------------------------------------

def test_the_platform_sees_the_version_dependents_pin(sbg_api, sbg_emulator):
    sbg_api.users.me()
    [entry] = api_requests(sbg_emulator, '/user')
    assert entry['headers']['User-Agent'].startswith(
        'sevenbridges-python/2.11.2+sbgpy.1 (')
    assert sbg.__version__ == __version__ == '2.11.2+sbgpy.1'


# -- page limits over the documented maximum ---------------------------------

def test_a_division_listed_with_limit_500_answers_its_users(
        sbg_api, sbg_emulator):
    users = sbg_api.users.query(division='emulated-division', limit=500)
    assert sorted(user.username for user in users) == ['jwatson',
                                                       'rfranklin']
    assert users.total == 2
    [entry] = api_requests(sbg_emulator, '/users')
    assert query_of(entry['query']) == {'division': ['emulated-division'],
                                        'limit': ['500']}
    assert entry['status'] == 200


@pytest.mark.sbg_emulator(preload=MANY_FILES)
def test_a_limit_over_100_answers_a_page_of_100(sbg_api, sbg_emulator):
    page = sbg_api.files.query(project='rfranklin/many', limit=500)
    assert (len(page), page.total) == (100, 105)
    assert [file.name for file in page] == [f'f{i:03}.txt'
                                            for i in range(100)]
    assert [file.name for file in page.all()] == [f'f{i:03}.txt'
                                                  for i in range(105)]
    pages = [query_of(entry['query'])
             for entry in api_requests(sbg_emulator, '/files')]
    assert pages == [
        {'project': ['rfranklin/many'], 'limit': ['500'],
         'fields': ['_all']},
        {'project': ['rfranklin/many'], 'limit': ['100'],
         'fields': ['_all'], 'offset': ['100']}]


@pytest.mark.sbg_emulator(preload=MANY_FILES)
def test_the_page_links_carry_the_limit_served(sbg_emulator):
    answer = requests.get(
        f'{sbg_emulator.url}/files',
        params={'project': 'rfranklin/many', 'limit': 1000, 'offset': 3},
        headers={'X-SBG-Auth-Token': sbg_emulator.token})
    assert answer.status_code == 200
    assert answer.headers['X-Total-Matching-Query'] == '105'
    body = answer.json()
    assert len(body['items']) == 100
    served = {'project': ['rfranklin/many'], 'limit': ['100']}
    assert query_of(body['href']) == dict(served, offset=['3'])
    assert [(link['rel'], query_of(link['href']))
            for link in body['links']] == [
        ('next', dict(served, offset=['103'])),
        ('prev', dict(served, offset=['0']))]


@pytest.mark.parametrize('limit', ['0', '-1', 'ten'])
def test_a_limit_below_1_or_not_a_number_is_still_refused(
        sbg_emulator, limit):
    answer = requests.get(f'{sbg_emulator.url}/projects',
                          params={'limit': limit},
                          headers={'X-SBG-Auth-Token': sbg_emulator.token})
    assert answer.status_code == 400
    assert answer.json()['code'] == 9000


# -- session ids and OAuth tokens --------------------------------------------

def test_code_inside_a_task_authenticates_with_a_session_id(sbg_emulator):
    api = sbg.Api(url=sbg_emulator.url, token='ignored-once-a-session-is-set')
    api._session_id = sbg_emulator.session_id()
    assert api.users.me().username == 'rfranklin'
    group = api.billing_groups.query()[0]
    project = api.projects.create(name='From a task', billing_group=group)
    assert project.created_by == 'rfranklin'
    assert api.remaining is not None
    for entry in api_requests(sbg_emulator, '/user'):
        assert entry['headers']['X-SBG-Session-Id'] == '*****'
        assert 'X-SBG-Auth-Token' not in entry['headers']
        assert entry['status'] == 200


def test_a_session_id_belongs_to_its_user_and_stays_the_same(sbg_emulator):
    mine = sbg_emulator.session_id()
    theirs = sbg_emulator.session_id('jwatson')
    assert mine == sbg_emulator.session_id('rfranklin')
    assert mine != theirs
    assert mine not in (sbg_emulator.token, SECOND_TOKEN)
    api = sbg_emulator.api()
    api._session_id = theirs
    assert api.users.me().username == 'jwatson'
    with pytest.raises(ValueError, match='username: User nobody not found'):
        sbg_emulator.session_id('nobody')


@pytest.mark.parametrize('headers', [
    {'X-SBG-Session-Id': 'not-a-session'},
    {'Authorization': 'Bearer not-a-token'},
    {'Authorization': 'Basic ' + 'emulator-token-rfranklin'},
    {},
])
def test_unknown_credentials_get_401(sbg_emulator, headers):
    answer = requests.get(f'{sbg_emulator.url}/user', headers=headers)
    assert answer.status_code == 401


def test_a_session_id_is_not_a_token_nor_a_token_a_session_id(sbg_emulator):
    session_id = sbg_emulator.session_id()
    as_token = requests.get(f'{sbg_emulator.url}/user',
                            headers={'X-SBG-Auth-Token': session_id})
    as_bearer = requests.get(f'{sbg_emulator.url}/user',
                             headers={'Authorization': f'Bearer {session_id}'})
    token_as_session = requests.get(
        f'{sbg_emulator.url}/user',
        headers={'X-SBG-Session-Id': sbg_emulator.token})
    assert [as_token.status_code, as_bearer.status_code,
            token_as_session.status_code] == [401, 401, 401]


def test_a_disabled_user_loses_its_session(sbg_api, sbg_emulator):
    watson = sbg_emulator.api(token=SECOND_TOKEN)
    watson._session_id = sbg_emulator.session_id('jwatson')
    assert watson.users.me().username == 'jwatson'
    sbg_api.users.get('jwatson').disable()
    with pytest.raises(errors.Unauthorized):
        watson.users.me()
    with pytest.raises(ValueError, match='User jwatson is disabled'):
        sbg_emulator.session_id('jwatson')


def test_an_oauth_client_authenticates_with_a_known_token(sbg_emulator):
    api = sbg.Api(url=sbg_emulator.url, oauth_token=sbg_emulator.token)
    assert api.users.me().username == 'rfranklin'
    watson = sbg.Api(url=sbg_emulator.url, oauth_token=SECOND_TOKEN)
    assert watson.users.me().username == 'jwatson'
    [mine, theirs] = api_requests(sbg_emulator, '/user')
    assert mine['headers']['Authorization'] == '*****'
    assert 'X-SBG-Auth-Token' not in mine['headers']
    with pytest.raises(errors.Unauthorized):
        sbg.Api(url=sbg_emulator.url, oauth_token='unknown').users.me()


def test_an_oauth_client_with_a_session_id_sends_the_session(sbg_emulator):
    api = sbg.Api(url=sbg_emulator.url, oauth_token='unknown')
    api._session_id = sbg_emulator.session_id('jwatson')
    assert api.users.me().username == 'jwatson'


def test_storage_urls_refuse_a_session_id(sbg_api, sbg_emulator, tmp_path):
    path = tmp_path / 'a.txt'
    path.write_text('hello')
    project = sbg_api.projects.create(name='Storage')
    url = sbg_api.files.upload(str(path), project=project).result() \
        .download_info().url
    assert requests.get(url).content == b'hello'
    refused = requests.get(
        url, headers={'X-SBG-Session-Id': sbg_emulator.session_id()})
    assert refused.status_code == 401


def test_the_command_line_prints_a_session_id(tmp_path):
    process = subprocess.Popen(
        [sys.executable, '-m', 'sevenbridges.emulator', '--data-dir',
         str(tmp_path / 'state')], stdout=subprocess.PIPE, text=True)
    try:
        ready = json.loads(process.stdout.readline())
        api = sbg.Api(url=ready['url'], token=ready['token'])
        api._session_id = ready['session_id']
        assert api.users.me().username == 'rfranklin'
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(10) == 0


# -- app copies --------------------------------------------------------------

@pytest.fixture
def app(sbg_api):
    project = sbg_api.projects.create(name='Apps')
    return sbg_api.apps.install_app(f'{project.id}/align', TOOL)


def test_a_copy_takes_the_name_given_and_is_found_by_it(sbg_api, app):
    target = sbg_api.projects.create(name='Copies')
    copy = app.copy(project=target.id, name='new-name')
    assert (copy.id, copy.name) == (f'{target.id}/new-name', 'new-name')
    assert copy.raw['label'] == 'new-name'
    assert copy.raw['sbg:copyOf'] == f'{app.project}/align/0'
    found = sbg_api.apps.query(project=target.id, q='new-name')
    assert [found_app.id for found_app in found] == [f'{target.id}/new-name']
    assert [found_app.name for found_app in found] == ['new-name']
    assert sbg_api.apps.get(f'{target.id}/new-name').name == 'new-name'
    # The source keeps its name.
    assert sbg_api.apps.get(f'{app.project}/align').name == 'Align'


def test_a_copy_without_a_name_keeps_the_source_name(sbg_api, app):
    target = sbg_api.projects.create(name='Copies')
    copy = app.copy(project=target.id)
    assert (copy.id, copy.name) == (f'{target.id}/align', 'Align')


def test_a_copy_onto_an_app_that_exists_is_a_conflict(sbg_api, app):
    target = sbg_api.projects.create(name='Copies')
    existing = sbg_api.apps.install_app(f'{target.id}/taken',
                                        dict(TOOL, label='Taken'))
    with pytest.raises(errors.Conflict,
                       match=f'App {target.id}/taken already exists'):
        app.copy(project=target.id, name='taken')
    with pytest.raises(errors.Conflict):
        app.copy(project=app.project)  # onto the source itself
    kept = sbg_api.apps.get(f'{target.id}/taken')
    assert (kept.revision, kept.name) == (existing.revision, 'Taken')
    assert kept.raw['sbg:latestRevision'] == 0
    assert sbg_api.apps.get(f'{app.project}/align').raw[
        'sbg:latestRevision'] == 0


# -- raw JSON ----------------------------------------------------------------

def test_raw_json_always_has_revision_notes(sbg_api, app):
    assert 'sbg:revisionNotes' in app.raw
    assert app.raw['sbg:revisionNotes'] is None
    app_id = f'{app.project}/align'
    assert sbg_api.apps.get(app_id).raw['sbg:revisionNotes'] is None
    noted = sbg_api.apps.create_revision(
        app_id, 1, dict(TOOL, **{'sbg:revisionNotes': 'faster'}))
    assert noted.raw['sbg:revisionNotes'] == 'faster'
    assert sbg_api.apps.get_revision(app_id, 0).raw[
        'sbg:revisionNotes'] is None
    assert sbg_api.apps.get_revision(app_id, 1).raw[
        'sbg:revisionNotes'] == 'faster'
    listed = sbg_api.apps.query(project=app.project)[0]
    assert listed.raw['sbg:revisionNotes'] == 'faster'
