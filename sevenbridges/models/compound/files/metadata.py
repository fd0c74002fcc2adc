"""Metadata of a file."""
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource


class Metadata(CompoundMutableDict, Resource):  # type: ignore[misc]
    """The metadata of a file, a dict. Setting a key marks it for the
    file's ``save()``, which then sends only the changed keys (PATCH); a
    key set to ``None`` is removed. Assigning a whole dict to
    ``file.metadata`` replaces the metadata on save (PUT)::

        file.metadata['sample_id'] = 'S1'
        file.save()
    """
    _name = 'metadata'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return self._live_item(item)

    def __eq__(self, other):
        if type(other) is not type(self):
            return False
        return self is other or dict(self) == dict(other)
