"""Bad input gets a clear error before any request (issue 13, "Bad input").

One table: each row calls the SDK with a bad argument and names the
exception expected (an ``SbgError`` subclass, or a ``ValueError`` whose
message names the parameter) and a pattern of its message. The HTTP mock
has nothing registered and records every request, matched or not: each row
asserts that none was made. Rows that touch local paths run in ``tmp_path``,
which holds a regular file ``exists.bin`` and a folder ``folder``.
"""
from typing import Any, Callable, NamedTuple, Optional, Tuple, Type, Union

import pytest

from sevenbridges.errors import SbgError, ValidationError
from sevenbridges.models.app import App
from sevenbridges.models.file import File
from sevenbridges.models.project import Project
from sevenbridges.models.task import Task
from sevenbridges.models.volume import Volume
from tests.conftest import BASE, query_of

TID = '9b0a0c8e-2f4a-4c57-9a2d-1f0c6b5e8d7a'
ErrorClass = Union[Type[BaseException], Tuple[Type[BaseException], ...]]


class Setting(NamedTuple):
    """What a row works with: the client and the prepared local folder."""
    api: Any
    folder: Any

    def file(self):
        return File(api=self.api, id='f1', name='x.bin', size=3,
                    type='file', href=f'{BASE}/files/f1')


class Row(NamedTuple):
    call: Callable[[Setting], Any]
    error: ErrorClass
    match: Optional[str]


def assign(resource, attribute, value):
    setattr(resource, attribute, value)


def assign_and_save(resource, attribute, value):
    setattr(resource, attribute, value)
    resource.save()


