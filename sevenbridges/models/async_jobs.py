"""Asynchronous bulk operations on files (``api.async_jobs``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sevenbridges.meta.arguments import as_list
from sevenbridges.meta.fields import (
    BasicListField,
    DateTimeField,
    HrefField,
    IntegerField,
    StringField,
)
from sevenbridges.meta.resource import Resource, equal_by
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.file import FileBulkRecord

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.meta.collection import Collection


class AsyncFileBulkRecord(FileBulkRecord):
    """The result of one file of an asynchronous job."""

    @classmethod
    def parse_records(cls, result, api=None):
        """One record per entry of a job's ``result`` list.

        :param result: the entries (``{"resource": ...}`` or
            ``{"error": ...}``).
        :param api: the client (default: the one the class is bound to).
        """
        api = api or cls._API
        records = []
        for entry in result:
            record = cls(api=api)
            record._set('error', entry.get('error'))
            record._set('resource', entry.get('resource'))
            records.append(record)
        return records

    def __str__(self):
        return 'AsyncFileBulkRecord'

    __repr__ = __str__


class AsyncJob(Resource):
    """An asynchronous copy, move or delete of many files.

    Example::

        job = api.async_jobs.file_bulk_copy(
            files=[{'file': file.id, 'parent': folder.id}])
        job = api.async_jobs.get_file_copy_job(job.id)
        records = job.get_result()
    """
    _URL = {
        'list_file_jobs': '/async/files',
        'get_file_copy_job': '/async/files/copy/{id}',
        'get_file_delete_job': '/async/files/delete/{id}',
        'bulk_copy_files': '/async/files/copy',
        'bulk_delete_files': '/async/files/delete',
        'get_file_move_job': '/async/files/move/{id}',
        'bulk_move_files': '/async/files/move',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    type = StringField(read_only=True)
    state = StringField(read_only=True)
    result = BasicListField(read_only=True)
    total_files = IntegerField(read_only=True)
    failed_files = IntegerField(read_only=True)
    completed_files = IntegerField(read_only=True)
    started_on = DateTimeField(read_only=True)
    finished_on = DateTimeField(read_only=True)

    def __str__(self):
        return f'<AsyncJob: type={self.type} id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    @classmethod
    def _get_job(cls, key, id, api):
        return cls._fetch(url=cls._URL[key].format(
            id=Transform.to_async_job(id)), api=api)

    @classmethod
    def get_file_copy_job(
            cls, id: str | AsyncJob, api: Api | None = None) -> AsyncJob:
        """An asynchronous copy job (id or ``AsyncJob``)."""
        return cls._get_job('get_file_copy_job', id, api)

    @classmethod
    def get_file_move_job(
            cls, id: str | AsyncJob, api: Api | None = None) -> AsyncJob:
        """An asynchronous move job (id or ``AsyncJob``)."""
        return cls._get_job('get_file_move_job', id, api)

    @classmethod
    def get_file_delete_job(
            cls, id: str | AsyncJob, api: Api | None = None) -> AsyncJob:
        """An asynchronous delete job (id or ``AsyncJob``)."""
        return cls._get_job('get_file_delete_job', id, api)

    def get_result(self, api: Api | None = None) -> list[AsyncFileBulkRecord]:
        """One :class:`AsyncFileBulkRecord` per file of the job (no
        request)."""
        if not self.result:
            return []
        return AsyncFileBulkRecord.parse_records(
            result=self.result, api=api or self._api)

    @classmethod
    def list_file_jobs(
            cls, offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """The user's asynchronous file jobs.

        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        """
        return super()._query(url=cls._URL['list_file_jobs'], offset=offset,
                              limit=limit, api=api or cls._API)

    @classmethod
    def _start(cls, key, files, api):
        """POST the items of a new job to ``_URL[key]``."""
        return cls._create(url=cls._URL[key],
                           data={'items': as_list('files', files)}, api=api)

    @classmethod
    def file_bulk_copy(
            cls, files: list[dict[str, Any]], api: Api | None = None
            ) -> AsyncJob:
        """Start copying files: ``files`` are dicts ``{"file": id,
        "parent": folder id | "project": project id, "name": new name}``."""
        return cls._start('bulk_copy_files', files, api)

    @classmethod
    def file_bulk_move(
            cls, files: list[dict[str, Any]], api: Api | None = None
            ) -> AsyncJob:
        """Start moving files (items as :meth:`file_bulk_copy`)."""
        return cls._start('bulk_move_files', files, api)

    @classmethod
    def file_bulk_delete(
            cls, files: list[dict[str, Any]], api: Api | None = None
            ) -> AsyncJob:
        """Start deleting files: ``files`` are dicts ``{"file": id}``."""
        return cls._start('bulk_delete_files', files, api)
