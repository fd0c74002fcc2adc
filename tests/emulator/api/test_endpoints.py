"""Every verb and path the SDK can send is served by the emulator, and no
body, however wrong, makes it fail: over HTTP, against the real emulator."""
import json
import zipfile

import pytest
import requests

from sevenbridges.models.enums import VolumeAccessMode
from tests.e2e.test_emulator_storage import wait_for

# The verbs and paths of every request the SDK sends (the SDK's wire
# surface: resources, bulk calls, actions, transfers).
SDK_ENDPOINTS = [
    ('GET', '/'), ('GET', '/user'), ('GET', '/users'),
    ('GET', '/users/{username}'), ('DELETE', '/users/{username}'),
    ('GET', '/rate_limit'),
    ('GET', '/billing/groups'), ('GET', '/billing/groups/{group}'),
    ('GET', '/billing/groups/{group}/breakdown/analysis'),
    ('GET', '/billing/groups/{group}/breakdown/egress'),
    ('GET', '/billing/groups/{group}/breakdown/storage'),
    ('GET', '/billing/invoices'), ('GET', '/billing/invoices/{invoice}'),
    ('GET', '/divisions'), ('GET', '/divisions/{division}'),
    ('GET', '/teams'), ('POST', '/teams'), ('GET', '/teams/{team}'),
    ('PATCH', '/teams/{team}'), ('GET', '/teams/{team}/members'),
    ('POST', '/teams/{team}/members'),
    ('DELETE', '/teams/{team}/members/{username}'),
    ('GET', '/projects'), ('GET', '/projects/'), ('POST', '/projects'),
    ('GET', '/projects/{owner}'), ('GET', '/projects/{project}'),
    ('PATCH', '/projects/{project}'), ('DELETE', '/projects/{project}'),
    ('GET', '/projects/{project}/members'),
    ('POST', '/projects/{project}/members'),
    ('GET', '/projects/{project}/members/{username}'),
    ('PATCH', '/projects/{project}/members/{username}/permissions'),
    ('DELETE', '/projects/{project}/members/{username}'),
    ('GET', '/datasets'), ('GET', '/datasets/{owner}'),
    ('GET', '/datasets/{dataset}'), ('PATCH', '/datasets/{dataset}'),
    ('DELETE', '/datasets/{dataset}'),
    ('GET', '/datasets/{dataset}/members'),
    ('POST', '/datasets/{dataset}/members'),
    ('GET', '/datasets/{dataset}/members/{username}'),
    ('DELETE', '/datasets/{dataset}/members/{username}'),
    ('GET', '/files'), ('POST', '/files'), ('GET', '/files/scroll'),
    ('POST', '/files/search'), ('GET', '/files/{file}'),
    ('PATCH', '/files/{file}'), ('DELETE', '/files/{file}'),
    ('GET', '/files/{folder}/list'), ('GET', '/files/{folder}/scroll'),
    ('PUT', '/files/{file}/metadata'), ('PATCH', '/files/{file}/metadata'),
    ('PUT', '/files/{file}/tags'), ('POST', '/files/{file}/actions/copy'),
    ('POST', '/files/{file}/actions/move'),
    ('GET', '/files/{file}/download_info'),
    ('POST', '/bulk/files/get'), ('POST', '/bulk/files/delete'),
    ('POST', '/bulk/files/update'), ('POST', '/bulk/files/edit'),
    ('POST', '/action/files/copy'),
    ('POST', '/action/notifications/feedback'),
    ('GET', '/async/files'), ('POST', '/async/files/copy'),
    ('POST', '/async/files/move'), ('POST', '/async/files/delete'),
    ('GET', '/async/files/copy/{job}'), ('GET', '/async/files/move/{job}'),
    ('GET', '/async/files/delete/{job}'),
    ('POST', '/upload/multipart'), ('GET', '/upload/multipart/{upload}'),
    ('DELETE', '/upload/multipart/{upload}'),
    ('GET', '/upload/multipart/{upload}/part/1'),
    ('POST', '/upload/multipart/{upload}/part/'),
    ('POST', '/upload/multipart/{upload}/complete'),
    ('GET', '/genome/markers'), ('POST', '/genome/markers'),
    ('GET', '/genome/markers/{marker}'),
    ('PATCH', '/genome/markers/{marker}'),
    ('DELETE', '/genome/markers/{marker}'),
    ('GET', '/apps'), ('GET', '/apps/{app}'), ('GET', '/apps/{app}/0'),
    ('POST', '/apps/{app}/raw'), ('POST', '/apps/{app}/1/raw'),
    ('POST', '/apps/{app}/actions/copy'),
    ('POST', '/apps/{app}/0/actions/copy'),
    ('POST', '/apps/{app}/actions/sync'),
    ('GET', '/tasks'), ('POST', '/tasks'), ('GET', '/tasks/{task}'),
    ('PATCH', '/tasks/{task}'), ('DELETE', '/tasks/{task}'),
    ('POST', '/tasks/{task}/actions/run'),
    ('POST', '/tasks/{task}/actions/abort'),
    ('POST', '/tasks/{task}/actions/clone'),
    ('GET', '/tasks/{task}/execution_details'),
    ('POST', '/bulk/tasks/get'),
    ('GET', '/storage/volumes'), ('POST', '/storage/volumes'),
    ('GET', '/storage/volumes/{volume}'),
    ('PATCH', '/storage/volumes/{volume}'),
    ('DELETE', '/storage/volumes/{volume}'),
    ('GET', '/storage/volumes/{volume}/list'),
    ('GET', '/storage/volumes/{volume}/object'),
    ('GET', '/storage/volumes/{volume}/members'),
    ('POST', '/storage/volumes/{volume}/members'),
    ('GET', '/storage/volumes/{volume}/members/{username}'),
    ('PATCH', '/storage/volumes/{volume}/members/{username}/permissions'),
    ('DELETE', '/storage/volumes/{volume}/members/{username}'),
    ('GET', '/storage/imports'), ('POST', '/storage/imports'),
    ('GET', '/storage/imports/{import}'),
    ('POST', '/bulk/storage/imports/get'),
    ('POST', '/bulk/storage/imports/create'),
    ('GET', '/storage/exports'), ('POST', '/storage/exports'),
    ('GET', '/storage/exports/{export}'),
    ('POST', '/bulk/storage/exports/get'),
    ('POST', '/bulk/storage/exports/create'),
    ('POST', '/bulk/drs/imports/create'),
    ('GET', '/bulk/drs/imports/{drs}'),
    ('GET', '/automation/automations'),
    ('POST', '/automation/automations'),
    ('GET', '/automation/automations/{automation}'),
    ('PATCH', '/automation/automations/{automation}'),
    ('POST', '/automation/automations/{automation}/actions/archive'),
    ('POST', '/automation/automations/{automation}/actions/restore'),
    ('GET', '/automation/automations/{automation}/members'),
    ('POST', '/automation/automations/{automation}/members'),
    ('GET', '/automation/automations/{automation}/members/{username}'),
    ('PATCH', '/automation/automations/{automation}/members/{username}'),
    ('DELETE', '/automation/automations/{automation}/members/{username}'),
    ('GET', '/automation/automations/{automation}/packages'),
    ('POST', '/automation/automations/{automation}/packages'),
    ('GET', '/automation/packages/{package}'),
    ('PATCH', '/automation/packages/{package}'),
    ('POST', '/automation/automations/{automation}/packages/{package}/'
             'actions/archive'),
    ('POST', '/automation/automations/{automation}/packages/{package}/'
             'actions/restore'),
    ('GET', '/automation/runs'), ('POST', '/automation/runs'),
    ('GET', '/automation/runs/{run}'), ('PATCH', '/automation/runs/{run}'),
    ('POST', '/automation/runs/{run}/actions/stop'),
    ('POST', '/automation/runs/{run}/actions/rerun'),
    ('GET', '/automation/runs/{run}/state'),
    ('POST', '/automation/upload'), ('GET', '/automation/upload/{upload}'),
    ('DELETE', '/automation/upload/{upload}'),
    ('GET', '/automation/upload/{upload}/part/1'),
    ('POST', '/automation/upload/{upload}/part/'),
    ('POST', '/automation/upload/{upload}/complete'),
]
# What the emulator answers for a path or verb it does not serve.
ROUTE_MISSES = ('The requested URL was not found',
                'The method is not allowed')
