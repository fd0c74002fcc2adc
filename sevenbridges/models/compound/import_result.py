"""The outcome of one item of a DRS import."""
from sevenbridges.meta.fields import CompoundField
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.error import Error
from sevenbridges.models.file import File


class FileImportResult(Resource):
    """The imported file (``resource``) or the ``error``."""
    error = CompoundField(Error, read_only=True)
    resource = CompoundField(File, read_only=True)

    def __str__(self):
        if self.error is not None:
            return str(self.error)
        return str(self.resource)
