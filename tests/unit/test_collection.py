"""Collections: pages, links, totals and all()."""
import math

import pytest
from responses import matchers

from sevenbridges import errors
from sevenbridges.meta.collection import Collection, VolumeCollection
from sevenbridges.models.compound.volumes.volume_object import VolumeObject
from sevenbridges.models.compound.volumes.volume_prefix import VolumePrefix
from sevenbridges.models.link import Link, VolumeLink
from tests.conftest import BASE, path_of, query_of
from tests.unit.sample_models import Thing

THINGS = BASE + '/things'


def serve_pages(mocked, total, limit):
    """Serve ``total`` things in pages of ``limit`` with next/prev links."""

    def callback(request):
        query = query_of(request)
        offset = int(query.get('offset', ['0'])[0])
        size = int(query['limit'][0])
        items = [{'id': f't{i}', 'href': f'{THINGS}/t{i}'}
                 for i in range(offset, min(offset + size, total))]
        links = []
        if offset + size < total:
            links.append({'href': f'{THINGS}?offset={offset + size}'
                                  f'&limit={size}',
                          'rel': 'next', 'method': 'GET'})
        if offset > 0:
            links.append({'href': f'{THINGS}?offset={max(offset - size, 0)}'
                                  f'&limit={size}',
                          'rel': 'prev', 'method': 'GET'})
        body = {'href': f'{THINGS}?offset={offset}&limit={size}',
                'items': items, 'links': links}
        import json
        return 200, {'X-Total-Matching-Query': str(total)}, json.dumps(body)

    mocked.add_callback('GET', THINGS, callback=callback)


def test_query_builds_a_collection(api, mocked):
    serve_pages(mocked, total=5, limit=2)
    page = Thing._query(url='/things', limit=2, offset=None, name=None,
                        api=api)
    assert isinstance(page, Collection)
    assert [t.id for t in page] == ['t0', 't1']
    assert page.total == 5 and page.resource is Thing
    assert page.href == f'{THINGS}?offset=0&limit=2'
    assert isinstance(page.links[0], Link)
    assert str(page.links[0]) == (f'<Link: method=GET, rel=next, '
                                  f'href={THINGS}?offset=2&limit=2>')
    assert repr(page) == '<Collection: total=5, available=2>'
    assert query_of(mocked.calls[0].request) == {'limit': ['2']}
    assert page[0]._api is api


def test_non_positive_limit_becomes_the_bulk_default(api, mocked):
    serve_pages(mocked, total=1, limit=100)
    Thing._query(url='/things', limit=0, api=api)
    Thing._query(url='/things', limit=-5, api=api)
    assert [query_of(c.request)['limit'] for c in mocked.calls] == \
        [['100'], ['100']]


def test_next_and_previous_pages(api, mocked):
    serve_pages(mocked, total=5, limit=2)
    first = Thing._query(url='/things', limit=2, api=api)
    second = first.next_page()
    assert [t.id for t in second] == ['t2', 't3']
    assert [t.id for t in second.previous_page()] == ['t0', 't1']
    last = second.next_page()
    assert [t.id for t in last] == ['t4']
    with pytest.raises(errors.PaginationError, match='No more entries.'):
        last.next_page()
    with pytest.raises(errors.PaginationError, match='No more entries.'):
        first.previous_page()


@pytest.mark.parametrize('total,limit', [(0, 10), (1, 10), (10, 10),
                                         (11, 10), (95, 10), (250, 100)])
def test_all_makes_exactly_ceil_n_over_limit_requests(api, mocked, total,
                                                       limit):
    serve_pages(mocked, total=total, limit=limit)
    page = Thing._query(url='/things', limit=limit, api=api)
    ids = [thing.id for thing in page.all()]
    assert ids == [f't{i}' for i in range(total)]
    assert len(mocked.calls) == max(1, math.ceil(total / limit))


def test_all_is_lazy_and_starts_from_the_current_page(api, mocked):
    serve_pages(mocked, total=6, limit=2)
    second = Thing._query(url='/things', limit=2, api=api).next_page()
    calls = len(mocked.calls)
    iterator = second.all()
    assert len(mocked.calls) == calls
    assert [t.id for t in iterator] == ['t2', 't3', 't4', 't5']
    assert len(mocked.calls) == calls + 1


def test_pagination_errors_other_than_the_end_propagate(api, mocked):
    serve_pages(mocked, total=4, limit=2)
    page = Thing._query(url='/things', limit=2, api=api)
    mocked.replace('GET', THINGS, status=500, json={'message': 'boom'})
    iterator = page.all()
    assert [next(iterator).id, next(iterator).id] == ['t0', 't1']
    with pytest.raises(errors.ServerError):
        next(iterator)


def test_non_json_list_response(api, mocked):
    mocked.get(THINGS, body='not json', status=200)
    with pytest.raises(errors.NonJSONResponseError) as info:
        Thing._query(url='/things', api=api)
    assert info.value.status == 200 and info.value.message == 'not json'


def test_missing_total_header(api, mocked):
    mocked.get(THINGS, json={'href': THINGS, 'items': [], 'links': []})
    assert Thing._query(url='/things', api=api).total is None


def test_collection_without_resource_cannot_load(api):
    page = Collection(resource=None, href='h', total=0, items=[],
                      links=[Link(href='x', rel='next')], api=api)
    with pytest.raises(errors.SbgError,
                       match='Undefined collection resource.'):
        page.next_page()


VOLUME_LIST = BASE + '/storage/volumes/v/list'


def test_volume_collection(api, mocked):
    mocked.get(VOLUME_LIST, json={
        'href': VOLUME_LIST,
        'items': [{'location': 'a.txt', 'volume': 'v', 'type': 'FILE'}],
        'prefixes': [{'prefix': 'dir/', 'volume': 'v'}],
        'links': [{'next': VOLUME_LIST + '?continuation_token=c1'}]})
    page = VolumeCollection(href=VOLUME_LIST, items=[], links=[
        VolumeLink(next=VOLUME_LIST)], prefixes=[], api=api)
    assert page.total == -1
    with pytest.raises(errors.PaginationError,
                       match='Cannot paginate backwards'):
        page.previous_page()
    loaded = page.next_page()
    assert isinstance(loaded, VolumeCollection)
    assert isinstance(loaded[0], VolumeObject)
    assert loaded[0].location == 'a.txt'
    assert isinstance(loaded.prefixes[0], VolumePrefix)
    assert str(loaded.prefixes[0]) == '<VolumePrefix: prefix=dir/>'
    assert str(loaded[0]) == '<VolumeObject: location=a.txt>'
    assert str(loaded.links[0]) == \
        f'<VolumeLink: next={VOLUME_LIST}?continuation_token=c1>'
    assert repr(loaded) == '<VolumeCollection: items=1>'
    assert loaded.total == -1


def test_volume_collection_all_follows_next_links(api, mocked):
    mocked.get(VOLUME_LIST + '?continuation_token=c1', json={
        'href': 'x', 'items': [{'location': 'b'}], 'prefixes': [],
        'links': []},
        match=[matchers.query_string_matcher('continuation_token=c1')])
    page = VolumeCollection(
        href=VOLUME_LIST, items=[VolumeObject(location='a')],
        links=[VolumeLink(next=VOLUME_LIST + '?continuation_token=c1')],
        prefixes=[], api=api)
    assert [o.location for o in page.all()] == ['a', 'b']
    assert path_of(mocked.calls[0].request) == '/v2/storage/volumes/v/list'
    with pytest.raises(errors.PaginationError):
        VolumeCollection(href='h', items=[], links=[VolumeLink()],
                         prefixes=[], api=api).next_page()
