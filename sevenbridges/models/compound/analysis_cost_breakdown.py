"""What the cost of an analysis is made of."""
from sevenbridges.meta.fields import FloatField
from sevenbridges.meta.resource import Resource


class AnalysisCostBreakdown(Resource):
    """Storage, computation and incoming data transfer costs."""
    storage = FloatField(read_only=True)
    computation = FloatField(read_only=True)
    data_transfer_in = FloatField(read_only=True)

    def __str__(self):
        return (f'<AnalysisCostBreakdown: storage={self.storage}, '
                f'computation={self.computation}, '
                f'data_transfer_in={self.data_transfer_in}>')
