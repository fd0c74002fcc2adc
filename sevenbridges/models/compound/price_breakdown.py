"""What a price is made of."""
from sevenbridges.meta.fields import StringField
from sevenbridges.meta.resource import Resource


class Breakdown(Resource):
    """The parts of a price: ``storage``, ``computation`` and
    ``data_transfer``."""
    storage = StringField(read_only=True)
    computation = StringField(read_only=True)
    data_transfer = StringField(read_only=True)

    def __str__(self):
        if self.data_transfer:
            return (f'<Breakdown: storage={self.storage}, '
                    f'computation={self.computation}, '
                    f'data_transfer={self.data_transfer}>')
        return (f'<Breakdown: storage={self.storage}, '
                f'computation={self.computation}>')
