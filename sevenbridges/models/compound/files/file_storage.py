"""Where a file's bytes are stored."""
from sevenbridges.meta.fields import StringField
from sevenbridges.meta.resource import Resource


class FileStorage(Resource):
    """The storage ``type`` (``PLATFORM`` or ``VOLUME``), and for volume
    files the ``volume`` and ``location``."""
    type = StringField(read_only=True)
    volume = StringField(read_only=True)
    location = StringField(read_only=True)

    def __str__(self):
        return f'<FileStorage: type={self.type}, volume={self.volume}>'
