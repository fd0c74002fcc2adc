"""How a batch input splits into children (by item, by metadata criteria)
and what a parent says of its children."""
import pytest

from sevenbridges.emulator.state import batching
from sevenbridges.emulator.state.errors import ApiError

METADATA = {'f1': {'sample_id': 'S1', 'lane': 1},
            'f2': {'sample_id': 'S2', 'lane': 1},
            'f3': {'sample_id': 'S1', 'lane': 2},
            'f4': {'sample_id': 'S1', 'lane': 1},
            'f5': {}}


def ref(file_id):
    return {'class': 'File', 'path': file_id}


def split(batch_by, ids):
    return batching.groups([ref(i) for i in ids], batch_by,
                           lambda item: METADATA[item['path']])


def test_by_item_a_group_per_file_in_input_order():
    assert split({'type': 'item'}, ['f2', 'f1']) == [
        batching.Group('f2', {}, [ref('f2')]),
        batching.Group('f1', {}, [ref('f1')])]


def test_by_criteria_a_group_per_combination_in_order_of_first_file():
    groups = split({'type': 'CRITERIA', 'criteria': [
        'metadata.sample_id', 'metadata.lane']},
        ['f1', 'f2', 'f3', 'f4', 'f5'])
    assert groups == [
        batching.Group('S1, 1', {'metadata.sample_id': 'S1',
                                 'metadata.lane': 1}, [ref('f1'), ref('f4')]),
        batching.Group('S2, 1', {'metadata.sample_id': 'S2',
                                 'metadata.lane': 1}, [ref('f2')]),
        batching.Group('S1, 2', {'metadata.sample_id': 'S1',
                                 'metadata.lane': 2}, [ref('f3')]),
        batching.Group(', ', {'metadata.sample_id': None,
                              'metadata.lane': None}, [ref('f5')])]


@pytest.mark.parametrize('batch_by, message', [
    ({'type': 'file'}, "batch_by: type must be ITEM or CRITERIA, not 'file'."),
    ({'type': 'CRITERIA'}, 'batch_by: criteria must be a list'),
    ({'type': 'CRITERIA', 'criteria': []}, 'batch_by: criteria must be'),
    ({'type': 'CRITERIA', 'criteria': ['name']}, 'batch_by: criteria must'),
    ({'type': 'CRITERIA', 'criteria': ['metadata.']}, 'batch_by: criteria'),
])
def test_a_batch_by_the_platform_refuses_is_a_400(batch_by, message):
    with pytest.raises(ApiError) as error:
        batching.check_batch_by(batch_by)
    assert error.value.status == 400
    assert error.value.message.startswith(message)


def test_a_parent_follows_its_children():
    assert batching.roll_up(['QUEUED', 'QUEUED'])['status'] == 'QUEUED'
    running = batching.roll_up(['RUNNING', 'QUEUED', 'COMPLETED'])
    assert running == {'status': 'RUNNING', 'execution_status': {
        'message': 'Running', 'steps_completed': 1, 'steps_total': 3,
        'queued': 1, 'running': 1, 'completed': 1, 'failed': 0,
        'aborted': 0}}
    assert batching.roll_up(['COMPLETED'] * 2)['status'] == 'COMPLETED'
    assert batching.roll_up(['COMPLETED', 'ABORTED'])['status'] == 'FAILED'
    assert batching.roll_up(['FAILED', 'COMPLETED'])['execution_status'][
        'message'] == 'Batch finished'
