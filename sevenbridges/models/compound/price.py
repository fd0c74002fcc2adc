"""An amount of money."""
from sevenbridges.meta.fields import CompoundField, FloatField, StringField
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.price_breakdown import Breakdown


class Price(Resource):
    """An ``amount`` (a float) in a ``currency``, with its ``breakdown``."""
    currency = StringField(read_only=True)
    amount = FloatField(read_only=True)
    breakdown = CompoundField(Breakdown, read_only=True)

    def __str__(self):
        return f'<Price: currency={self.currency}, amount={self.amount}>'