#: The models rows: each is implemented in the models.
ROWS = {
    # Filters of the wrong type used to be dropped (every file listed).
    'files.query names a string': Row(
        lambda s: s.api.files.query(project='u/p', names='x.bin'),
        ValidationError, r"names must be a list, not str \('x.bin'\)"),
    'files.query metadata a string': Row(
        lambda s: s.api.files.query(project='u/p', metadata='x'),
        ValidationError, r"metadata must be a dict, not str \('x'\)"),
    'files.query origin a string': Row(
        lambda s: s.api.files.query(project='u/p', origin='t1'),
        ValidationError, 'origin must be a dict'),
    # Names.
    'files.create_folder name None': Row(
        lambda s: s.api.files.create_folder(name=None, project='u/p'),
        ValidationError, 'Folder name is required.'),
    'files.create_folder name blank': Row(
        lambda s: s.api.files.create_folder(name=' ', parent='f0'),
        ValidationError, 'Folder name is required.'),
    'files.create_folder name not text': Row(
        lambda s: s.api.files.create_folder(name=7, parent='f0'),
        ValidationError, 'name must be a string, not int'),
    'projects.create name empty': Row(
        lambda s: s.api.projects.create(name=''),
        ValidationError, 'Project name is required!'),
    # Unknown values of enumerated parameters.
    'tasks.query status': Row(
        lambda s: s.api.tasks.query(status='BOGUS'),
        ValidationError, r"status must be one of DRAFT, .*, not 'BOGUS'"),
    'tasks.query status lower case': Row(
        lambda s: s.api.tasks.query(status='completed'),
        ValidationError, 'status must be one of'),
    'tasks.query one bad status of a list': Row(
        lambda s: s.api.tasks.query(status=['RUNNING', 'BOGUS']),
        ValidationError, "not 'BOGUS'"),
    'tasks.query order': Row(
        lambda s: s.api.tasks.query(order_by='name', order='up'),
        ValidationError, 'order must be one of asc, desc'),
    'project.get_tasks status': Row(
        lambda s: Project(api=s.api, id='u/p').get_tasks(status='BOGUS'),
        ValidationError, 'status must be one of'),
    'task.get_batch_children status': Row(
        lambda s: Task(api=s.api, id=TID, batch=True).get_batch_children(
            status='BOGUS'),
        ValidationError, 'status must be one of'),
    'imports.query state': Row(
        lambda s: s.api.imports.query(state='DONE'),
        ValidationError, 'state must be one of PENDING, RUNNING, '
                         'COMPLETED, FAILED'),
    'exports.query state': Row(
        lambda s: s.api.exports.query(state='DONE'),
        ValidationError, 'state must be one of'),
    'volume.get_imports state': Row(
        lambda s: Volume(api=s.api, id='u/v').get_imports(state='DONE'),
        ValidationError, 'state must be one of'),
    'automation_runs.query status': Row(
        lambda s: s.api.automation_runs.query(status='DONE'),
        ValidationError, 'status must be one of CREATED'),
    'automation_runs.query order': Row(
        lambda s: s.api.automation_runs.query(order='DESC'),
        ValidationError, 'order must be one of'),
    'users.query role': Row(
        lambda s: s.api.users.query(division='d1', role='boss'),
        ValidationError, 'role must be one of member, admin, '
                         'external_collaborator'),
    'volumes.create_s3_volume access_mode': Row(
        lambda s: s.api.volumes.create_s3_volume(
            name='v', bucket='b', access_key_id='k', secret_access_key='s',
            access_mode='RX'),
        ValidationError, 'access_mode must be one of RO, RW'),
    'apps.install_app raw_format': Row(
        lambda s: s.api.apps.install_app(id='u/p/a', raw={},
                                         raw_format='xml'),
        SbgError, 'Unsupported raw data format: "xml".'),
    'app.copy strategy': Row(
        lambda s: App(api=s.api, id='u/p/a/1').copy(
            project='u/q', strategy='deep'),
        ValidationError, 'strategy must be one of clone, direct, '
                         'transient, clone_direct'),
    'actions.send_feedback type': Row(
        lambda s: s.api.actions.send_feedback(type='RANT', text='t'),
        ValidationError, 'type must be one of IDEA, THOUGHT, PROBLEM'),
    'drs_imports.bulk_submit conflict_resolution': Row(
        lambda s: s.api.drs_imports.bulk_submit(
            [{'drs_uri': 'drs://h/1', 'project': 'u/p'}],
            conflict_resolution='REPLACE'),
        ValidationError, 'conflict_resolution must be one of SKIP, '
                         'OVERWRITE, AUTORENAME'),
    # Collections of items that are not collections.
    'files.bulk_get None': Row(
        lambda s: s.api.files.bulk_get(None),
        ValidationError, 'files must be a list, not NoneType'),
    'files.bulk_get a string': Row(
        lambda s: s.api.files.bulk_get('f1'),
        ValidationError, 'files must be a list, not str'),
    'files.bulk_delete None': Row(
        lambda s: s.api.files.bulk_delete(None),
        ValidationError, 'files must be a list'),
    'files.bulk_update one file': Row(
        lambda s: s.api.files.bulk_update(s.file()),
        ValidationError, 'files must be a list, not File'),
    'files.bulk_edit None': Row(
        lambda s: s.api.files.bulk_edit(None),
        SbgError, 'Files are required.'),
    'tasks.bulk_get None': Row(
        lambda s: s.api.tasks.bulk_get(None),
        ValidationError, 'tasks must be a list'),
    'imports.bulk_get None': Row(
        lambda s: s.api.imports.bulk_get(None),
        ValidationError, 'imports must be a list'),
    'imports.bulk_submit one dict': Row(
        lambda s: s.api.imports.bulk_submit(
            {'volume': 'u/v', 'location': 'a', 'project': 'u/p'}),
        ValidationError, 'imports must be a list, not dict'),
    'exports.bulk_get a string': Row(
        lambda s: s.api.exports.bulk_get('e1'),
        ValidationError, 'exports must be a list'),
    'exports.bulk_submit one dict': Row(
        lambda s: s.api.exports.bulk_submit(
            {'file': 'f1', 'volume': 'u/v', 'location': 'a'}),
        ValidationError, 'exports must be a list, not dict'),
    'drs_imports.bulk_submit one dict': Row(
        lambda s: s.api.drs_imports.bulk_submit(
            {'drs_uri': 'drs://h/1', 'project': 'u/p'}),
        ValidationError, 'imports must be a list, not dict'),
    'actions.bulk_copy_files None': Row(
        lambda s: s.api.actions.bulk_copy_files(None, 'u/p'),
        ValidationError, 'files must be a list'),
    'async_jobs.file_bulk_copy one dict': Row(
        lambda s: s.api.async_jobs.file_bulk_copy({'file': 'f1'}),
        ValidationError, 'files must be a list, not dict'),
    'async_jobs.file_bulk_delete None': Row(
        lambda s: s.api.async_jobs.file_bulk_delete(None),
        ValidationError, 'files must be a list'),
    # Pagination.
    'projects.query limit a word': Row(
        lambda s: s.api.projects.query(limit='ten'),
        ValidationError, r"limit must be an integer, not str \('ten'\)"),
    'projects.query offset negative': Row(
        lambda s: s.api.projects.query(offset=-5),
        ValidationError, 'offset must be 0 or more, not -5'),
    'files.query limit a float': Row(
        lambda s: s.api.files.query(project='u/p', limit=2.5),
        ValidationError, 'limit must be an integer, not float'),
    'tasks.query limit a boolean': Row(
        lambda s: s.api.tasks.query(limit=True),
        ValidationError, 'limit must be an integer, not bool'),
    'project.get_members offset a word': Row(
        lambda s: Project(api=s.api, id='u/p').get_members(offset='2'),
        ValidationError, 'offset must be an integer, not str'),
    'volume.list limit a word': Row(
        lambda s: Volume(api=s.api, id='u/v').list(limit='ten'),
        ValidationError, 'limit must be an integer'),
    'files.search limit a word': Row(
        lambda s: s.api.files.search(query='x', limit='ten'),
        ValidationError, 'limit must be an integer'),
    # Values of the wrong type for dict fields and arguments.
    'file.metadata a string then save': Row(
        lambda s: assign_and_save(s.file(), 'metadata', 'x'),
        ValidationError, r"metadata must be a dict, not str \('x'\)"),
    'project.settings a list then save': Row(
        lambda s: assign_and_save(Project(api=s.api, id='u/p'), 'settings',
                                  ['locked']),
        ValidationError, 'settings must be a dict, not list'),
    'task.inputs a string': Row(
        lambda s: assign(Task(api=s.api, id=TID), 'inputs', 'x'),
        ValidationError, 'inputs must be a dict'),
    'tasks.create inputs a string': Row(
        lambda s: s.api.tasks.create(name='t', project='u/p', app='u/p/a',
                                     inputs='x'),
        ValidationError, r"inputs must be a dict, not str \('x'\)"),
    'tasks.create execution_settings a string': Row(
        lambda s: s.api.tasks.create(name='t', project='u/p', app='u/p/a',
                                     execution_settings='c4.2xlarge'),
        ValidationError, 'execution_settings must be a dict'),
}

