"""Resources: construction, lazy fetch, change tracking, get/reload/delete."""
import pytest

from sevenbridges import errors
from sevenbridges.decorators import inplace_reload
from sevenbridges.meta.resource import Resource
from tests.conftest import BASE, body_of, path_of
from tests.unit.sample_models import IdOnly, Metadata, SpecialThing, Thing

HREF = BASE + '/things/t1'


def thing(api, **data):
    data.setdefault('href', HREF)
    data.setdefault('id', 't1')
    return Thing(api=api, **data)


# -- construction --------------------------------------------------------------

def test_generated_methods():
    assert Thing.__init__.__name__ == '_init'
    assert str(IdOnly(id='x')) == 'IdOnly' == repr(IdOnly(id='x'))
    assert 'equals' in vars(Thing) and 'deepcopy' in vars(Thing)
    assert 'equals' not in vars(Resource)
    bare = Resource('API')
    assert bare.api == 'API' and not hasattr(bare, '_data')


def test_unknown_server_keys_are_kept_and_readable(api):
    item = thing(api, name='n', brand_new={'a': 1})
    assert item.brand_new == {'a': 1}
    assert item.field('brand_new') == {'a': 1}
    with pytest.raises(AttributeError):
        item.not_there
    with pytest.raises(AttributeError):
        item._private
    item.name = 'm'
    assert item._modified_data() == {'name': 'm'}
    assert item.deepcopy().brand_new == {'a': 1}


def test_inherited_fields_are_known_to_subclasses():
    special = SpecialThing(id='s', size=3, extra='e')
    assert (special.id, special.size, special.extra) == ('s', 3, 'e')
    with pytest.raises(errors.ValidationError):
        SpecialThing(size='big')


def test_equals_and_deepcopy(api):
    first = thing(api, name='n', tags=['a'])
    second = thing(api, name='n', tags=['a'])
    assert first.equals(second) and first.equals(first)
    assert not first.equals(thing(api, name='other'))
    assert not first.equals(SpecialThing(href=HREF, id='t1', name='n',
                                         tags=['a']))
    copy = first.deepcopy()
    assert copy.equals(first) and copy is not first
    copy.tags.append('b')
    assert first.tags == ['a']
    assert copy._api is api


# -- lazy fetch -----------------------------------------------------------------

def test_lazy_fetch_by_href_fires_once(api, mocked):
    mocked.get(HREF, json={'href': HREF, 'id': 't1', 'name': 'full',
                           'size': 7})
    item = Thing(api=api, href=HREF, id='t1')
    assert item.name == 'full'
    assert item.size == 7
    assert item.tags is None
    assert item.settings is None
    assert len(mocked.calls) == 1
    assert mocked.calls[0].request.headers['X-SBG-Auth-Token']


def test_lazy_fetch_by_id(api, mocked):
    mocked.get(BASE + '/idonly/x', json={'id': 'x', 'name': 'by id'})
    item = IdOnly(api=api, id='x')
    assert item.name == 'by id'
    assert item.name == 'by id'
    assert path_of(mocked.calls[0].request) == '/v2/idonly/x'
    assert len(mocked.calls) == 1


def test_no_fetch_when_data_is_present(api, mocked):
    item = thing(api, name='n', size=1)
    assert (item.name, item.size) == ('n', 1)
    assert len(mocked.calls) == 0


def test_no_fetch_without_href_or_id(api, mocked):
    assert IdOnly(api=api).name is None
    assert Thing(id='t1').name is None  # no api: reads as None
    assert len(mocked.calls) == 0


def test_lazy_fetch_errors_propagate(api, mocked):
    mocked.get(HREF, status=404, json={'message': 'gone'})
    with pytest.raises(errors.NotFound):
        Thing(api=api, href=HREF).name


def test_assignment_fetches_before_comparing(api, mocked):
    mocked.get(HREF, json={'href': HREF, 'id': 't1', 'name': 'server'})
    item = Thing(api=api, href=HREF)
    item.name = 'server'
    assert item._modified_data() == {}
    item.name = 'local'
    assert item._modified_data() == {'name': 'local'}
    assert len(mocked.calls) == 1


