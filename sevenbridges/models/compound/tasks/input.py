"""Inputs of a task."""
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.tasks import _mapped


class Input(CompoundMutableDict, Resource):  # type: ignore[misc]
    """The inputs of a task: reading an input gives ``File`` objects for
    files; setting one marks it for the task's ``save()``::

        task.inputs['reads'] = [file1, file2]
        task.save()
    """
    _name = 'inputs'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return _mapped(self, item)
