"""Constants of the HTTP client and the resource layer.

A leaf module (it imports nothing), so that :mod:`sevenbridges.http` and
:mod:`sevenbridges.meta` read their limits without importing
:mod:`sevenbridges.models`. :class:`RequestParameters` is also importable
from :mod:`sevenbridges.models.enums`, where the reference SDK has it.
"""


class RequestParameters:
    """Limits and defaults of the HTTP client."""
    MAX_URL_LENGTH = 6000
    DEFAULT_TIMEOUT = 300
    DEFAULT_RETRY_COUNT = 6
    DEFAULT_BACKOFF_FACTOR = 1
    DEFAULT_BULK_LIMIT = 100