def test_fetch_keeps_pending_edits(api, mocked):
    mocked.get(HREF, json={'href': HREF, 'id': 't1', 'name': 'server',
                           'size': 9, 'settings': {'a': 1}})
    item = Thing(api=api, href=HREF, id='t1', name='old',
                 settings={'a': 1})
    item.name = 'mine'
    item.settings['b'] = 2
    assert item.size == 9  # triggers the fetch
    assert item.name == 'mine'
    assert item.settings == {'a': 1, 'b': 2}
    assert item._modified_data() == {'name': 'mine', 'settings': {'b': 2}}


# -- change tracking --------------------------------------------------------------

def test_assignment_marks_only_real_changes(api):
    item = thing(api, name='n', tags=['a'])
    item.name = 'n'
    assert item._modified_data() == {} and item._dirty == {}
    item.name = 'm'
    assert item._dirty == {'name': 'm'}
    assert item._modified_data() == {'name': 'm'}
    item.name = 'n'
    assert item._modified_data() == {}


def test_in_place_list_edits_are_detected(api):
    item = thing(api, tags=['a'])
    item.tags.append('b')
    assert item._modified_data() == {'tags': ['a', 'b']}


def test_in_place_dict_field_edits_send_changed_keys(api):
    item = thing(api, raw={'a': 1, 'b': 2})
    item.raw['b'] = 3
    item.raw['c'] = 4
    assert item._modified_data() == {'raw': {'b': 3, 'c': 4}}


def test_new_field_value_is_sent_whole(api, mocked):
    mocked.get(HREF, json={'href': HREF, 'id': 't1'})
    item = thing(api)
    item.raw = {'x': 1}
    assert item._modified_data() == {'raw': {'x': 1}}


def test_compound_dict_edits_propagate_to_the_parent(api):
    item = thing(api, settings={'locked': False, 'x': 1})
    settings = item.settings
    settings['locked'] = True
    assert item._data.data['settings'] == {'locked': True, 'x': 1}
    assert item._dirty == {'settings': {'locked': True}}
    assert item._modified_data() == {'settings': {'locked': True}}
    assert item.settings['locked'] is True
    assert item.settings['missing'] is None
    assert item.settings == {'locked': True, 'x': 1}


def test_compound_dict_same_value_is_not_a_change(api):
    item = thing(api, settings={'locked': True})
    item.settings['locked'] = True
    assert item._modified_data() == {}


def test_compound_dict_replaced_whole_sends_differences(api):
    item = thing(api, settings={'a': 1, 'b': 2})
    item.settings = {'a': 1, 'b': 3, 'c': 4}
    assert item._modified_data() == {'settings': {'b': 3, 'c': 4}}


def test_nested_values_are_compared_whole(api):
    item = thing(api, raw={'file': {'class': 'File', 'path': 'a'}})
    item.raw['file'] = {'class': 'File', 'path': 'b'}
    assert item._modified_data() == {
        'raw': {'file': {'class': 'File', 'path': 'b'}}}


def test_compound_update_items_repr_and_equals(api):
    item = thing(api, metadata={'a': 1, 'b': 2})
    metadata = item.metadata
    metadata.update({'a': 1, 'b': 5}, c=6)
    assert item._modified_data() == {'metadata': {'b': 5, 'c': 6}}
    assert metadata.items() == [('a', 1), ('b', 5), ('c', 6)]
    assert repr(metadata) == str(metadata) == "{'a': 1, 'b': 5, 'c': 6}"
    other = thing(api, metadata={'a': 1, 'b': 5, 'c': 6})
    assert metadata.equals(other.metadata)
    assert not metadata.equals(thing(api, settings={}).settings)
    assert isinstance(metadata, Metadata)


def test_metadata_assignment_replaces_it_whole(api):
    item = thing(api, metadata={'a': 1, 'b': 2})
    item.metadata = {'a': 1}
    assert item._overwrite_metadata is True
    assert item._modified_data() == {'metadata': {'a': 1}}
    with pytest.raises(errors.ValidationError,
                       match='Not a valid dictionary!'):
        item.metadata = None


def test_read_only_changes_are_never_sent(api):
    item = thing(api, size=1)
    item._set('size', 2)
    item._snapshot('name')
    assert item._modified_data() == {}


