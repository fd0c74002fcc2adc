"""Paginated lists of resources."""
import logging
from typing import Any, Iterator, Optional

from sevenbridges.errors import NonJSONResponseError, PaginationError, SbgError

logger = logging.getLogger(__name__)

TOTAL_HEADER = 'x-total-matching-query'


def _json_of(response):
    try:
        return response.json()
    except ValueError:
        raise NonJSONResponseError(status=response.status_code,
                                   message=response.text) from None


def collection_from_response(resource, response, api):
    """Build a :class:`Collection` of ``resource`` from a list response
    (``items``, ``links``, ``href`` and the total-count header)."""
    from sevenbridges.models.link import Link
    body = _json_of(response)
    items = [resource(api=api, **item) for item in body.get('items', [])]
    links = [Link(**link) for link in body.get('links', [])]
    return Collection(resource=resource, href=body.get('href'),
                      total=response.headers.get(TOTAL_HEADER),
                      items=items, links=links, api=api)


class Collection(list):
    """One page of a list of resources, with the way to the others.

    The collection is a ``list`` of the page's items. :attr:`total` is the
    number of items of the whole list, :meth:`next_page` and
    :meth:`previous_page` load the neighbouring pages, and :meth:`all`
    iterates over every item from this page on, loading one page at a time::

        for file in api.files.query(project='rfranklin/demo', limit=100).all():
            print(file.name)
    """

    def __init__(self, resource: Any, href: Optional[str],
                 total: Any, items: list, links: list, api: Any) -> None:
        super().__init__(items)
        self.resource = resource
        self.href = href
        self.links = links
        self._items = items
        self._total = total
        self._api = api

    def _repr_html_(self) -> str:
        """A table of this page's items (for Jupyter; nothing is
        fetched)."""
        from sevenbridges.meta.html import collection_table
        return collection_table(self)

    @property
    def total(self) -> Optional[int]:
        """Items in the whole list (``None`` if the server did not say)."""
        return int(self._total) if self._total is not None else None

    def all(self) -> Iterator[Any]:
        """Yield every item of this page and of the pages after it.

        The items of this page are not fetched again; each next page is
        requested only when the previous one has been consumed.
        """
        page = self
        while True:
            yield from list.__iter__(page)
            try:
                page = page.next_page()
            except PaginationError:
                return

    def _follow(self, rel):
        for link in self.links:
            if (link.rel or '').lower() == rel:
                return self._load(link.href)
        raise PaginationError('No more entries.')

    def next_page(self) -> 'Collection':
        """Load the next page.

        :raises PaginationError: on the last page.
        """
        return self._follow('next')

    def previous_page(self) -> 'Collection':
        """Load the previous page.

        :raises PaginationError: on the first page.
        """
        return self._follow('prev')

    def _load(self, url):
        if self.resource is None:
            raise SbgError('Undefined collection resource.')
        response = self._api.get(url=url, append_base=False)
        return collection_from_response(self.resource, response, self._api)

    def __repr__(self):
        return f'<Collection: total={self.total}, available={len(self._items)}>'


class VolumeCollection(Collection):
    """One page of a volume listing: objects as items, common prefixes
    (folders) in :attr:`prefixes`; pages go forward only and the total is
    unknown (``-1``)."""

    def __init__(self, href: Optional[str], items: list, links: list,
                 prefixes: list, api: Any) -> None:
        from sevenbridges.models.compound.volumes.volume_object import (
            VolumeObject,
        )
        super().__init__(resource=VolumeObject, href=href, total=0,
                         items=items, links=links, api=api)
        self.prefixes = prefixes

    @property
    def total(self) -> int:
        """Always ``-1``: volume listings do not count their items."""
        return -1

    def next_page(self) -> 'VolumeCollection':
        """Load the next page.

        :raises PaginationError: on the last page.
        """
        for link in self.links:
            if link.next:
                return self._load(link.next)
        raise PaginationError('No more entries.')

    def previous_page(self) -> 'VolumeCollection':
        """Volume listings cannot go back.

        :raises PaginationError: always.
        """
        raise PaginationError('Cannot paginate backwards')

    def _load(self, url):
        api = self._api
        return volume_collection_from_response(
            api.get(url=url, append_base=False), api)

    def __repr__(self):
        return f'<VolumeCollection: items={len(self._items)}>'


def volume_collection_from_response(response, api):
    """Build a :class:`VolumeCollection` from a volume listing response
    (``items``, ``prefixes``, ``links``, ``href``)."""
    from sevenbridges.models.compound.volumes.volume_object import (
        VolumeObject,
    )
    from sevenbridges.models.compound.volumes.volume_prefix import (
        VolumePrefix,
    )
    from sevenbridges.models.link import VolumeLink
    body = _json_of(response)
    return VolumeCollection(
        href=body.get('href'),
        items=[VolumeObject(api=api, **item)
               for item in body.get('items', [])],
        links=[VolumeLink(**link) for link in body.get('links', [])],
        prefixes=[VolumePrefix(api=api, **prefix)
                  for prefix in body.get('prefixes', [])],
        api=api)
