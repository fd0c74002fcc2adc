"""The API's map of its own endpoints (``api.endpoints``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sevenbridges.meta.fields import HrefField
from sevenbridges.meta.resource import Resource

if TYPE_CHECKING:
    from sevenbridges._types import Api


class Endpoints(Resource):
    """The URLs of the main API resources, as the root of the API lists
    them.

    Example::

        print(api.endpoints.get().files_url)
    """
    _URL = {'get': '/'}

    rate_limit_url = HrefField(read_only=True)
    user_url = HrefField(read_only=True)
    users_url = HrefField(read_only=True)
    billing_url = HrefField(read_only=True)
    projects_url = HrefField(read_only=True)
    files_url = HrefField(read_only=True)
    tasks_url = HrefField(read_only=True)
    apps_url = HrefField(read_only=True)
    action_url = HrefField(read_only=True)
    upload_url = HrefField(read_only=True)

    @classmethod
    def get(  # type: ignore[override]
            cls, api: Api | None = None, **kwargs: Any) -> Endpoints:
        """Fetch the endpoints (extra keyword arguments are ignored).

        :param api: the client (default: the one the class is bound to).
        """
        return cls._fetch(url=cls._URL['get'], api=api)

    def __str__(self):
        return '<Endpoints>'
