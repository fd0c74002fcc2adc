"""Imports of files from volumes into projects (``api.imports``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import as_list, check_choice
from sevenbridges.meta.fields import (
    BooleanField,
    CompoundField,
    DateTimeField,
    DictField,
    HrefField,
    StringField,
)
from sevenbridges.meta.resource import Resource, equal_by
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.bulk import BulkRecord
from sevenbridges.models.compound.error import Error
from sevenbridges.models.compound.volumes.import_destination import (
    ImportDestination,
)
from sevenbridges.models.compound.volumes.volume_file import VolumeFile
from sevenbridges.models.enums import ImportExportState

if TYPE_CHECKING:
    from sevenbridges._types import Api, FileRef, ImportRef, ProjectRef, VolumeRef
    from sevenbridges.meta.collection import Collection
    from sevenbridges.models.file import File


def import_destination(project, parent, name=None):
    """The ``destination`` of an import: a project or a folder (exactly one)
    and an optional new name.

    :raises SbgError: when both or neither of project and parent are given.
    """
    if project and parent:
        raise SbgError(
            'Project and parent identifiers are mutually exclusive')
    if project:
        destination = {'project': Transform.to_project(project)}
    elif parent:
        destination = {'parent': Transform.to_file(parent)}
    else:
        raise SbgError('Project or parent identifier is required.')
    if name:
        destination['name'] = name
    return destination


def result_file(resource):
    """The ``File`` of an import or export ``result``, or ``None``."""
    from sevenbridges.models.file import File
    data = resource._data.data.get('result')
    return File(api=resource._api, **data) if data else None


class Import(Resource):
    """An import of a file (or a folder) from a volume into a project.

    Example::

        job = api.imports.submit_import(volume=volume, location='runs/r1.fq',
                                        project='rfranklin/demo')
        print(job.state, job.result)
    """
    _URL = {
        'query': '/storage/imports',
        'get': '/storage/imports/{id}',
        'bulk_get': '/bulk/storage/imports/get',
        'bulk_create': '/bulk/storage/imports/create',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    state = StringField(read_only=True)
    preserve_folder_structure = BooleanField(read_only=True)
    autorename = BooleanField(read_only=True)
    source = CompoundField(VolumeFile, read_only=True)
    destination = CompoundField(ImportDestination, read_only=True)
    started_on = DateTimeField(read_only=True)
    finished_on = DateTimeField(read_only=True)
    overwrite = BooleanField(read_only=True)
    error = CompoundField(Error, read_only=True)
    _result = DictField(read_only=True, name='result')

    def __str__(self):
        return f'<Import: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    @property
    def result(self) -> File | None:
        """The imported ``File`` (once completed), or ``None``."""
        return result_file(self)

    @classmethod
    def submit_import(
            cls, volume: VolumeRef, location: str,
            project: ProjectRef | None = None, name: str | None = None,
            overwrite: bool = False, properties: dict[str, Any] | None = None,
            parent: FileRef | None = None,
            preserve_folder_structure: bool = True, autorename: bool = False,
            api: Api | None = None) -> Import:
        """Start importing a volume object (or prefix) into a project or a
        folder.

        :param volume: the volume (id or ``Volume``).
        :param location: the object's location on the volume.
        :param project: the project (id or ``Project``).
        :param name: the new file's name (default: the object's).
        :param overwrite: replace a file of the same name.
        :param properties: provider properties.
        :param parent: the folder (id or ``File``), instead of a project.
        :param preserve_folder_structure: keep the folders of a prefix.
        :param autorename: rename instead of failing on a name conflict.
        :param api: the client (default: the one the class is bound to).
        """
        data = {
            'source': {'volume': Transform.to_volume(volume),
                       'location': Transform.to_location(location)},
            'destination': import_destination(project, parent, name),
            'overwrite': overwrite,
        }
        if not preserve_folder_structure:
            data['preserve_folder_structure'] = preserve_folder_structure
        if autorename:
            data['autorename'] = autorename
        if properties:
            data['properties'] = properties
        return cls._create(url=cls._URL['query'], data=data, api=api)

    @classmethod
    def query(
            cls, project: ProjectRef | None = None,
            volume: VolumeRef | None = None, state: str | None = None,
            offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """Imports, optionally of one project, volume or state.

        :param project: the project (id or ``Project``).
        :param volume: the volume (id or ``Volume``).
        :param state: ``PENDING``, ``RUNNING``, ``COMPLETED`` or
            ``FAILED``.
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        :raises ValidationError: for an unknown ``state`` (see
            :class:`~sevenbridges.models.enums.ImportExportState`).
        """
        check_choice('state', state, ImportExportState)
        return super()._query(
            url=cls._URL['query'],
            project=Transform.to_project(project) if project else None,
            volume=Transform.to_volume(volume) if volume else None,
            state=state, offset=offset, limit=limit, fields='_all',
            api=api or cls._API)

    @classmethod
    def bulk_get(
            cls, imports: Iterable[ImportRef], api: Api | None = None
            ) -> list[ImportBulkRecord]:
        """Fetch many imports in one request.

        :param imports: imports (ids or ``Import`` objects).
        :return: an :class:`ImportBulkRecord` per import, in order.
        """
        data = {'import_ids': [Transform.to_import(item)
                             for item in as_list('imports', imports)]}
        return ImportBulkRecord._submit(cls._URL['bulk_get'], data,
                                        api or cls._API)

    @classmethod
    def bulk_submit(
            cls, imports: Iterable[dict[str, Any]], api: Api | None = None
            ) -> list[ImportBulkRecord]:
        """Start many imports in one request.

        :param imports: dicts with ``volume``, ``location``, ``project`` or
            ``parent``, and optionally ``name``, ``overwrite``,
            ``autorename``, ``preserve_folder_structure``.
        :return: an :class:`ImportBulkRecord` per import, in order.
        """
        if not imports:
            raise SbgError('Imports are required')
        imports = as_list('imports', imports)
        items = []
        for item in imports:
            entry = {
                'source': {'volume': Transform.to_volume(item.get('volume')),
                           'location': Transform.to_location(
                               item.get('location'))},
                'destination': import_destination(
                    item.get('project'), item.get('parent'),
                    item.get('name')),
                'overwrite': item.get('overwrite', False),
            }
            for key in ('autorename', 'preserve_folder_structure'):
                if item.get(key) is not None:
                    entry[key] = item[key]
            items.append(entry)
        return ImportBulkRecord._submit(cls._URL['bulk_create'],
                                        {'items': items}, api or cls._API)


class ImportBulkRecord(BulkRecord):
    """The result of one import of a bulk call (``resource`` is an
    :class:`Import`)."""
    resource = CompoundField(cls=Import, read_only=False)
