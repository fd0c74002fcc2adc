"""Bulk imports of DRS objects (``api.drs_imports``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import as_list, check_choice
from sevenbridges.meta.fields import (
    CompoundListField,
    DateTimeField,
    HrefField,
    StringField,
)
from sevenbridges.meta.resource import Resource, equal_by
from sevenbridges.models.compound.import_result import FileImportResult
from sevenbridges.models.storage_import import import_destination

if TYPE_CHECKING:
    from sevenbridges._types import Api
    from sevenbridges.models.file import FileBulkRecord

#: What a bulk DRS import does with a name that is taken.
CONFLICT_RESOLUTIONS = ('SKIP', 'OVERWRITE', 'AUTORENAME')


class DRSImportBulk(Resource):
    """A bulk import of files by their DRS URIs.

    Example::

        job = api.drs_imports.bulk_submit(
            [{'drs_uri': 'drs://example.org/123', 'project': 'u/demo',
              'name': 'r1.fq'}])
        job = api.drs_imports.bulk_get(job.id)
    """
    _URL = {
        'get': '/bulk/drs/imports/{id}',
        'create': '/bulk/drs/imports/create',
    }

    id = StringField(read_only=True)
    href = HrefField(read_only=True)
    result = CompoundListField(FileImportResult, read_only=True)
    state = StringField(read_only=True)
    started_on = DateTimeField(read_only=True)
    finished_on = DateTimeField(read_only=True)

    def __str__(self):
        return f'<DRSBulkImport: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    @property
    def result_files(self) -> list[FileBulkRecord] | None:
        """The imported files, fetched in one bulk request and kept: a list
        of :class:`~sevenbridges.models.file.FileBulkRecord`, or ``None``
        when nothing was imported."""
        from sevenbridges.models.file import File
        cache = self.__dict__.setdefault('_result_files', [])
        known = {record.resource.id for record in cache
                 if record.resource is not None}
        missing = [item.resource.id for item in self.result
                   if item.resource is not None
                   and item.resource.id not in known]
        if missing:
            cache.extend(File.bulk_get(files=missing, api=self._api))
        return cache or None

    @classmethod
    def bulk_get(
            cls, import_job_id: str, api: Api | None = None) -> DRSImportBulk:
        """The state and results of a bulk import.

        :param import_job_id: the job's id (or ``DRSImportBulk``).
        :param api: the client (default: the one the class is bound to).
        """
        if not import_job_id:
            raise SbgError('DRS import is required!')
        if isinstance(import_job_id, DRSImportBulk):
            import_job_id = import_job_id.id
        if not isinstance(import_job_id, str):
            raise SbgError('Invalid DRS import parameter!')
        return cls._fetch(url=cls._URL['get'].format(id=import_job_id),
                          api=api)

    @classmethod
    def bulk_submit(
            cls, imports: Iterable[dict[str, Any]],
            tags: list[str] | None = None, conflict_resolution: str = 'SKIP',
            api: Api | None = None) -> DRSImportBulk:
        """Start importing DRS objects.

        :param imports: dicts with ``drs_uri``, ``project`` or ``parent``,
            and optionally ``name``, ``metadata``...
        :param tags: tags of the imported files.
        :param conflict_resolution: ``SKIP``, ``OVERWRITE`` or
            ``AUTORENAME``.
        :param api: the client (default: the one the class is bound to).
        """
        if not imports:
            raise SbgError('Imports are required')
        check_choice('conflict_resolution', conflict_resolution,
                     CONFLICT_RESOLUTIONS)
        items = []
        for item in as_list('imports', imports):
            entry = dict(item)
            entry.update(import_destination(item.get('project'),
                                            item.get('parent')))
            items.append(entry)
        data = {'conflict_resolution': conflict_resolution, 'tags': tags,
                'items': items}
        return cls._create(url=cls._URL['create'], data=data, api=api)
