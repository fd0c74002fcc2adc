"""Resources: classes whose instances hold the server's JSON of one platform
object, read and edited through typed fields.

A resource keeps the JSON the server sent (``_json``, also seen through
``_data``, a :class:`~sevenbridges.meta.data.DataContainer` that adds the
lazy fetch), snapshots of the values that may have changed since the last
load (taken lazily: ``_old``, and for list and dict fields, whose values are
handed out as copies, one attribute per field) and the edits the user made
(``_dirty``). Keys the server sends that the class does not declare are
kept, readable as attributes and with :meth:`Resource.field`, and are never
lost on save.

Building a resource from JSON allocates as little as it can (the resource
and the dict of its keyword arguments, which becomes ``_json``): lists of
thousands of resources are built at once, and every object the garbage
collector tracks makes its collections longer.
"""
import copy
import logging
from typing import TYPE_CHECKING, Any, Callable, Dict, Optional, Type, TypeVar

from sevenbridges.constants import RequestParameters
from sevenbridges.errors import ResourceNotModified, SbgError
from sevenbridges.http.retry import ResentConflict
from sevenbridges.meta.arguments import check_page
from sevenbridges.meta.binding import BoundResource, current_api
from sevenbridges.meta.data import (
    MISSING,
    NO_CHANGES,
    NOT_HANDED_OUT,
    DataContainer,
    json_copy,
)
from sevenbridges.meta.fields import Field

logger = logging.getLogger(__name__)


def _changed_items(before, now):
    """Keys of the dict ``now`` that are new or differ from ``before``."""
    return {key: value for key, value in now.items()
            if key not in before or before[key] != value}


# -- methods generated for every resource class without its own __init__ ---

def _init(self, **kwargs):
    self._api = kwargs.pop('api', None)
    if '_parent' in kwargs:
        del kwargs['_parent']
    get = kwargs.get
    for key, trusted, validate in self._checks:
        value = get(key)
        if value is not None and type(value) is not trusted:
            kwargs[key] = validate(value)
    self._json = kwargs


def _equals(self, other):
    if type(self) is not type(other):
        return False
    return self is other or self._json == other._json


def _deepcopy(self):
    return type(self)(api=self._api, **json_copy(self._json))


def _modified_data(self):
    data = self._json
    fields = self._fields
    modified = {}
    for key, before in self._snapshots().items():
        if key not in data:
            continue
        field = fields.get(key)
        if field is not None and field.read_only:
            continue
        now = data[key]
        if before is MISSING:
            modified[key] = now
        elif isinstance(before, dict) and isinstance(now, dict):
            changes = _changed_items(before, now)
            if changes:
                modified[key] = changes
        elif before != now:
            modified[key] = now
    if getattr(self, '_overwrite_metadata', False) and 'metadata' in \
            self._dirty:
        modified['metadata'] = data.get('metadata')
    return modified


def _update_read_only(self, data):
    fields = self._fields
    for key, value in data.items():
        field = fields.get(key)
        if field is not None and field.read_only:
            self._json[key] = value
    self._forget_changes()


def _str(self):
    return type(self).__name__


def _repr(self):
    return str(self)


def equal_by(*attributes):
    """An ``__eq__`` for resources: equal when ``other`` has exactly the
    same type and is the same object or has the same (known) value of one of
    ``attributes``. Classes using it are unhashable, like the reference's."""

    def __eq__(self, other):
        if type(other) is not type(self):
            return False
        if self is other:
            return True
        for attribute in attributes:
            mine = getattr(self, attribute)
            if mine is not None and mine == getattr(other, attribute):
                return True
        return False

    return __eq__


def paged_query(doc, **fixed_params):
    """A ``query(offset=None, limit=None, api=None)`` class method listing
    ``_URL['query']`` with ``fixed_params`` (e.g. ``fields='_all'``)."""

    def query(cls, offset=None, limit=None, api=None):
        return cls._query(url=cls._URL['query'], offset=offset, limit=limit,
                          api=api or cls._API, **fixed_params)

    query.__doc__ = f"""{doc}

        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        """
    return classmethod(query)


def patch_save(doc):
    """A ``save(inplace=True)`` method that PATCHes what changed to
    ``_URL['get']`` and takes the server's answer (see
    :func:`~sevenbridges.decorators.inplace_reload`)."""
    from sevenbridges.decorators import inplace_reload

    def save(self, inplace=True):
        return self._patch_modified(self._URL['get'].format(id=self.id))

    save.__doc__ = f"""{doc}

        :param inplace: update this object with the server's answer
            (``inplace=False`` returns a new object instead).
        :raises ResourceNotModified: when nothing changed.
        """
    return inplace_reload(save)


