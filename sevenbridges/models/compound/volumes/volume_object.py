"""An object (file) of a volume listing."""
from sevenbridges.meta.fields import DictField, StringField
from sevenbridges.meta.resource import Resource


class VolumeObject(Resource):
    """An object in a volume: its ``location``, ``type`` and ``metadata``."""
    href = StringField(read_only=True)
    location = StringField(read_only=True)
    volume = StringField(read_only=True)
    type = StringField(read_only=True)
    metadata = DictField(read_only=True)

    def __str__(self):
        return f'<VolumeObject: location={self.location}>'
