"""A file location on a volume."""
from sevenbridges.meta.fields import StringField
from sevenbridges.meta.resource import Resource, equal_by


class VolumeFile(Resource):
    """A ``location`` on a ``volume``."""
    volume = StringField(read_only=True)
    location = StringField(read_only=True)

    def __str__(self):
        return f'<VolumeFile: volume={self.volume}, location={self.location}>'

    __eq__ = equal_by('location')
