"""Dict views over a compound value of a resource (metadata, settings,
permissions, ...) whose item edits write through to the resource."""
from typing import Optional

_new_dict = dict.__new__
_fill_dict = dict.update


class CompoundMutableDict(dict):
    """A ``dict`` snapshot of the value stored under ``_name`` in the parent
    resource. Setting an item stores it in the parent's data and marks it
    changed, so that the parent's ``save()`` sends it.

    Subclasses set ``_name`` to the JSON key of the parent field.
    """
    # Slots: reading a compound field builds a view each time, and views
    # whose two attributes live in slots are quicker to build.
    __slots__ = ('_parent', '_api', '__dict__', '__weakref__')
    _name: Optional[str] = None

    def __init__(self, **kwargs):
        self._parent = kwargs.pop('_parent')
        self._api = kwargs.pop('api')
        super().__init__(**kwargs)

    @classmethod
    def _view(cls, parent, data):
        """The view of ``data`` for ``parent`` (what reading the parent's
        field returns); equivalent to ``cls(api=parent._api,
        _parent=parent, **data)``, only faster."""
        view = _new_dict(cls)
        _fill_dict(view, data)
        view._parent = parent
        view._api = parent._api
        return view

    def __setitem__(self, key, value):
        super().__setitem__(key, value)
        self._parent._write_compound_item(self._name, key, value)

    def _live(self):
        """The stored value in the parent's data (a dict, possibly empty)."""
        return self._parent._data.data.get(self._name) or {}

    def _live_item(self, item):
        """``item`` of the stored value, ``None`` when absent. Subclasses
        whose missing keys read as ``None`` use it as ``__getitem__``."""
        return self._live().get(item)

    def update(self, e=None, **f):
        """Set each item whose value differs from the current one."""
        other = dict(e or {}, **f)
        for key, value in other.items():
            if value != self[key]:
                self[key] = value

    def items(self):
        """A list of ``(key, value)`` pairs, values as read by ``self[key]``."""
        return [(key, self[key]) for key in self.keys()]

    def __repr__(self):
        return str(dict(self.items()))

    __str__ = __repr__

    def equals(self, other):
        """Same type and same stored value in both parents."""
        if type(self) is not type(other):
            return False
        return self is other or self._live() == other._live()