#: The attributes the meta layer may give a resource (besides the
#: ``_loaded_*`` attributes of its list and dict fields).
_INSTANCE_ATTRIBUTES = ('_api', '_json', '_fetched', '_old', '_dirty',
                        '_overwrite_metadata')


def _share_attribute_names(cls):
    """Give a throwaway instance of ``cls`` every attribute the meta layer
    may set on its instances.

    CPython (3.11 on) keeps the attribute names of the instances of a class
    in one table that they share, and that takes no new name once a few
    dozen instances exist: an instance given a name first used after that
    gets a dict of its own, one more object for the garbage collector to
    track. Naming every attribute when the class is made keeps the
    resources that are edited, fetched or whose lists are read as small as
    the others, whenever that happens.
    """
    if cls.__new__ is not object.__new__:
        return
    probe = object.__new__(cls)
    for attribute in (*_INSTANCE_ATTRIBUTES,
                      *cls._loaded_attributes.values()):
        object.__setattr__(probe, attribute, None)


def class_tag(self):
    """``__str__`` that shows only the class name: ``<ClassName>``."""
    return f'<{type(self).__name__}>'


ResourceT = TypeVar('ResourceT', bound='Resource')


class ResourceMeta(type):
    """Collects the fields of a resource class into ``_fields`` (keyed by
    JSON name, inherited ones included) and gives classes without their own
    ``__init__`` the generated constructor, ``equals``, ``deepcopy``,
    ``_modified_data``, ``_update_read_only``, ``__str__`` and ``__repr__``.
    It also records what the constructor checks (``_checks``) and where list
    and dict fields keep their value as loaded (``_loaded_attributes``).

    Reading a resource class through an instance of another class (as
    ``api.files``) gives the class bound to that instance (a
    :class:`~sevenbridges.meta.binding.BoundResource`): its class methods
    use the instance as their default API client.
    """

    def __new__(mcs, name, bases, namespace, **kwargs):
        fields = {}
        for base in reversed(bases):
            fields.update(getattr(base, '_fields', {}))
        for attribute, value in namespace.items():
            if isinstance(value, Field):
                if value.name is None:
                    value.name = attribute
                fields[value.name] = value
        namespace['_fields'] = fields
        # What the constructor checks: (key, type accepted as is,
        # validator).
        checks = ((key, field.constructor_check())
                  for key, field in fields.items())
        namespace['_checks'] = tuple((key, *check) for key, check in checks
                                     if check is not None)
        # Where list and dict fields keep their value as loaded once they
        # have handed out a copy of it (NOT_HANDED_OUT before).
        for field in fields.values():
            if field.hands_out_copies and field.loaded_attribute is None:
                field.loaded_attribute = f'_loaded_{field.name}'
        namespace['_loaded_attributes'] = {
            key: field.loaded_attribute for key, field in fields.items()
            if field.hands_out_copies}
        for attribute in namespace['_loaded_attributes'].values():
            namespace.setdefault(attribute, NOT_HANDED_OUT)
        if '__init__' not in namespace:
            namespace['__init__'] = _init
            namespace['equals'] = _equals
            namespace['deepcopy'] = _deepcopy
            namespace['_modified_data'] = _modified_data
            namespace['_update_read_only'] = _update_read_only
            # A default text only where no base class has a text of its own.
            for text, default in (('__str__', _str), ('__repr__', _repr)):
                inherited = [getattr(base, text) for base in bases]
                if text not in namespace and all(
                        method in (getattr(object, text), default)
                        for method in inherited):
                    namespace[text] = default
        cls = super().__new__(mcs, name, bases, namespace, **kwargs)
        _share_attribute_names(cls)
        return cls

    def __get__(cls, instance, owner=None):
        if instance is None:
            return cls
        if cls.__dict__.get('_default_api') is not instance:
            type.__setattr__(cls, '_default_api', instance)
        return BoundResource(cls, instance)

    @property
    def _API(cls) -> Any:
        """The default client of the class methods: the client of the
        bound call running now (``api.files.query(...)``), else the client
        that last bound the class (see :mod:`sevenbridges.meta.binding`)."""
        api = current_api.get()
        return api if api is not None else getattr(cls, '_default_api', None)

    @_API.setter
    def _API(cls, api):
        type.__setattr__(cls, '_default_api', api)


