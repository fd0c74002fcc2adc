"""Where a file comes from."""
from sevenbridges.meta.fields import StringField
from sevenbridges.meta.resource import Resource


class FileOrigin(Resource):
    """The ``task`` that produced a file, if any."""
    task = StringField(read_only=True)

    def __str__(self):
        return f'<FileOrigin: task={self.task}>'