#: The transfer rows (``File.upload``/``File.download`` and the transfer
#: layer): an ``SbgError``, or a ``ValueError`` naming the parameter.
TRANSFER = (SbgError, ValueError)
TRANSFER_ROWS = {
    'upload retry negative': Row(
        lambda s: s.api.files.upload(str(s.folder / 'exists.bin'),
                                     project='u/p', retry=-1),
        TRANSFER, 'retry'),
    'upload timeout negative': Row(
        lambda s: s.api.files.upload(str(s.folder / 'exists.bin'),
                                     project='u/p', timeout=-5),
        TRANSFER, 'timeout'),
    'download chunk_size zero': Row(
        lambda s: s.file().download(str(s.folder / 'new.bin'),
                                    chunk_size=0),
        TRANSFER, 'chunk_size|part_size'),
    'download chunk_size negative': Row(
        lambda s: s.file().download(str(s.folder / 'new.bin'),
                                    chunk_size=-1),
        TRANSFER, 'chunk_size|part_size'),
    'download into a missing folder': Row(
        lambda s: s.file().download(str(s.folder / 'missing' / 'x.bin')),
        SbgError, None),
    'download under a regular file': Row(
        lambda s: s.file().download(str(s.folder / 'exists.bin' / 'x.bin')),
        SbgError, None),
    'download under a regular file, relative path': Row(
        lambda s: s.file().download('exists.bin/x.bin'),
        SbgError, None),
    'download onto an existing directory': Row(
        lambda s: s.file().download(str(s.folder / 'folder'),
                                    overwrite=True),
        SbgError, None),
}


@pytest.fixture
def setting(api, tmp_path, monkeypatch):
    (tmp_path / 'exists.bin').write_bytes(b'abc')
    (tmp_path / 'folder').mkdir()
    monkeypatch.chdir(tmp_path)
    return Setting(api=api, folder=tmp_path)


def _check(row, setting, mocked):
    with pytest.raises(row.error, match=row.match) as info:
        row.call(setting)
    if not isinstance(info.value, SbgError):
        # A plain Python error must say which parameter is wrong.
        assert row.match, 'a ValueError row must name the parameter'
    assert [call.request.url for call in mocked.calls] == []


@pytest.mark.parametrize('name', list(ROWS))
def test_bad_input_is_refused_before_any_request(name, setting, mocked):
    _check(ROWS[name], setting, mocked)


@pytest.mark.parametrize('name', list(TRANSFER_ROWS))
def test_bad_transfer_input_is_refused_before_any_request(
        name, setting, mocked):
    _check(TRANSFER_ROWS[name], setting, mocked)


def test_the_edges_of_valid_input_are_sent_as_before(api, mocked):
    """What stays valid: zero and negative limits mean the default page,
    large limits are the server's to refuse, offset 0, tuples of names and
    division roles in the platform's upper case."""
    page = {'json': {'href': 'x', 'items': [], 'links': []},
            'headers': {'X-Total-Matching-Query': '0'}}
    mocked.get(BASE + '/projects/', **page)
    mocked.get(BASE + '/files/scroll', **page)
    mocked.get(BASE + '/users', **page)
    mocked.get(BASE + '/tasks', **page)
    api.projects.query(limit=0, offset=0)
    api.projects.query(limit=-3)
    api.files.query(project='u/p', limit=1000, cont_token='init',
                    names=('a.bin',))
    api.users.query(division='d1', role='ADMIN')
    api.tasks.query(status=['RUNNING', 'QUEUED'], order='asc')
    queries = [query_of(call.request) for call in mocked.calls]
    assert queries == [
        {'limit': ['100'], 'offset': ['0'], 'fields': ['_all']},
        {'limit': ['100'], 'fields': ['_all']},
        {'token': ['init'], 'limit': ['1000'], 'fields': ['_all'],
         'project': ['u/p'], 'name': ['a.bin']},
        {'division': ['d1'], 'role': ['ADMIN']},
        {'status': ['RUNNING', 'QUEUED'], 'order': ['asc'],
         'fields': ['_all']},
    ]
