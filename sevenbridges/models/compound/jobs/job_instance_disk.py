"""The disk of a job's instance."""
from sevenbridges.meta.fields import IntegerField, StringField
from sevenbridges.meta.resource import Resource


class Disk(Resource):
    """A disk: its ``size`` in ``unit`` and its ``type``."""
    size = IntegerField(read_only=True)
    unit = StringField(read_only=True)
    type = StringField(read_only=True)

    def __str__(self):
        return f'<Disk size={self.size}, unit={self.unit}, type={self.type}>'
