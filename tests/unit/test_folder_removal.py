"""``api.folders.plan_removal`` and ``api.folders.remove``: one walk, files
in bulk requests of 100, folders the deepest first, the folder last; bad
input refused before anything is removed (HTTP mocked)."""
import pytest
import responses

from sevenbridges import errors
from sevenbridges.models.file import File
from sevenbridges.transfer.removal import FolderRemovalError
from tests.conftest import BASE, body_of, path_of

FOLDER = {'href': f'{BASE}/files/d0', 'id': 'd0', 'name': 'run1',
          'type': 'folder', 'parent': 'root0', 'project': 'u/p'}


def item(id, name, kind='file'):
    return {'href': f'{BASE}/files/{id}', 'id': id, 'name': name,
            'type': kind, 'size': 1}


def listing(items, parent):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'match': [responses.matchers.query_param_matcher(
                {'token': 'init', 'limit': '1000', 'parent': parent,
                 'fields': '_all'})]}


def deleted(ids, errors_by_id=None):
    """A bulk delete answer: each id's file, or its error."""
    errors_by_id = errors_by_id or {}
    return {'json': {'items': [
        {'error': errors_by_id[i]} if i in errors_by_id else
        {'resource': item(i, i)} for i in ids]}}


@pytest.fixture
def tree(mocked):
    """``run1/`` holds ``reads/`` (100 files: r0 ... r99) and ``a.txt``;
    ``reads/`` holds ``deep/`` (empty)."""
    reads = [item(f'f{n}', f'r{n}') for n in range(100)]
    mocked.get(BASE + '/files/d0', json=FOLDER)
    mocked.get(BASE + '/files/scroll', **listing(
        [item('d1', 'reads', 'folder'), item('fa', 'a.txt')], 'd0'))
    mocked.get(BASE + '/files/scroll', **listing(
        reads + [item('d2', 'deep', 'folder')], 'd1'))
    mocked.get(BASE + '/files/scroll', **listing([], 'd2'))
    return mocked


def test_a_plan_is_one_walk_and_removes_nothing(api, tree):
    removal = api.folders.plan_removal('d0')
    assert repr(removal) == '<FolderRemoval of run1/: 101 files, 2 folders>'
    assert removal.paths == [f'run1/reads/r{n}' for n in range(100)] + [
        'run1/a.txt', 'run1/reads/deep/', 'run1/reads/', 'run1/']
    assert [(call.request.method, path_of(call.request))
            for call in tree.calls] == [
        ('GET', '/v2/files/d0')] + [('GET', '/v2/files/scroll')] * 3


def test_remove_deletes_files_in_bulk_then_folders_deepest_first(api, tree):
    ids = [f'f{n}' for n in range(100)]
    tree.post(BASE + '/bulk/files/delete', **deleted(ids))
    tree.post(BASE + '/bulk/files/delete', **deleted(['fa']))
    for folder in ('d2', 'd1', 'd0'):
        tree.delete(f'{BASE}/files/{folder}', status=204)
    removed = api.folders.remove('d0')
    assert removed == [f'run1/reads/r{n}' for n in range(100)] + [
        'run1/a.txt', 'run1/reads/deep/', 'run1/reads/', 'run1/']
    writes = [call.request for call in tree.calls
              if call.request.method != 'GET']
    assert [(r.method, path_of(r)) for r in writes] == [
        ('POST', '/v2/bulk/files/delete'), ('POST', '/v2/bulk/files/delete'),
        ('DELETE', '/v2/files/d2'), ('DELETE', '/v2/files/d1'),
        ('DELETE', '/v2/files/d0')]
    assert body_of(writes[0]) == {'file_ids': ids}
    assert body_of(writes[1]) == {'file_ids': ['fa']}


def test_a_file_gone_already_counts_as_removed(api, tree):
    ids = [f'f{n}' for n in range(100)]
    tree.post(BASE + '/bulk/files/delete', **deleted(ids, {'f7': {
        'status': 404, 'code': 5001, 'message': 'File not found'}}))
    tree.post(BASE + '/bulk/files/delete', **deleted(['fa']))
    for folder in ('d2', 'd1', 'd0'):
        tree.delete(f'{BASE}/files/{folder}', status=204)
    assert 'run1/reads/r7' in api.folders.remove('d0')


def test_a_refusal_names_the_path_and_keeps_what_was_removed(api, tree):
    ids = [f'f{n}' for n in range(100)]
    tree.post(BASE + '/bulk/files/delete', **deleted(ids))
    tree.post(BASE + '/bulk/files/delete', **deleted(['fa'], {'fa': {
        'status': 403, 'code': 9002, 'message': 'Insufficient privileges'}}))
    with pytest.raises(FolderRemovalError) as raised:
        api.folders.remove('d0')
    assert raised.value.message == 'run1/a.txt: Insufficient privileges'
    assert raised.value.removed == [f'run1/reads/r{n}' for n in range(100)]
    assert not [call for call in tree.calls
                if call.request.method == 'DELETE']


def test_a_folder_that_is_not_empty_stops_the_removal(api, tree):
    tree.post(BASE + '/bulk/files/delete',
              **deleted([f'f{n}' for n in range(100)]))
    tree.post(BASE + '/bulk/files/delete', **deleted(['fa']))
    tree.delete(f'{BASE}/files/d2', status=204)
    tree.delete(f'{BASE}/files/d1', status=400, json={
        'status': 400, 'code': 9000, 'message': 'Folder is not empty.'})
    with pytest.raises(FolderRemovalError) as raised:
        api.folders.remove(api.files.get('d0'))
    assert raised.value.message == 'run1/reads/: Folder is not empty.'
    assert raised.value.removed[-1] == 'run1/reads/deep/'
    assert not [call for call in tree.calls
                if path_of(call.request) == '/v2/files/d0' and
                call.request.method == 'DELETE']


@pytest.mark.parametrize('answer, message', [
    (dict(FOLDER, type='file', name='a.txt'), 'a.txt is a file, not a folder.'),
    (dict(FOLDER, parent=None, name='p'), 'p is the root folder of project '
                                          'u/p: it is removed with the '
                                          'project.'),
])
def test_a_file_or_a_projects_root_is_refused(api, mocked, answer, message):
    mocked.get(BASE + '/files/d0', json=answer)
    with pytest.raises(errors.ValidationError) as raised:
        api.folders.remove('d0')
    assert raised.value.message == message
    assert [call.request.method for call in mocked.calls] == ['GET']


def test_a_folder_object_is_not_fetched_again(api, mocked):
    mocked.get(BASE + '/files/scroll', **listing([], 'd0'))
    folder = File(api=api, **FOLDER)
    removal = api.folders.plan_removal(folder)
    assert (removal.folder, removal.paths) == (folder, ['run1/'])
    assert [path_of(call.request) for call in mocked.calls] == [
        '/v2/files/scroll']
