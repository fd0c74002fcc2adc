"""What a resource holds: its JSON and little else, lists handed out as
copies, snapshots that survive lazy fetches and reloads, copies and
pickles, and attributes of the user's own."""
import copy
import gc
import pickle
import sys
import weakref

import pytest

from sevenbridges.meta.data import DataContainer
from tests.conftest import BASE
from tests.unit.sample_models import Thing

HREF = BASE + '/things/t1'


def server_json(index):
    return {'href': f'{HREF}{index}', 'id': f't{index}', 'name': 'n',
            'size': index, 'created_on': '2024-03-01T10:20:30Z',
            'metadata': {'sample': f'S{index}'}, 'tags': ['raw'],
            'brand_new': {'kept': True}}


def test_a_built_resource_holds_its_client_and_its_json_only():
    item = Thing(api=None, **server_json(1))
    assert set(vars(item)) == {'_api', '_json'}
    assert item._json == server_json(1)


@pytest.mark.skipif(sys.version_info < (3, 11),
                    reason='attributes live outside a dict from 3.11 on')
def test_building_and_reading_allocates_few_tracked_objects():
    # Each object the garbage collector tracks lengthens its collections:
    # a resource is itself plus its JSON dict, and reading a list field
    # adds the copy handed out (compound views and dates are not kept).
    count = 500
    payloads = [server_json(index) for index in range(count)]
    gc.collect()
    before = len(gc.get_objects())
    items = [Thing(api=None, **payload) for payload in payloads]
    gc.collect()
    built = len(gc.get_objects())
    for item in items:
        row = (item.name, item.size, item.metadata, item.created_on,
               item.tags)
    del row
    gc.collect()
    read = len(gc.get_objects())
    slack = count // 10  # anything else the process allocates meanwhile
    assert built - before <= 2 * count + slack
    assert read - built <= count + slack


def test_list_fields_hand_out_one_copy_and_see_its_edits():
    payload = server_json(1)
    item = Thing(api=None, **payload)
    tags = item.tags
    assert tags is item.tags and tags is not payload['tags']
    tags.append('qc')
    assert payload['tags'] == ['raw']
    assert item.field('tags') == ['raw', 'qc']
    assert item._modified_data() == {'tags': ['raw', 'qc']}
    item.update_old()
    assert item._modified_data() == {}


def test_an_assigned_list_is_sent_and_kept_as_given():
    item = Thing(api=None, **server_json(1))
    mine = ['a']
    item.tags = mine
    assert item.tags is mine
    assert item._modified_data() == {'tags': ['a']}


def test_a_pending_list_edit_survives_a_lazy_fetch(api, mocked):
    mocked.get(HREF, json={'href': HREF, 'id': 't1', 'size': 9,
                           'tags': ['server']})
    item = Thing(api=api, href=HREF, id='t1', tags=['raw'])
    item.tags.append('qc')
    assert item.size == 9  # fetches
    assert item.tags == ['raw', 'qc']
    assert item._modified_data() == {'tags': ['raw', 'qc']}
    assert item._data.fetched and len(mocked.calls) == 1


def test_a_reload_drops_handed_out_lists_and_tracks_new_ones(api, mocked):
    mocked.get(HREF, json={'href': HREF, 'id': 't1', 'tags': ['server']})
    item = Thing(api=api, href=HREF, id='t1', tags=['raw'])
    item.tags.append('qc')
    item.reload()
    assert item._modified_data() == {}
    item.tags.append('new')
    assert item._modified_data() == {'tags': ['server', 'new']}


def test_the_data_container_is_a_view_of_the_resource(api, mocked):
    mocked.get(HREF, json={'href': HREF, 'id': 't1', 'name': 'full'})
    item = Thing(api=api, href=HREF, id='t1')
    container = item._data
    assert isinstance(container, DataContainer)
    assert container.data is item._json and container.parent is item
    assert container.api is api and not container.fetched
    assert container['name'] == 'full'
    assert item._data.fetched and item._json['name'] == 'full'
    container.data = {'id': 't2'}
    assert item.id == 't2'


def test_deepcopy_and_pickle_keep_data_and_pending_edits():
    item = Thing(api=None, **server_json(1))
    item.tags.append('qc')
    item.metadata['sample'] = 'S9'
    for twin in (copy.deepcopy(item), pickle.loads(pickle.dumps(item))):
        assert twin.equals(item) and twin is not item
        assert twin._modified_data() == item._modified_data() == {
            'tags': ['raw', 'qc'], 'metadata': {'sample': 'S9'}}
        twin.tags.append('twin only')
        assert item.tags == ['raw', 'qc']


def test_users_may_set_their_own_attributes():
    item = Thing(api=None, **server_json(1))
    item.note = 'mine'
    assert item.note == 'mine' and 'note' not in item._json
    assert item.brand_new == {'kept': True}
    metadata = item.metadata
    metadata.note = 'mine too'
    assert metadata.note == 'mine too'
    assert weakref.ref(metadata)() is metadata
    assert item._modified_data() == {}
