"""The API's map of its own endpoints (``api.endpoints``)."""
from sevenbridges.meta.fields import HrefField
from sevenbridges.meta.resource import Resource


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
    def get(cls, api=None, **kwargs):
        """Fetch the endpoints (extra keyword arguments are ignored).

        :param api: the client (default: the one the class is bound to).
        """
        return cls._fetch(url=cls._URL['get'], api=api)

    def __str__(self):
        return '<Endpoints>'
