"""Egress (download) costs of a billing group."""
from sevenbridges.meta.fields import BooleanField, CompoundField, StringField
from sevenbridges.meta.resource import Resource, class_tag
from sevenbridges.models._breakdown import breakdown_query
from sevenbridges.models.compound.egress_cost import EgressCost
from sevenbridges.models.compound.measurement import Measurement


class BillingGroupEgressBreakdown(Resource):
    """Data downloaded from one project, charged to a billing group."""
    _URL = {'query': '/billing/groups/{id}/breakdown/egress'}

    project_name = StringField(read_only=True)
    downloaded_by = StringField(read_only=True)
    downloaded = CompoundField(Measurement, read_only=True)
    egress_cost = CompoundField(EgressCost, read_only=True)
    project_locked = BooleanField(read_only=True)

    query = breakdown_query('egress')
    __str__ = class_tag
