"""How a resource class is tied to an API client.

``api.files`` is the class :class:`~sevenbridges.models.file.File` bound to
``api``: a :class:`BoundResource`. Its class methods run with ``api`` as
the class's default client (``cls._API``), so ``api.files.query(...)``
queries through ``api``. The binding belongs to the bound object, not to
the class: ``users = api_a.users; api_b.users.me(); users.me()`` still
answers as ``api_a``'s user, and two clients used from many threads never
answer for each other.

While a bound class method runs, its client is the value of a context
variable, so every class method it calls (``Task.create`` looking up an
``App``, say) uses the same client, in that thread only. Outside any bound
call, ``cls._API`` is the client that last bound the class, as in the
reference SDK; code that uses the classes directly with several clients
should pass ``api=`` explicitly.
"""
from __future__ import annotations

import contextvars
import functools
import types
from typing import Any

#: The client of the bound class method running in this context.
current_api: contextvars.ContextVar[Any] = contextvars.ContextVar(
    'sevenbridges_current_api', default=None)


def _run_with(api, method):
    """``method`` that runs with ``api`` as the current client."""

    @functools.wraps(method)
    def bound(*args, **kwargs):
        token = current_api.set(api)
        try:
            return method(*args, **kwargs)
        finally:
            current_api.reset(token)

    return bound


class BoundResource:
    """A resource class bound to a client: what ``api.<resource>`` is.

    Attributes are the class's; its class methods (and static methods)
    run with the bound client; calling it builds an instance with that
    client; ``isinstance(obj, api.files)`` is ``isinstance(obj, File)``
    and ``api.files == File``.
    """
    __slots__ = ('_resource', '_bound_api')

    def __init__(self, resource: type, api: Any) -> None:
        object.__setattr__(self, '_resource', resource)
        object.__setattr__(self, '_bound_api', api)

    @property
    def _API(self) -> Any:
        return self._bound_api

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._resource, name)
        if isinstance(value, (types.MethodType, types.FunctionType)):
            return _run_with(self._bound_api, value)
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._resource, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._resource, name)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        kwargs.setdefault('api', self._bound_api)
        return _run_with(self._bound_api, self._resource)(*args, **kwargs)

    def __instancecheck__(self, instance: Any) -> bool:
        return isinstance(instance, self._resource)

    def __subclasscheck__(self, subclass: Any) -> bool:
        if isinstance(subclass, BoundResource):
            subclass = subclass._resource
        return issubclass(subclass, self._resource)

    def __eq__(self, other: Any) -> bool:
        if isinstance(other, BoundResource):
            return (other._resource is self._resource
                    and other._bound_api is self._bound_api)
        return other is self._resource

    def __hash__(self) -> int:
        return hash(self._resource)

    def __dir__(self) -> list[str]:
        return dir(self._resource)

    def __repr__(self) -> str:
        return f'{self._resource!r} bound to {self._bound_api!r}'
