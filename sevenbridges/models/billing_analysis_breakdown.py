"""Analysis costs of a billing group."""
from sevenbridges.meta.fields import (
    BooleanField,
    CompoundField,
    DateTimeField,
    FloatField,
    StringField,
    UuidField,
)
from sevenbridges.meta.resource import Resource, class_tag
from sevenbridges.models._breakdown import breakdown_query
from sevenbridges.models.compound.analysis_cost import AnalysisCost


class BillingGroupAnalysisBreakdown(Resource):
    """One analysis (task) charged to a billing group."""
    _URL = {'query': '/billing/groups/{id}/breakdown/analysis'}

    project_name = StringField(read_only=True)
    analysis_app_name = StringField(read_only=True)
    analysis_name = StringField(read_only=True)
    analysis_type = StringField(read_only=True)
    analysis_id = UuidField(read_only=True)
    ran_by = StringField(read_only=True)
    analysis_status = StringField(read_only=True)
    analysis_cost = CompoundField(AnalysisCost, read_only=True)
    refunded_amount = FloatField(read_only=True)
    time_started = DateTimeField(read_only=True)
    time_finished = DateTimeField(read_only=True)
    project_locked = BooleanField(read_only=True)

    query = breakdown_query('analysis')
    __str__ = class_tag