ERROR_KEYS = {'status', 'code', 'message', 'more_info'}
# Values of the wrong type for the keys request bodies use.
WRONG = {
    'name': {'a': 1}, 'project': ['p'], 'parent': 7, 'file': ['f'],
    'files': 'f', 'inputs': 'reads.fq', 'metadata': 'm', 'tags': 'x',
    'permissions': 'all', 'file_ids': 'f', 'task_ids': 't', 'items': 'i',
    'query': 5, 'app': 5, 'type': 5, 'size': 'big', 'part_size': 'x',
    'username': 5, 'email': 5, 'settings': 'x', 'description': 5,
    'billing_group': 5, 'service': 'x', 'source': 'x', 'destination': 'x',
    'version': 5, 'location': 5, 'schema': 'x', 'position': 'x',
    'chromosome': 5, 'division': 5, 'id': 5, 'package': 5,
    'access_mode': 5, 'batch_by': 'x', 'batch_input': 5,
    'execution_settings': 'x', 'use_interruptible_instances': 'x',
    'part_number': 'x', 'response': 'x', 'secret_settings': 'x',
    'memory_limit': 'x', 'resume_from': 5, 'text': 5, 'referrer': 5,
    'drs_uri': 5, 'conflict_resolution': 5, 'strategy': 5, 'active': 'x',
    'overwrite': 'x', 'preserve_folder_structure': 'x', 'custom_url': 5,
    'python': 5, 'project_based': 'x', 'private': 'x', 'role': 5,
}