class Resource(metaclass=ResourceMeta):
    """Base class of every model."""
    _default_api: Any = None
    _URL: Dict[str, str] = {}
    _overwrite_metadata = False
    _dirty = NO_CHANGES
    _old = NO_CHANGES
    _fetched = False
    _json: Dict[str, Any]

    def __init__(self, api, *args, **kwargs):
        self.api = api

    if TYPE_CHECKING:
        _API: Any
    else:
        @property
        def _API(self):
            # On an instance, the default client of its class (its own
            # client is ``_api``).
            return type(self)._API

    def _repr_html_(self):
        """A table of the fields this object holds (for Jupyter; nothing
        is fetched)."""
        from sevenbridges.meta.html import resource_table
        return resource_table(self)

    if TYPE_CHECKING:
        _data: DataContainer
    else:
        @property
        def _data(self):
            # The JSON with its lazy fetch, as a view. Resources built by
            # their own __init__ hold no JSON (reading _json raises
            # AttributeError), and so have no _data.
            if isinstance(self._json, dict):
                return DataContainer(self._URL, self._api, self)
            raise AttributeError('_data')

    def __getattr__(self, name):
        # Keys the server sent that the class does not declare.
        if not name.startswith('_'):
            try:
                data = self._json
            except AttributeError:
                data = {}
            if name in data:
                return data[name]
        raise AttributeError(
            f'{type(self).__name__!r} object has no attribute {name!r}')

    # -- class methods ------------------------------------------------------

    @classmethod
    def get(cls: Type[ResourceT], id: Any,
            api: Optional[Any] = None) -> ResourceT:
        """Fetch one resource by its id (or a resource object).

        :param id: the identifier.
        :param api: the client (default: the one the class is bound to).
        """
        from sevenbridges.meta.transformer import Transform
        id = Transform.to_resource(id)
        if 'get' not in cls._URL:
            raise SbgError('Unable to retrieve resource!')
        return cls._fetch(url=cls._URL['get'].format(id=id), api=api)

    @classmethod
    def _query(cls, **kwargs):
        """GET a list of ``cls`` and return it as a
        :class:`~sevenbridges.meta.collection.Collection`; keyword ``url``
        is the path, ``api`` the client, the rest are query parameters. A
        ``limit`` of zero or less becomes the default page size (100).

        :raises ValidationError: when ``offset`` or ``limit`` is not an
            integer, or ``offset`` is negative (nothing is sent).
        """
        limit = kwargs.get('limit')
        check_page(kwargs.get('offset'), limit)
        if limit is not None and limit <= 0:
            kwargs['limit'] = RequestParameters.DEFAULT_BULK_LIMIT
        return cls._list(**kwargs)

    @classmethod
    def _create(cls: Type[ResourceT], url: str, data: Any,
                api: Optional[Any] = None,
                existing: Optional[Callable[[Any], Optional[ResourceT]]]
                = None) -> ResourceT:
        """POST ``data`` to ``url`` and build a ``cls`` from the answer.

        :param existing: for a create whose name is unique in its container
            (its natural key), a function of the client that finds the
            object of that name (one query), or ``None`` when there is
            none. The create is then sent again after a gateway error or a
            dropped connection, and when the platform answers 409 to the
            request sent again (the earlier one did its work), the object
            found is returned. A 409 to the first request raises
            :class:`~sevenbridges.errors.Conflict`, as without it.
        """
        api = api or cls._API
        if existing is None:
            return cls(api=api, **api.post(url=url, data=data).json())
        try:
            response = api._request('POST', url=url, data=data,
                                    append_base=True, natural_key=True)
        except ResentConflict:
            found = existing(api)
            if found is None:
                raise
            logger.info('POST %s: sent again, it met the %s its first '
                        'request made (409): that one is returned', url,
                        cls.__name__)
            return found
        return cls(api=api, **response.json())

    @classmethod
    def _fetch(cls: Type[ResourceT], url: str,
               api: Optional[Any] = None) -> ResourceT:
        """GET ``url`` and build a ``cls`` from the answer."""
        api = api or cls._API
        return cls(api=api, **api.get(url=url).json())

    @classmethod
    def _list(cls, url, api=None, **params):
        """GET a list of ``cls`` at ``url`` with query ``params`` (sent as
        given) as a :class:`~sevenbridges.meta.collection.Collection`.

        :raises ValidationError: for a bad ``offset`` or ``limit`` (see
            :func:`~sevenbridges.meta.arguments.check_page`).
        """
        from sevenbridges.meta.collection import collection_from_response
        check_page(params.get('offset'), params.get('limit'))
        api = api or cls._API
        response = api.get(url=url, params=params)
        return collection_from_response(cls, response, api)

    # -- instance methods ---------------------------------------------------

    def delete(self) -> None:
        """Delete the resource on the server."""
        if 'delete' in self._URL and hasattr(type(self), 'id'):
            self._api.delete(url=self._URL['delete'].format(id=self.id))
            return None
        raise SbgError('Resource can not be deleted!')

    def reload(self: ResourceT) -> ResourceT:
        """Replace the local data with the server's and drop local edits.

        :return: the resource itself.
        """
        try:
            if hasattr(type(self), 'href') and self.href:
                response = self._api.get(url=self.href, append_base=False)
            elif hasattr(type(self), 'id') and 'get' in self._URL:
                response = self._api.get(
                    url=self._URL['get'].format(id=self.id))
            else:
                raise SbgError(
                    'Resource can not be refreshed, "id" property not set or '
                    'retrieval for this resource is not available.')
            fresh = type(self)(api=self._api, **response.json())
        except Exception as e:
            raise _refresh_error(e) from e
        self._adopt(fresh)
        return self

    def _patch_modified(self, url, append_base=True):
        """PATCH what changed to ``url`` and return the resource the server
        answers with.

        :raises ResourceNotModified: when nothing changed (no request).
        """
        modified = self._modified_data()
        if not modified:
            raise ResourceNotModified()
        response = self._api.patch(url=url, data=modified,
                                   append_base=append_base)
        return type(self)(api=self._api, **response.json())

    def update_old(self) -> None:
        """Take the current data as the unchanged state."""
        self._old = NO_CHANGES
        for attribute in self._loaded_attributes.values():
            if getattr(self, attribute) is not NOT_HANDED_OUT:
                delattr(self, attribute)

    def _forget_changes(self):
        """Take the current data as the unchanged state, with no edits."""
        self._dirty = NO_CHANGES
        self.update_old()

    def _edits(self):
        """The (writable) record of the user's edits."""
        if self._dirty is NO_CHANGES:
            self._dirty = {}
        return self._dirty

    def field(self, name: str) -> Any:
        """The raw JSON value stored under ``name`` (no lazy fetch)."""
        return self._json.get(name)

    def _set(self, key, value):
        self._json[key] = value

    # -- change tracking ----------------------------------------------------

    def _snapshots(self):
        """The values, as last loaded, of the keys that may have changed
        since (``MISSING`` for keys then absent)."""
        snapshots = dict(self._old)
        for key, attribute in self._loaded_attributes.items():
            value = getattr(self, attribute)
            if value is not NOT_HANDED_OUT:
                snapshots[key] = value
        return snapshots

    def _remember(self, key, value):
        """Keep ``value`` as the value of ``key`` as last loaded."""
        attribute = self._loaded_attributes.get(key)
        if attribute is not None:
            setattr(self, attribute, value)
            return
        old = self._old
        if old is NO_CHANGES:
            old = self._old = {}
        old[key] = value

    def _snapshot(self, key):
        """Remember the value of ``key`` before it may change."""
        if key not in self._snapshots():
            self._remember(key, json_copy(self._json.get(key, MISSING)))

    def _assign(self, key, value):
        if self._data[key] == value:
            return
        self._snapshot(key)
        self._edits()[key] = value
        self._json[key] = value

    def _write_compound_item(self, name, key, value):
        # Copy on write: the dict given to the constructor is never mutated.
        data = self._json
        self._snapshot(name)
        target = dict(data.get(name) or {})
        target[key] = value
        data[name] = target
        self._edits().setdefault(name, {})[key] = value

    def _absorb_fetched(self, fetched):
        """Install freshly fetched JSON, keeping the user's pending edits."""
        pending = self._modified_data() if self._snapshots() else {}
        data = self._json
        self.update_old()
        for key in pending:
            self._remember(key, json_copy(fetched.get(key, MISSING)))
            fetched[key] = data[key]
        self._json = fetched

    def _adopt(self, other):
        """Take over the data of ``other`` (a fresh copy from the server)."""
        self._json = other._json
        self._fetched = False
        self._dirty = other._dirty
        self.update_old()
        self._overwrite_metadata = False


def _refresh_error(error):
    """The error of a failed reload: an API error keeps its class, status
    and code (a 404 is still a ``NotFound``), with the reload context added
    to its message."""
    prefix = 'Resource can not be refreshed due to an error: '
    if isinstance(error, SbgError):
        wrapped = copy.copy(error)
        wrapped.message = f'{prefix}{error.message}'
        return wrapped
    return SbgError(f'{prefix}{error}')
