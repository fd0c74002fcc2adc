"""Per-item results of bulk operations."""
from __future__ import annotations

from sevenbridges.meta.fields import CompoundField
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.error import Error


class BulkRecord(Resource):
    """The result of one item of a bulk call: ``resource`` when it
    succeeded, ``error`` (an :class:`~sevenbridges.models.compound.error.Error`)
    when it failed. Subclasses read ``resource`` as their model class."""
    error = CompoundField(cls=Error, read_only=False)
    resource = CompoundField(cls=Resource, read_only=False)

    def __str__(self):
        return f'<{type(self).__name__} valid={self.valid}>'

    @property
    def valid(self) -> bool:
        """Whether the item succeeded (it has no error)."""
        return self.error is None

    @classmethod
    def _submit(cls, url, data, api, params=None):
        """POST a bulk request; one record per item of the answer."""
        response = api.post(url=url, data=data, params=params)
        return cls.parse_records(response=response, api=api)

    @classmethod
    def parse_records(cls, response, api=None):
        """One record per item of a bulk response, in order.

        :param response: the HTTP response (``{"items": [...]}``).
        :param api: the client (default: the one the class is bound to).
        """
        api = api or cls._API
        records = []
        for item in response.json().get('items', []):
            record = cls(api=api)
            record._set('error', item.get('error'))
            record._set('resource', item.get('resource'))
            records.append(record)
        return records
