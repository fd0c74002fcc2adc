"""Volumes, their listings and members."""
import pytest

from sevenbridges import errors
from sevenbridges.meta.collection import VolumeCollection
from sevenbridges.models.compound.volumes.service import VolumeService
from sevenbridges.models.compound.volumes.volume_object import VolumeObject
from sevenbridges.models.compound.volumes.volume_prefix import VolumePrefix
from sevenbridges.models.member import Member
from sevenbridges.models.team import Team
from sevenbridges.models.user import User
from sevenbridges.models.volume import Volume
from tests.conftest import BASE, body_of, path_of, query_of

VOL = BASE + '/storage/volumes/u/vol'
VOLUME = {'href': VOL, 'id': 'u/vol', 'name': 'vol', 'description': 'd',
          'access_mode': 'RW', 'active': True,
          'service': {'type': 'S3', 'bucket': 'b', 'prefix': ''},
          'created_on': '2024-01-01T00:00:00Z'}
PERMISSIONS = {'read': True, 'write': True, 'copy': True, 'admin': False}


def page(items):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


@pytest.fixture
def volume(api):
    return Volume(api=api, **VOLUME)


def test_fields_query_get(api, mocked, volume):
    mocked.get(BASE + '/storage/volumes', **page([VOLUME]))
    mocked.get(VOL, json=VOLUME)
    volumes = api.volumes.query(limit=3)
    assert query_of(mocked.calls[0].request) == {'limit': ['3'],
                                                 'fields': ['_all']}
    assert volumes[0] == volume == api.volumes.get('u/vol')
    assert path_of(mocked.calls[1].request) == '/v2/storage/volumes/u/vol'
    assert isinstance(volume.service, VolumeService)
    assert volume.service['bucket'] == 'b' and volume.service['x'] is None
    assert str(volume) == repr(volume) == '<Volume: id=u/vol>'


CREATE_CASES = [
    ('create_s3_volume', dict(bucket='b', access_key_id='K',
                              secret_access_key='S'),
     {'type': 'S3', 'bucket': 'b',
      'credentials': {'access_key_id': 'K', 'secret_access_key': 'S'}}),
    ('create_s3_volume_role_auth', dict(bucket='b', role_arn='arn',
                                        external_id='e'),
     {'type': 'S3', 'bucket': 'b',
      'credentials': {'role_arn': 'arn', 'external_id': 'e'}}),
    ('create_google_volume', dict(bucket='b', client_email='c@x',
                                  private_key='pk'),
     {'type': 'GCS', 'bucket': 'b',
      'credentials': {'client_email': 'c@x', 'private_key': 'pk'}}),
    ('create_google_iam_volume', dict(bucket='b',
                                      configuration={'type': 'sa'}),
     {'type': 'GCS', 'bucket': 'b',
      'credentials': {'configuration': {'type': 'sa'}}}),
    ('create_oss_volume', dict(bucket='b', endpoint='oss.example',
                               access_key_id='K', secret_access_key='S'),
     {'type': 'OSS', 'bucket': 'b', 'endpoint': 'oss.example',
      'credentials': {'access_key_id': 'K', 'secret_access_key': 'S'}}),
]


@pytest.mark.parametrize('method,arguments,service', CREATE_CASES)
def test_create_volumes(api, mocked, method, arguments, service):
    mocked.post(BASE + '/storage/volumes', json=VOLUME)
    created = getattr(api.volumes, method)(name='vol', access_mode='RW',
                                           **arguments)
    body = body_of(mocked.calls[0].request)
    assert body == {'name': 'vol', 'service': service, 'access_mode': 'RW'}
    assert list(body['service']) == list(service)
    assert created.id == 'u/vol'
    getattr(api.volumes, method)(name='vol', access_mode='RO',
                                 description='d', prefix='p/',
                                 properties={'sse_algorithm': 'AES256'},
                                 **arguments)
    body = body_of(mocked.calls[1].request)
    assert body['description'] == 'd'
    assert body['service']['prefix'] == 'p/'
    assert body['service']['properties'] == {'sse_algorithm': 'AES256'}


@pytest.mark.parametrize('changes,message', [
    ({'bucket': ''}, 'Bucket is required!'),
    ({'secret_access_key': None}, 'Secret access key is required!'),
    ({'name': None}, 'Volume name is required!'),
    ({'access_mode': ''}, 'Access mode is required!'),
])
def test_create_validation(api, mocked, changes, message):
    arguments = dict(name='vol', bucket='b', access_key_id='K',
                     secret_access_key='S', access_mode='RW')
    arguments.update(changes)
    with pytest.raises(errors.SbgError, match=message):
        api.volumes.create_s3_volume(**arguments)
    with pytest.raises(errors.SbgError, match='Endpoint is required!'):
        api.volumes.create_oss_volume(name='v', bucket='b', endpoint=None,
                                      access_key_id='K',
                                      secret_access_key='S',
                                      access_mode='RW')
    assert len(mocked.calls) == 0


