"""Exports of files from projects to volumes (``api.exports``)."""
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
from sevenbridges.models.compound.volumes.properties import VolumeProperties
from sevenbridges.models.compound.volumes.volume_file import VolumeFile
from sevenbridges.models.enums import ImportExportState
from sevenbridges.models.storage_import import result_file

if TYPE_CHECKING:
    from sevenbridges._types import Api, ExportRef, FileRef, VolumeRef
    from sevenbridges.meta.collection import Collection
    from sevenbridges.models.file import File


class Export(Resource):
    """An export of a file to a volume.

    Example::

        job = api.exports.submit_export(file=file, volume=volume,
                                        location='results/out.bam')
    """
    _URL = {
        'query': '/storage/exports',
        'get': '/storage/exports/{id}',
        'bulk_get': '/bulk/storage/exports/get',
        'bulk_create': '/bulk/storage/exports/create',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    state = StringField(read_only=True)
    _source = DictField(read_only=True, name='source')
    destination = CompoundField(VolumeFile, read_only=True)
    started_on = DateTimeField(read_only=True)
    finished_on = DateTimeField(read_only=True)
    overwrite = BooleanField(read_only=True)
    error = CompoundField(Error, read_only=True)
    _result = DictField(read_only=True, name='result')
    properties = CompoundField(VolumeProperties, read_only=True)

    def __str__(self):
        return f'<Export: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    @property
    def source(self) -> File | None:
        """The exported ``File`` (only its id is known until used), or
        ``None``."""
        from sevenbridges.models.file import File
        source = self._data.data.get('source')
        if not source:
            return None
        return File(api=self._api, id=source.get('file'))

    @property
    def result(self) -> File | None:
        """The ``File`` on the volume (once completed), or ``None``."""
        return result_file(self)

    @staticmethod
    def _item(file, volume, location, properties, overwrite):
        volume = Transform.to_volume(volume)
        data = {}
        if properties is not None:
            data['properties'] = properties
        data['source'] = {'file': Transform.to_file(file)}
        data['destination'] = {'volume': volume,
                               'location': Transform.to_location(location)}
        data['overwrite'] = overwrite
        return data

    @classmethod
    def submit_export(
            cls, file: FileRef, volume: VolumeRef, location: str,
            properties: dict[str, Any] | None = None, overwrite: bool = False,
            copy_only: bool = False, api: Api | None = None) -> Export:
        """Start exporting a file to a volume.

        :param file: the file (id or ``File``).
        :param volume: the volume (id or ``Volume``).
        :param location: the location (key) on the volume.
        :param properties: provider properties.
        :param overwrite: replace an object at that location.
        :param copy_only: copy (keep the file on the platform's storage)
            instead of moving it to the volume.
        :param api: the client (default: the one the class is bound to).
        """
        api = api or cls._API
        data = cls._item(file, volume, location, properties or None,
                         overwrite)
        params = {'copy_only': True} if copy_only else {}
        response = api.post(url=cls._URL['query'], params=params, data=data)
        return cls(api=api, **response.json())

    @classmethod
    def query(
            cls, volume: VolumeRef | None = None, state: str | None = None,
            offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """Exports, optionally to one volume or in one state.

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
            volume=Transform.to_volume(volume) if volume else None,
            state=state, offset=offset, limit=limit, fields='_all',
            api=api or cls._API)

    @classmethod
    def bulk_get(
            cls, exports: Iterable[ExportRef], api: Api | None = None
            ) -> list[ExportBulkRecord]:
        """Fetch many exports in one request.

        :param exports: exports (ids or ``Export`` objects).
        :return: an :class:`ExportBulkRecord` per export, in order.
        """
        data = {'export_ids': [Transform.to_export(item)
                             for item in as_list('exports', exports)]}
        return ExportBulkRecord._submit(cls._URL['bulk_get'], data,
                                        api or cls._API)

    @classmethod
    def bulk_submit(
            cls, exports: Iterable[dict[str, Any]], copy_only: bool = False,
            api: Api | None = None) -> list[ExportBulkRecord]:
        """Start many exports in one request.

        :param exports: dicts with ``file``, ``volume``, ``location`` and
            optionally ``properties`` and ``overwrite``.
        :param copy_only: copy instead of moving (see
            :meth:`submit_export`).
        :return: an :class:`ExportBulkRecord` per export, in order.
        """
        if not exports:
            raise SbgError('Exports are required')
        exports = as_list('exports', exports)
        items = [cls._item(item.get('file'), item.get('volume'),
                           item.get('location'), item.get('properties', {}),
                           item.get('overwrite', False))
                 for item in exports]
        return ExportBulkRecord._submit(
            cls._URL['bulk_create'], {'items': items}, api or cls._API,
            params={'copy_only': copy_only})


class ExportBulkRecord(BulkRecord):
    """The result of one export of a bulk call (``resource`` is an
    :class:`Export`)."""
    resource = CompoundField(cls=Export, read_only=False)
