"""Storage properties of exports and volumes."""
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource


class VolumeProperties(CompoundMutableDict, Resource):  # type: ignore[misc]
    """Provider properties, e.g. ``{'sse_algorithm': 'AES256'}``."""
    _name = 'properties'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return self._live_item(item)
