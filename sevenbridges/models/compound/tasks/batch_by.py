"""How a batch task splits its input."""
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource


class BatchBy(Resource, dict):
    """The batching criteria of a task, e.g. ``{'type': 'ITEM'}`` or
    ``{'type': 'CRITERIA', 'criteria': ['metadata.sample_id']}``; setting a
    key marks it for the task's ``save()``."""
    _name = 'batch_by'

    def __init__(self, **kwargs):
        self._parent = kwargs.pop('_parent')
        self._api = kwargs.pop('api')
        dict.__init__(self, **kwargs)

    def __getitem__(self, item):
        return CompoundMutableDict._live_item(self, item)

    def __setitem__(self, key, value):
        dict.__setitem__(self, key, value)
        self._parent._write_compound_item(self._name, key, value)

    def _live(self):
        return CompoundMutableDict._live(self)

    def __repr__(self):
        return CompoundMutableDict.__repr__(self)

    def __str__(self):
        return CompoundMutableDict.__str__(self)

    def update(self, e=None, **f):
        """Set each key whose value differs from the current one."""
        CompoundMutableDict.update(self, e, **f)

    def items(self):
        return CompoundMutableDict.items(self)

    def equals(self, other):
        """Same type and same stored value in both tasks."""
        return CompoundMutableDict.equals(self, other)
