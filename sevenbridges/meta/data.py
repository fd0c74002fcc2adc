"""The raw data of a resource, with the lazy fetch that completes it."""
import logging
from types import MappingProxyType
from typing import Any, Mapping

logger = logging.getLogger(__name__)

#: Marks a key that a resource did not have when its snapshot was taken.
MISSING = object()

#: Marks a list or dict field whose value has not been handed out (and so
#: not copied) since the resource was last loaded.
NOT_HANDED_OUT = object()

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
        copy = value.copy()
        for key, item in value.items():
            if type(item) in _CONTAINERS:
                copy[key] = json_copy(item)
        return copy
    if kind is list:
        for item in value:
            if type(item) in _CONTAINERS:
                return [json_copy(item) for item in value]
        return value.copy()
    return value


class DataContainer:
    """The server's JSON of a resource (:attr:`data`), completed on demand.

    Reading a key that is absent (``container[key]``) triggers one GET of
    the resource (by its ``href``, else by ``_URL['get']`` and its ``id``);
    after a successful fetch no other fetch happens for this resource.
    Without an API client, or without a way to address the resource, absent
    keys read as ``None``.

    A container is a view of its resource: :attr:`data` is the resource's
    ``_json`` and :attr:`fetched` its ``_fetched``, so resources keep no
    container of their own (reading ``resource._data`` makes one), which
    keeps them cheap to build.

    :param urls: the ``_URL`` templates of the resource class.
    :param api: the client used for the fetch.
    :param parent: the resource owning this data.
    """
    __slots__ = ('_URL', 'api', 'parent')

    def __init__(self, urls, api, parent):
        self._URL = urls
        self.api = api
        self.parent = parent

    @property
    def data(self):
        """The JSON (a dict) of the resource."""
        return self.parent._json

    @data.setter
    def data(self, value):
        self.parent._json = value

    @property
    def fetched(self):
        """Whether the resource was fetched whole already."""
        return self.parent._fetched

    @fetched.setter
    def fetched(self, value):
        self.parent._fetched = value

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
