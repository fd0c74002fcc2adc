"""Genome markers (``api.markers``)."""
from sevenbridges.decorators import inplace_reload
from sevenbridges.meta.fields import (
    CompoundField,
    DateTimeField,
    HrefField,
    StringField,
)
from sevenbridges.meta.resource import Resource, equal_by
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.compound.markers.position import MarkerPosition


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
    def query(cls, file, offset=None, limit=None, api=None):
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
    def create(cls, file, name, position, chromosome, private=True,
               api=None):
        """Create a marker.

        :param file: the file (id or ``File``).
        :param name: the marker's name.
        :param position: ``{'start': ..., 'end': ...}``.
        :param chromosome: the chromosome.
        :param private: visible only to its creator.
        :param api: the client (default: the one the class is bound to).
        """
        api = api or cls._API
        data = {
            'file': Transform.to_file(file),
            'name': name,
            'position': position,
            'chromosome': chromosome,
            'private': private,
        }
        response = api.post(url=cls._URL['query'], data=data)
        return cls(api=api, **response.json())

    @inplace_reload
    def save(self, inplace=True):
        """Save the changed name, chromosome or position.

        :raises ResourceNotModified: when nothing changed.
        """
        return self._patch_modified(self._URL['get'].format(id=self.id))
