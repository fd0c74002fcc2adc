"""Genome markers (``api.markers``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sevenbridges.meta.fields import (
    CompoundField,
    DateTimeField,
    HrefField,
    StringField,
)
from sevenbridges.meta.resource import Resource, equal_by, patch_save
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.compound.markers.position import MarkerPosition

if TYPE_CHECKING:
    from sevenbridges._types import Api, FileRef
    from sevenbridges.meta.collection import Collection


class Marker(Resource):
    """A marker on a position of a genome file (e.g. a BAM).

    Example::

        marker = api.markers.create(file=bam, name='BRCA1 variant',
                                    position={'start': 100, 'end': 150},
                                    chromosome='chr17')
    """
    _URL = {
        'query': '/genome/markers',
        'get': '/genome/markers/{id}',
        'delete': '/genome/markers/{id}',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    file = StringField(read_only=True)
    name = StringField(read_only=False)
    chromosome = StringField(read_only=False)
    position = CompoundField(MarkerPosition, read_only=False)
    created_time = DateTimeField(read_only=True)
    created_by = StringField(read_only=True)

    def __str__(self):
        return f'<Marker: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    @classmethod
    def query(
            cls, file: FileRef, offset: int | None = None,
            limit: int | None = None, api: Api | None = None) -> Collection:
        """The markers of a file.

        :param file: the file (id or ``File``).
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        """
        file = Transform.to_file(file)
        return super()._query(url=cls._URL['query'], offset=offset,
                              limit=limit, file=file, fields='_all',
                              api=api or cls._API)

    @classmethod
    def create(
            cls, file: FileRef, name: str, position: dict[str, int],
            chromosome: str, private: bool = True, api: Api | None = None
            ) -> Marker:
        """Create a marker.

        :param file: the file (id or ``File``).
        :param name: the marker's name.
        :param position: ``{'start': ..., 'end': ...}``.
        :param chromosome: the chromosome.
        :param private: visible only to its creator.
        :param api: the client (default: the one the class is bound to).
        """
        data = {
            'file': Transform.to_file(file),
            'name': name,
            'position': position,
            'chromosome': chromosome,
            'private': private,
        }
        return cls._create(url=cls._URL['query'], data=data, api=api)

    save = patch_save('Save the changed name, chromosome or position.')
