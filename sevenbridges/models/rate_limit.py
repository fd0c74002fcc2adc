"""The rate limit of the current user (``api.rate_limit``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sevenbridges.meta.fields import CompoundField
from sevenbridges.meta.resource import Resource
from sevenbridges.models.compound.limits.rate import Rate

if TYPE_CHECKING:
    from sevenbridges._types import Api


class RateLimit(Resource):
    """The user's rate limit (``rate``) and the instance limit
    (``instance_limit``).

    Example::

        limits = api.rate_limit.get()
        print(limits.rate.remaining, limits.rate.reset)
    """
    _URL = {'get': '/rate_limit'}

    rate = CompoundField(Rate, read_only=True)
    instance_limit = CompoundField(Rate, read_only=True)

    @classmethod
    def get(cls, id: Any = None, api: Api | None = None) -> RateLimit:
        """Fetch the rate limit (``id`` is ignored).

        :param api: the client (default: the one the class is bound to).
        """
        return cls._fetch(url=cls._URL['get'], api=api)
