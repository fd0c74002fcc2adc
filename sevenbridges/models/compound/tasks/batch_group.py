"""The group of a batch child task."""
from sevenbridges.meta.fields import DictField, StringField
from sevenbridges.meta.resource import Resource


class BatchGroup(Resource):
    """The ``value`` and ``fields`` a batch child was split on."""
    value = StringField(read_only=True)
    fields = DictField(read_only=True)

    def __str__(self):
        return '<Batch group>'
