"""Invoices (``api.invoices``)."""
from sevenbridges.meta.fields import (
    BooleanField,
    CompoundField,
    HrefField,
    StringField,
)
from sevenbridges.meta.resource import Resource, equal_by, paged_query
from sevenbridges.models.compound.billing.invoice_period import InvoicePeriod
from sevenbridges.models.compound.price import Price


class Invoice(Resource):
    """An invoice: its period and its analysis, storage and total costs."""
    _URL = {
        'query': '/billing/invoices',
        'get': '/billing/invoices/{id}',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    pending = BooleanField(read_only=True)
    analysis_costs = CompoundField(Price, read_only=True)
    storage_costs = CompoundField(Price, read_only=True)
    total = CompoundField(Price, read_only=True)
    invoice_period = CompoundField(InvoicePeriod, read_only=True)

    def __str__(self):
        return f'<Invoice: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    query = paged_query("The user's invoices.", fields='_all')