def test_save_and_delete(api, mocked, volume):
    mocked.patch(VOL, json=dict(VOLUME, description='new'))
    mocked.delete(VOL, status=204)
    volume.service['prefix'] = 'x'
    volume.description = 'new'
    assert volume.save() is volume
    assert body_of(mocked.calls[0].request) == {
        'service': {'prefix': 'x'}, 'description': 'new'}
    with pytest.raises(errors.ResourceNotModified):
        volume.save()
    assert volume.delete() is None


def test_list_with_prefixes_and_pages(api, mocked, volume):
    mocked.get(VOL + '/list', json={
        'href': VOL + '/list',
        'items': [{'location': 'a.txt', 'type': 'FILE', 'volume': 'u/vol'}],
        'prefixes': [{'prefix': 'runs/', 'volume': 'u/vol'}],
        'links': [{'next': VOL + '/list?continuation_token=c1'}]},
        match=[__import__('responses').matchers.query_param_matcher(
            {'fields': '_all', 'prefix': 'p/', 'limit': '2'})])
    mocked.get(VOL + '/list', json={
        'href': 'x', 'items': [{'location': 'b.txt'}],
        'prefixes': [{'prefix': 'more/'}], 'links': []},
        match=[__import__('responses').matchers.query_param_matcher(
            {'continuation_token': 'c1'})])
    listing = volume.list(prefix='p/', limit=2)
    assert isinstance(listing, VolumeCollection) and listing.total == -1
    assert isinstance(listing[0], VolumeObject)
    assert isinstance(listing.prefixes[0], VolumePrefix)
    assert listing.prefixes[0].prefix == 'runs/'
    assert [o.location for o in listing.all()] == ['a.txt', 'b.txt']
    assert len(mocked.calls) == 2


def test_volume_object(api, mocked, volume):
    mocked.get(VOL + '/object', json={'location': 'a.txt', 'type': 'FILE',
                                      'metadata': {'k': 'v'}})
    item = volume.get_volume_object_info('a.txt')
    assert query_of(mocked.calls[0].request) == {'location': ['a.txt']}
    assert isinstance(item, VolumeObject) and item.metadata == {'k': 'v'}


def test_imports_and_exports_of_the_volume(api, mocked, volume):
    mocked.get(BASE + '/storage/imports', **page([]))
    mocked.get(BASE + '/storage/exports', **page([]))
    volume.get_imports(project='u/p', state='FAILED', limit=1)
    assert query_of(mocked.calls[0].request) == {
        'project': ['u/p'], 'volume': ['u/vol'], 'state': ['FAILED'],
        'limit': ['1'], 'fields': ['_all']}
    volume.get_exports(state='COMPLETED')
    assert query_of(mocked.calls[1].request) == {
        'volume': ['u/vol'], 'state': ['COMPLETED'], 'fields': ['_all']}


@pytest.mark.parametrize('method,argument,expected', [
    ('add_member', User(username='bob'), {'username': 'bob',
                                          'type': 'USER'}),
    ('add_member_team', Team(id='t1'), {'username': 't1', 'type': 'TEAM'}),
    ('add_member_division', 'div1', {'username': 'div1',
                                     'type': 'DIVISION'}),
])
def test_add_members(api, mocked, volume, method, argument, expected):
    mocked.post(VOL + '/members', json={'username': 'bob',
                                        'permissions': PERMISSIONS})
    permissions = dict(PERMISSIONS, execute=True)
    member = getattr(volume, method)(argument, permissions)
    assert body_of(mocked.calls[0].request) == dict(expected,
                                                    permissions=PERMISSIONS)
    assert permissions['execute'] is True  # the caller's dict is untouched
    assert isinstance(member, Member)
    getattr(volume, method)(argument, None)
    assert body_of(mocked.calls[1].request) == expected


def test_get_list_and_remove_members(api, mocked, volume):
    member = {'href': VOL + '/members/bob', 'username': 'bob',
              'permissions': PERMISSIONS}
    mocked.get(VOL + '/members', **page([member]))
    mocked.get(VOL + '/members/bob', json=member)
    mocked.delete(VOL + '/members/bob', status=204)
    mocked.patch(VOL + '/members/bob/permissions', json=PERMISSIONS)
    members = volume.get_members(limit=5)
    assert query_of(mocked.calls[0].request) == {'limit': ['5']}
    assert members.total == 1
    found = volume.get_member('bob')
    found.permissions['admin'] = True
    found.save()
    assert body_of(mocked.calls[2].request) == {'admin': True}
    assert volume.remove_member(User(username='bob')) is None
    assert mocked.calls[3].request.method == 'DELETE'
