"""Outputs of a task."""
from sevenbridges.errors import ReadOnlyPropertyError
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.tasks import _mapped


class Output(CompoundMutableDict, Resource):  # type: ignore[misc]
    """The outputs of a finished task; files read as ``File`` objects.
    Outputs cannot be set."""
    _name = 'outputs'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return _mapped(self, item)

    def __setitem__(self, key, value):
        raise ReadOnlyPropertyError('Can not modify read only properties.')
