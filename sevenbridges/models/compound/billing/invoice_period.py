"""The period an invoice covers."""
from sevenbridges.meta.fields import DateTimeField
from sevenbridges.meta.resource import Resource


class InvoicePeriod(Resource):
    """From (``from_``, JSON key ``from``) and ``to``, as datetimes."""
    from_ = DateTimeField(read_only=True, name='from')
    to = DateTimeField(read_only=True)

    def __str__(self):
        return f'<InvoicePeriod: from={self.from_}, to={self.to}>'
