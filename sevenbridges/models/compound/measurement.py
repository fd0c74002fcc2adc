"""Amounts of stored or transferred data."""
from sevenbridges.meta.fields import CompoundField, FloatField, StringField
from sevenbridges.meta.resource import Resource


class StorageCost(Resource):
    """The cost of stored data: ``amount`` in ``currency``."""
    amount = FloatField(read_only=True)
    currency = StringField(read_only=True)

    def __str__(self):
        return (f'<Storage cost breakdown amount={self.amount}, '
                f'currency={self.currency}>')


class Measurement(Resource):
    """A ``size`` in a ``unit`` (e.g. ``GB``) and what it ``cost``."""
    size = FloatField(read_only=True)
    unit = StringField(read_only=True)
    cost = CompoundField(StorageCost, read_only=True)

    def __str__(self):
        return f'<Measurement size={self.size}, unit={self.unit}>'