def test_update_read_only(api):
    item = thing(api, name='local', size=1)
    item.name = 'mine'
    item._update_read_only({'size': 5, 'name': 'server', 'id': 't1'})
    assert (item.size, item.name) == (5, 'mine')
    assert item._dirty == {} and item._modified_data() == {}


def test_update_old_forgets_changes(api):
    item = thing(api, tags=['a'])
    item.tags.append('b')
    item.update_old()
    assert item._modified_data() == {}


# -- get / reload / delete -----------------------------------------------------------

def test_get(api, mocked):
    mocked.get(BASE + '/things/t1', json={'id': 't1', 'name': 'n'})
    item = Thing.get('t1', api=api)
    assert (item.id, item.name, item._api) == ('t1', 'n', api)
    assert Thing.get(item, api=api).id == 't1'
    with pytest.raises(errors.SbgError, match='Invalid id value!'):
        Thing.get('', api=api)
    with pytest.raises(errors.SbgError, match='Unable to retrieve resource!'):
        SpecialThing._URL = {}
        try:
            SpecialThing.get('x', api=api)
        finally:
            del SpecialThing._URL


def test_get_uses_the_bound_api(api, mocked):
    class Holder:
        things = Thing

    mocked.get(BASE + '/things/t1', json={'id': 't1'})
    holder = Holder()
    assert Holder.things is Thing  # through the class: no binding
    bound = Thing.__get__(api, type(api))
    assert bound == Thing and bound._API is api and Thing._API is api
    assert bound.get('t1')._api is api
    assert holder.things._API is holder
    assert Thing._API is holder  # unbound use: the last binding, as before
    Thing._API = api
    assert Thing.get('t1')._api is api


def test_reload_by_href_drops_local_edits(api, mocked):
    mocked.get(HREF, json={'href': HREF, 'id': 't1', 'name': 'server'})
    item = thing(api, name='old')
    item.name = 'local'
    assert item.reload() is item
    assert item.name == 'server'
    assert item._modified_data() == {} and item._dirty == {}
    assert item._data.parent is item


def test_reload_by_id(api, mocked):
    mocked.get(BASE + '/idonly/x', json={'id': 'x', 'name': 'fresh'})
    item = IdOnly(api=api, id='x', name='stale')
    assert item.reload().name == 'fresh'


def test_reload_errors_keep_their_class(api, mocked):
    mocked.get(HREF, status=404, json={'message': 'Not found', 'code': 1})
    with pytest.raises(errors.NotFound) as info:
        thing(api).reload()
    assert info.value.message == ('Resource can not be refreshed due to an '
                                  'error: Not found')
    assert info.value.status == 404


def test_reload_impossible():
    with pytest.raises(errors.SbgError, match='can not be refreshed'):
        IdOnly().reload()


def test_delete(api, mocked):
    mocked.delete(BASE + '/things/t1', status=204)
    assert thing(api).delete() is None
    request = mocked.calls[0].request
    assert (request.method, path_of(request), body_of(request)) == \
        ('DELETE', '/v2/things/t1', {})
    with pytest.raises(errors.SbgError, match='Resource can not be deleted!'):
        IdOnly(api=api, id='x').delete()


# -- inplace_reload -------------------------------------------------------------------

class Saver(Thing):
    @inplace_reload
    def save(self, inplace=True):
        """Save it."""
        return Thing(api=self._api, href=HREF, id='t1', name='saved')

    @inplace_reload
    def nothing(self, inplace=True):
        return None


def test_inplace_reload(api):
    item = Saver(api=api, href=HREF, id='t1', name='x')
    item.name = 'edited'
    assert item.save() is item
    assert item.name == 'saved' and item._modified_data() == {}
    assert item._data.parent is item and not item._data.fetched
    other = Saver(api=api, href=HREF, id='t1', name='x')
    other.name = 'edited'
    result = other.save(inplace=False)
    assert result is not other and result.name == 'saved'
    assert other.name == 'edited' and other._dirty == {'name': 'edited'}
    positional = Saver(api=api, href=HREF, id='t1', name='x')
    assert positional.save(False) is positional
    assert positional.nothing() is positional
    assert positional.nothing(inplace=False) is positional
    assert Saver.save.__doc__ == 'Save it.'
    assert Saver.save.__name__ == 'save'
