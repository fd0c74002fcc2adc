"""The cost of data leaving the platform."""
from sevenbridges.meta.fields import StringField
from sevenbridges.meta.resource import Resource


class EgressCost(Resource):
    """An egress cost: ``amount`` in ``currency``."""
    currency = StringField(read_only=True)
    amount = StringField(read_only=True)

    def __str__(self):
        return (f'<EgressCost: currency={self.currency}, '
                f'amount={self.amount}>')
