"""Settings of a project."""
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource


class Settings(CompoundMutableDict, Resource):  # type: ignore[misc]
    """Project settings (``locked``, ``use_interruptible_instances``,
    ``use_memoization``, ...). Setting a key marks it for the project's
    ``save()``, which sends only the keys that changed::

        project.settings['use_interruptible_instances'] = False
        project.save()
    """
    _name = 'settings'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return self._live_item(item)
