"""The raw data of a resource, with the lazy fetch that completes it."""
import logging
from types import MappingProxyType
from typing import Any, Mapping

logger = logging.getLogger(__name__)

#: Marks a key that a resource did not have when its snapshot was taken.
MISSING = object()

#: The snapshots and edits of a resource that has none: shared and never
#: written (a resource gets dicts of its own on its first change, which
#: keeps resources that are only read cheap to build).
NO_CHANGES: Mapping[str, Any] = MappingProxyType({})


_CONTAINERS = (dict, list)


def json_copy(value):
    """A deep copy of JSON-shaped data (dicts and lists are copied, every
    other value is shared); much faster than :func:`copy.deepcopy`."""
    kind = type(value)
    if kind is dict:
        return {key: json_copy(item) if type(item) in _CONTAINERS else item
                for key, item in value.items()}
    if kind is list:
        return [json_copy(item) if type(item) in _CONTAINERS else item
                for item in value]
    return value


class DataContainer:
    """The server's JSON of a resource (:attr:`data`), completed on demand.

    Reading a key that is absent (``container[key]``) triggers one GET of
    the resource (by its ``href``, else by ``_URL['get']`` and its ``id``);
    after a successful fetch no other fetch happens on this container.
    Without an API client, or without a way to address the resource, absent
    keys read as ``None``.

    :param urls: the ``_URL`` templates of the resource class.
    :param api: the client used for the fetch.
    :param parent: the resource owning this data.
    """
    __slots__ = ('data', '_URL', 'api', 'parent', 'fetched')

    def __init__(self, urls, api, parent):
        self.data = {}
        self._URL = urls
        self.api = api
        self.parent = parent
        self.fetched = False

    def fetch(self, item=None):
        """Load the whole resource from the server, once.

        :param item: the key whose absence caused the fetch (for logs).
        """
        if self.api is None:
            return
        data = self.data
        href = data.get('href')
        if href:
            url, append_base = href, False
        elif self._URL and 'get' in self._URL:
            if 'id' not in data:
                return
            url, append_base = self._URL['get'].format(id=data['id']), True
        else:
            return
        logger.debug('Fetching %s to read %r', url, item)
        response = self.api.get(url=url, append_base=append_base)
        self.parent._absorb_fetched(response.json())
        self.fetched = True

    def __getitem__(self, item):
        data = self.data
        if item in data:
            return data[item]
        if not self.fetched:
            self.fetch(item)
            return self.data.get(item)
        return None

    def __setitem__(self, key, value):
        self.data[key] = value

    def __contains__(self, key):
        return key in self.data
