"""Bulk work on files that runs in the background: async copy, move and
delete operations (the platform's "async jobs", ``/async/files``) and DRS
imports (``/bulk/drs/imports``).

DRS URIs resolve against the emulator itself: ``drs://<any host>/<file id>``
names a file of the emulator that the submitting user can read (any other
URI fails its item with a 404), so bulk imports with mixed outcomes are easy
to set up.
"""

from sevenbridges.emulator.state.background import UserWork
from sevenbridges.emulator.state.checks import field, obj
from sevenbridges.emulator.state.common import new_id, now
from sevenbridges.emulator.state.errors import ApiError, outcome

OPERATIONS = {'copy': 'COPY', 'move': 'MOVE', 'delete': 'DELETE'}
CONFLICT_RESOLUTIONS = ('SKIP', 'OVERWRITE', 'AUTORENAME')


class AsyncFileOperations(UserWork):
    """``/async/files/{copy,move,delete}`` operations: SUBMITTED, then
    RUNNING, then FINISHED with a result per item; kept in the
    ``async_jobs`` collection (see :class:`~.background.UserWork`)."""

    collection = 'async_jobs'
    what = 'Async job'
    code = 5012

    def submit(self, user, operation, body):
        items = body.get('items')
        if not isinstance(items, list) or not items:
            raise ApiError(400, 'items (a non-empty list) are required.',
                           9000)
        for index, item in enumerate(items):
            where = f'Item {index}: '
            obj(item, f'Item {index}')
            field(item, 'file', str, required=True, where=where)
            for key in ('project', 'parent', 'name'):
                field(item, key, str, where=where)
        work = {'id': new_id(), 'type': OPERATIONS[operation],
                'state': 'SUBMITTED', 'result': [],
                'total_files': len(items), 'failed_files': 0,
                'completed_files': 0, 'started_on': now(),
                'finished_on': None, '_owner': user['username'],
                '_items': items}
        return self.queue.submit(work)

    def get(self, user, work_id, operation=None):
        """A copy, move or delete of ``user`` (of ``operation``, if
        given)."""
        work = super().get(user, work_id)
        if operation and work['type'] != OPERATIONS[operation]:
            raise ApiError(404, f'{self.what} {work_id} not found.',
                           self.code)
        return work

    def _start(self, work):
        work['state'] = 'RUNNING'

    def _finish(self, work):
        user = self.users.get(work['_owner'])
        perform = {'COPY': self._copy, 'MOVE': self._move,
                   'DELETE': self._delete}[work['type']]
        work['result'] = [outcome(perform, user, item)
                          for item in work['_items']]
        work['failed_files'] = sum('error' in entry
                                   for entry in work['result'])
        work['completed_files'] = len(work['result']) - work['failed_files']
        work.update(state='FINISHED', finished_on=now())

    def _fail(self, work, message):
        work.update(state='FINISHED', finished_on=now(),
                    failed_files=work['total_files'], completed_files=0)

    def _copy(self, user, item):
        return self.files.copy(user, item['file'], item.get('project'),
                               item.get('parent'), item.get('name'))

    def _move(self, user, item):
        return self.files.copy(user, item['file'], item.get('project'),
                               item.get('parent'), item.get('name'),
                               move=True)

    def _delete(self, user, item):
        return self.files.delete(user, item['file'])


class DrsImports(UserWork):
    """``/bulk/drs/imports``: PENDING, RUNNING, then COMPLETED (at least
    one file imported) or FAILED (none)."""

    collection = 'drs_imports'
    what = 'DRS import'
    code = 5013

    def submit(self, user, body):
        items = body.get('items')
        if not isinstance(items, list) or not items:
            raise ApiError(400, 'items (a non-empty list) are required.',
                           9000)
        resolution = body.get('conflict_resolution') or 'SKIP'
        if resolution not in CONFLICT_RESOLUTIONS:
            raise ApiError(400, f'conflict_resolution must be one of '
                                f'{", ".join(CONFLICT_RESOLUTIONS)}.', 9000)
        tags = body.get('tags')
        if tags is not None and not (isinstance(tags, list) and all(
                isinstance(tag, str) for tag in tags)):
            raise ApiError(400, 'tags must be a list of strings.', 9000)
        for index, item in enumerate(items):
            where = f'Item {index}: '
            obj(item, f'Item {index}')
            field(item, 'drs_uri', str, required=True, where=where)
            field(item, 'name', str, where=where)
            field(item, 'metadata', dict, where=where)
            if bool(item.get('project')) == bool(item.get('parent')):
                raise ApiError(400, f'Item {index} takes a project or a '
                                    f'parent (one of them).', 9000)
        work = {'id': new_id(), 'state': 'PENDING', 'result': [],
                'started_on': None, 'finished_on': None,
                '_owner': user['username'], '_items': items,
                '_tags': tags or [], '_resolution': resolution}
        return self.queue.submit(work)

    def _start(self, work):
        work.update(state='RUNNING', started_on=now())

    def _finish(self, work):
        user = self.users.get(work['_owner'])
        work['result'] = [outcome(self._import, user, work, item)
                          for item in work['_items']]
        imported = any('resource' in entry for entry in work['result'])
        work.update(state='COMPLETED' if imported else 'FAILED',
                    finished_on=now())

    def _fail(self, work, message):
        work.update(state='FAILED', finished_on=now())

    def _import(self, user, work, item):
        uri = item['drs_uri']
        if not uri.startswith('drs://') or uri.count('/') < 3:
            raise ApiError(400, f'{uri} is not a DRS URI.', 9000)
        object_id = uri.rstrip('/').rsplit('/', 1)[1]
        try:
            source = self.files.file(user, object_id, 'copy')
        except ApiError:
            raise ApiError(404, f'DRS object {uri} not found.', 5014) \
                from None
        if source['type'] != 'file':
            raise ApiError(400, f'DRS object {uri} is not a file.', 9000)
        project, folder = self.files.container(
            user, item.get('project'), item.get('parent'), 'write')
        resolution = work['_resolution']
        name = self.files.free_name(
            folder, item.get('name') or source['name'],
            overwrite=resolution == 'OVERWRITE',
            autorename=resolution == 'AUTORENAME')
        return self.files.add_file(
            project, folder, name,
            copied_from=self.files.blob_path(source['id']),
            metadata=item.get('metadata') or {},
            tags=list(work['_tags']), origin={'drs_uri': uri},
            replace=resolution == 'OVERWRITE')
