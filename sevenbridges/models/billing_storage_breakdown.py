"""Storage costs of a billing group."""
from sevenbridges.meta.fields import BooleanField, CompoundField, StringField
from sevenbridges.meta.resource import Resource, class_tag
from sevenbridges.models._breakdown import breakdown_query
from sevenbridges.models.compound.measurement import Measurement


class BillingGroupStorageBreakdown(Resource):
    """The storage of one project charged to a billing group."""
    _URL = {'query': '/billing/groups/{id}/breakdown/storage'}

    project_name = StringField(read_only=True)
    project_created_by = StringField(read_only=True)
    location = StringField(read_only=True)
    active = CompoundField(Measurement, read_only=True)
    archived = CompoundField(Measurement, read_only=True)
    project_locked = BooleanField(read_only=True)

    query = breakdown_query('storage')
    __str__ = class_tag
