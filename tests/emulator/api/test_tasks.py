"""Tasks as the platform answers them: invalid bodies are 400s, bulk gets,
batches by criteria, partial responses (``fields``), status filters, the
instance limit (the SDK and raw HTTP against the real emulator)."""
import pytest

from sevenbridges.emulator.api.render import selected


@pytest.mark.parametrize('body', [
    {'inputs': 'reads.fq'}, {'inputs': ['a']}, {'name': ['a']},
    {'batch_by': 'item'}, {'app': 7}, {'use_interruptible_instances': 'no'},
])
def test_invalid_task_bodies_are_400s(http, project, body):
    task = dict({'project': project.id, 'name': 't',
                 'app': 'admin/sbg-public-data/file-report'}, **body)
    answer = http('POST', '/tasks', json=task)
    assert answer.status_code == 400
    error = answer.json()
    assert set(error) == {'status', 'code', 'message', 'more_info'}
    assert error['status'] == 400 and next(iter(body)) in error['message']

def test_tasks_bulk_get(sbg_api, project):
    app = 'admin/sbg-public-data/file-report'
    tasks = [sbg_api.tasks.create(f't{n}', project, app, inputs={})
             for n in range(2)]
    records = sbg_api.tasks.bulk_get(tasks + ['00000000-0000-0000-0000-'
                                              '000000000000'])
    assert [r.valid for r in records] == [True, True, False]
    assert [r.resource.name for r in records[:2]] == ['t0', 't1']
    assert records[2].error.status == 404


APP = 'admin/sbg-public-data/file-report'


@pytest.fixture
def reads(sbg_emulator, project):
    """Four files of the project with a ``sample_id`` (the last has none),
    as task inputs."""
    files = sbg_emulator.state.files
    stored = sbg_emulator.state.projects.find(project.id)
    found = []
    for name, sample in (('a1.fq', 'A'), ('b1.fq', 'B'), ('a2.fq', 'A'),
                         ('x.fq', None)):
        file = files.add_file(project.id, stored['root_folder'], name,
                              content=b'ACGT\n', metadata={
                                  'sample_id': sample} if sample else {})
        found.append({'class': 'File', 'path': file['id']})
    return found


def test_a_batch_by_criteria_has_a_child_per_metadata_value(
        http, project, reads):
    answer = http('POST', '/tasks', params={'action': 'run'}, json={
        'project': project.id, 'app': APP, 'name': 'cohort',
        'inputs': {'input_files': reads}, 'batch_input': 'input_files',
        'batch_by': {'type': 'criteria',
                     'criteria': ['metadata.sample_id']}})
    assert answer.status_code == 201
    parent = answer.json()
    assert (parent['batch'], parent['status']) == (True, 'QUEUED')
    children = http('GET', '/tasks', params={
        'parent': parent['id'], 'fields': 'name,batch_group,inputs'})
    assert children.headers['X-Total-Matching-Query'] == '3'
    assert [{key: child[key] for key in ('name', 'batch_group')}
            for child in children.json()['items']] == [
        {'name': 'cohort - 1', 'batch_group': {
            'value': 'A', 'fields': {'metadata.sample_id': 'A'}}},
        {'name': 'cohort - 2', 'batch_group': {
            'value': 'B', 'fields': {'metadata.sample_id': 'B'}}},
        {'name': 'cohort - 3', 'batch_group': {
            'value': '', 'fields': {'metadata.sample_id': None}}}]
    assert [child['inputs']['input_files']
            for child in children.json()['items']] == [
        [reads[0], reads[2]], [reads[1]], [reads[3]]]


@pytest.mark.parametrize('batch_by', [
    {'type': 'sample'}, {'type': 'CRITERIA'},
    {'type': 'CRITERIA', 'criteria': ['sample_id']}])
