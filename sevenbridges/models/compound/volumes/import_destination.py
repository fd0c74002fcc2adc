"""Where an import puts its file."""
from sevenbridges.meta.fields import StringField
from sevenbridges.meta.resource import Resource


class ImportDestination(Resource):
    """The ``project`` or ``parent`` folder and the ``name`` of an import."""
    project = StringField(read_only=True)
    parent = StringField(read_only=True)
    name = StringField(read_only=True)

    def __str__(self):
        return (f'<ImportDestination: project={self.project}, '
                f'name={self.name}>')
