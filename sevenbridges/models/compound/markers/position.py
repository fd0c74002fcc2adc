"""Position of a genome marker."""
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource


class MarkerPosition(CompoundMutableDict, Resource):  # type: ignore[misc]
    """The ``start`` and ``end`` of a marker; setting them marks them for
    the marker's ``save()``."""
    _name = 'position'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return self._live_item(item)
