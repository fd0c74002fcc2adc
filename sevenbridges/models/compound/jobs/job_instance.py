"""The instance a job ran on."""
from sevenbridges.meta.fields import CompoundField, StringField
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.jobs.job_instance_disk import Disk


class Instance(Resource):
    """A cloud instance: ``id``, ``type``, ``provider`` and ``disk``."""
    id = StringField(read_only=True)
    type = StringField(read_only=True)
    provider = StringField(read_only=True)
    disk = CompoundField(Disk, read_only=True)

    def __str__(self):
        return (f'<Instance id={self.id}, type={self.type}, '
                f'provider={self.provider}>')
