"""The cost of one analysis."""
from sevenbridges.meta.fields import CompoundField, StringField
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.analysis_cost_breakdown import (
    AnalysisCostBreakdown,
)


class AnalysisCost(Resource):
    """An analysis' cost: ``amount`` in ``currency`` and its
    ``breakdown``."""
    currency = StringField(read_only=True)
    amount = StringField(read_only=True)
    breakdown = CompoundField(AnalysisCostBreakdown, read_only=True)

    def __str__(self):
        return (f'<AnalysisCost: currency={self.currency}, '
                f'amount={self.amount}>')
