"""Tasks as the platform answers them: invalid bodies are 400s, bulk gets (the
SDK and raw HTTP against the real emulator)."""
import pytest


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
