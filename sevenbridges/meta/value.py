"""Small immutable value classes, without :mod:`dataclasses` (which loads
:mod:`inspect`, more than the SDK's import should pay for a few settings).

A subclass names its settings in ``_SETTINGS``, stores them once in
``__init__`` with :meth:`Value._set`, and is then compared, hashed and
shown by them; assigning to it raises ``AttributeError``.
"""
from __future__ import annotations

from typing import Any, ClassVar, Tuple


class Value:
    """An immutable value compared, hashed and shown by ``_SETTINGS``."""

    #: The attributes compared, hashed and shown by ``repr``.
    _SETTINGS: ClassVar[Tuple[str, ...]] = ()

    def _set(self, **values: Any) -> None:
        """Store ``values`` (in ``__init__`` only)."""
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _values(self) -> tuple:
        return tuple(getattr(self, name) for name in self._SETTINGS)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        settings = ', '.join(f'{name}={getattr(self, name)!r}'
                             for name in self._SETTINGS)
        return f'{type(self).__qualname__}({settings})'

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f'cannot assign to field {name!r}: a '
                             f'{type(self).__name__} does not change (make '
                             f'another)')

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f'cannot delete field {name!r}: a '
                             f'{type(self).__name__} does not change')