def test_every_endpoint_of_the_sdk_is_served(sbg_emulator):
    session = requests.Session()
    session.headers['X-SBG-Auth-Token'] = sbg_emulator.token
    values = {'username': 'nobody', 'group': 'g', 'invoice': 'i',
              'division': 'd', 'team': 't', 'owner': 'nobody',
              'project': 'nobody/p', 'dataset': 'nobody/d', 'file': 'f',
              'folder': 'f', 'job': 'j', 'upload': 'u', 'marker': 'm',
              'app': 'nobody/p/a', 'task': 't', 'volume': 'nobody/v',
              'import': 'i', 'export': 'e', 'drs': 'd', 'automation': 'a',
              'package': 'p', 'run': 'r'}
    missed = []
    for method, template in SDK_ENDPOINTS:
        response = session.request(method, sbg_emulator.url +
                                   template.format(**values), json={})
        body = response.json()
        assert ERROR_KEYS <= set(body) or response.ok, (method, template)
        if not response.ok and body['message'].startswith(ROUTE_MISSES):
            missed.append((method, template))
        assert response.status_code != 500, (method, template, body)
    assert missed == []


@pytest.fixture
def world(sbg_api, sbg_emulator, tmp_path):
    """One of everything, to reach the body checks of every endpoint."""
    api = sbg_api
    project = api.projects.create(name='World')
    folder = api.files.create_folder('folder', project=project)
    path = tmp_path / 'reads.fq'
    path.write_bytes(b'@r\nACGT\n+\nIIII\n')
    file = api.files.upload(str(path), project=project).result()
    app = api.apps.get('admin/sbg-public-data/fastqc-lite').copy(
        project=project.id)
    task = api.tasks.create('draft', project, app.id,
                            inputs={'reads': file})
    volume = api.volumes.create_s3_volume(
        name='vol', bucket='vol', access_key_id='A', secret_access_key='S',
        access_mode=VolumeAccessMode.READ_WRITE)
    export = api.exports.submit_export(file=file, volume=volume,
                                       location='reads.fq', copy_only=True)
    division = api.divisions.get('emulated-division')
    team = api.teams.create(name='Team', division=division)
    marker = api.markers.create(file=file, name='m', chromosome='chrM',
                                position={'start': 1, 'end': 2})
    code = tmp_path / 'code.zip'
    with zipfile.ZipFile(code, 'w') as archive:
        archive.writestr('main.py', '')
    automation = api.automations.create(name='Auto')
    package = automation.add_package(version='1', file_path=str(code),
                                     schema={})
    run = api.automation_runs.create(package=package, inputs={})
    session = requests.Session()
    session.headers['X-SBG-Auth-Token'] = sbg_emulator.token
    upload = session.post(f'{sbg_emulator.url}/upload/multipart', json={
        'project': project.id, 'name': 'part.bin', 'size': 1}).json()
    wait_for(export.reload, lambda job: job.state == 'COMPLETED')
    imported = api.imports.submit_import(volume=volume, location='reads.fq',
                                         project=project, name='imported')
    return session, {
        'username': 'jwatson', 'group': project.billing_group,
        'invoice': api.invoices.query()[0].id, 'division': division.id,
        'team': team.id, 'owner': 'rfranklin', 'project': project.id,
        'dataset': 'rfranklin/franklin-cohort', 'file': file.id,
        'folder': folder.id, 'job': 'none', 'upload': upload['upload_id'],
        'marker': marker.id, 'app': app.id, 'task': task.id,
        'volume': volume.id, 'import': imported.id, 'export': export.id,
        'drs': 'none', 'automation': automation.id, 'package': package.id,
        'run': run.id}


def _bodies():
    yield []
    yield 'text'
    yield 7
    yield dict(WRONG)
    for key, value in WRONG.items():
        yield {key: value}


def test_no_body_makes_the_emulator_fail(sbg_emulator, world):
    session, values = world
    writes = [(method, template) for method, template in SDK_ENDPOINTS
              if method in ('POST', 'PATCH', 'PUT')]
    failures = []
    for method, template in writes:
        url = sbg_emulator.url + template.format(**values)
        for body in _bodies():
            response = session.request(method, url, json=body)
            if response.status_code >= 500 or (
                    not response.ok and
                    not ERROR_KEYS <= set(response.json())):
                failures.append(f'{method} {template} '
                                f'{json.dumps(body)[:50]}: '
                                f'{response.status_code}')
    assert not failures, '\n'.join(failures)
