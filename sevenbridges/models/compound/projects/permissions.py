"""Permissions of a member (project, dataset, volume or automation)."""
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource


class Permissions(CompoundMutableDict, Resource):  # type: ignore[misc]
    """The permissions of a member, a dict of ``read``, ``write``, ``copy``,
    ``execute`` and ``admin`` flags. Setting a flag marks it for the
    member's ``save()``::

        member.permissions['write'] = True
        member.save()
    """
    _name = 'permissions'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        return self._live_item(item)
