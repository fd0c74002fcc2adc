"""The cloud service behind a volume."""
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource


class VolumeService(CompoundMutableDict, Resource):  # type: ignore[misc]
    """The service of a volume: ``type``, ``bucket``, ``prefix``,
    ``credentials``, ``properties``...; setting a key marks it for the
    volume's ``save()``."""
    _name = 'service'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return self._live_item(item)
