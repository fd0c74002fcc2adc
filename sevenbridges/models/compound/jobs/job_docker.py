"""The docker image of a job."""
from sevenbridges.meta.fields import StringField
from sevenbridges.meta.resource import Resource


class JobDocker(Resource):
    """The ``checksum`` of the image a job ran."""
    checksum = StringField(read_only=True)

    def __str__(self):
        return f'<Docker: checksum={self.checksum}>'