def test_a_batch_by_the_platform_refuses_is_a_400(http, project, batch_by):
    answer = http('POST', '/tasks', json={
        'project': project.id, 'app': APP, 'name': 'x',
        'batch_input': 'input_files', 'batch_by': batch_by})
    assert answer.status_code == 400
    assert answer.json()['message'].startswith('batch_by: ')
    assert http('GET', '/tasks', params={'project': project.id}).json()[
        'items'] == []


def test_fields_pick_what_a_listing_answers(http, project):
    http('POST', '/tasks', json={'project': project.id, 'app': APP,
                                 'name': 'draft'})
    listing = http('GET', '/tasks', params={
        'project': project.id, 'fields': 'id,name,status,price.amount'})
    [item] = listing.json()['items']
    assert set(item) == {'href', 'id', 'name', 'status', 'price'}
    assert (item['name'], item['status'], item['price']) == (
        'draft', 'DRAFT', {'amount': '0.0000'})
    [item] = http('GET', '/tasks', params={
        'project': project.id, 'fields': '!inputs,!outputs,!errors'}).json()[
        'items']
    assert {'inputs', 'outputs', 'errors'}.isdisjoint(item)
    assert {'id', 'app', 'execution_status', 'price'} <= set(item)
    [item] = http('GET', '/tasks', params={
        'project': project.id, 'fields': '_all'}).json()['items']
    assert {'inputs', 'outputs', 'errors', 'price'} <= set(item)


def test_status_filters_take_several_values(http, project):
    for name in ('one', 'two'):
        http('POST', '/tasks', json={'project': project.id, 'app': APP,
                                     'name': name})
    assert http('GET', '/tasks', params=[
        ('project', project.id), ('status', 'QUEUED'),
        ('status', 'DRAFT')]).headers['X-Total-Matching-Query'] == '2'
    assert http('GET', '/tasks', params=[
        ('project', project.id), ('status', 'QUEUED'),
        ('status', 'RUNNING')]).json()['items'] == []


def test_a_bulk_get_reads_at_most_100_tasks(http, project):
    task = http('POST', '/tasks', json={'project': project.id, 'app': APP,
                                        'name': 't'}).json()
    answer = http('POST', '/bulk/tasks/get', params={'fields': 'id,status'},
                  json={'task_ids': [task['id']] * 100})
    assert answer.status_code == 200
    assert answer.json()['items'][0] == {'resource': {
        'href': task['href'], 'id': task['id'], 'status': 'DRAFT'}}
    refused = http('POST', '/bulk/tasks/get',
                   json={'task_ids': [task['id']] * 101})
    assert refused.status_code == 400
    assert refused.json()['message'] == (
        'task_ids: at most 100 tasks a request, not 101.')


def test_rate_limit_answers_the_instance_limit(http):
    assert http('GET', '/rate_limit').json()['instance_limit'] == {
        'limit': 25, 'remaining': 25}


def test_an_unknown_instance_type_is_an_error_of_the_draft(http, project):
    task = http('POST', '/tasks', params={'action': 'run'}, json={
        'project': project.id, 'app': APP, 'name': 'x',
        'execution_settings': {'instance_type': 'z9.huge'}}).json()
    assert task['status'] == 'DRAFT'
    assert task['errors']['execution_settings'].startswith(
        "Instance type 'z9.huge' is not available; use one of ")


@pytest.mark.parametrize('fields, answer', [
    (None, {'href': 'h', 'id': 1, 'price': {'amount': '1', 'currency': 'U'}}),
    ('_all', {'href': 'h', 'id': 1,
              'price': {'amount': '1', 'currency': 'U'}}),
    ('id', {'href': 'h', 'id': 1}),
    ('price.amount,nothing', {'href': 'h', 'price': {'amount': '1'}}),
    ('price,price.amount', {'href': 'h',
                            'price': {'amount': '1', 'currency': 'U'}}),
    ('!price', {'href': 'h', 'id': 1}),
    ('id,!id', {'href': 'h'}),
])
def test_a_partial_response_keeps_what_fields_name(fields, answer):
    task = {'href': 'h', 'id': 1, 'price': {'amount': '1', 'currency': 'U'}}
    assert selected(task, fields) == answer
