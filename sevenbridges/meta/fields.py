"""Typed fields: descriptors that read and write a resource's raw JSON.

A field stores its value under ``field.name`` (the JSON key, by default the
attribute name) in the resource's data. Writable fields validate what they
are given and record the change so that ``save()`` sends it; read-only fields
refuse assignment with :class:`~sevenbridges.errors.ReadOnlyPropertyError`.
"""
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Optional

from sevenbridges.errors import ReadOnlyPropertyError, ValidationError
from sevenbridges.meta.arguments import check_mapping
from sevenbridges.meta.data import NOT_HANDED_OUT, json_copy

__all__ = [
    'Field', 'CompoundField', 'CompoundListField', 'DictField', 'HrefField',
    'ObjectIdField', 'IntegerField', 'FloatField', 'StringField',
    'DateTimeField', 'BooleanField', 'UuidField', 'BasicListField',
    'parse_datetime',
]


def _invalid(value, field):
    return ValidationError(
        f'{value} is not a valid value for {type(field).__name__}')


class Field:
    """Base of all fields.

    :param name: the JSON key, when it differs from the attribute name.
    :param read_only: refuse assignment.
    :param validator: a callable that checks (and may convert) values.
    """
    EMPTY = object()

    #: Values of exactly this type are valid as they are (a fast path when
    #: building resources from server JSON); ``None`` means "always
    #: validate".
    trusted_type: Optional[type] = None

    #: Whether :meth:`validate` may refuse or convert a value.
    validates = False

    #: Whether reads hand out a copy of the stored list or dict, which the
    #: resource keeps in place of the value as loaded (for in-place edits).
    hands_out_copies = False

    #: The resource attribute that keeps the value as loaded once a copy
    #: was handed out (set by the resource's metaclass).
    loaded_attribute: Optional[str] = None

    def __init__(self, name=None, read_only=True, validator=None):
        self.name = name
        self.read_only = read_only
        self.validator = validator

    def __get__(self, instance, owner):
        if instance is None:
            return self
        name = self.name
        try:
            data = instance._json
            if name in data:
                return data[name]
            return instance._data[name]
        except (KeyError, AttributeError):
            return None

    def __set__(self, instance, value):
        if self.read_only:
            raise ReadOnlyPropertyError(
                f'Property {self.name} is marked as read only!')
        value = self.validate(value)
        if self.name == 'metadata':
            # Assigning metadata replaces it as a whole on save (PUT).
            instance._overwrite_metadata = True
            if value is None:
                raise ValidationError('Not a valid dictionary!')
        instance._assign(self.name, value)

    def constructor_check(self):
        """How a constructor checks this field: ``None`` when any value is
        accepted, else ``(trusted type, validate)``: values of exactly the
        trusted type are accepted without calling ``validate``."""
        if not self.validates and self.validator is None:
            return None
        trusted = self.trusted_type
        if self.validator is not None or getattr(self, 'max_length', None):
            trusted = None
        return trusted, self.validate

    def validate(self, value):
        """Check ``value`` and return what is stored."""
        if self.validator is not None:
            return self.validator(value)
        return value

    def __repr__(self):
        return f'<{type(self).__name__}: {self.name}>'


def _plain_field_init(self, read_only, name=None):
    Field.__init__(self, name=name, read_only=read_only)


class HrefField(Field):
    """The absolute URL of a resource."""
    __init__ = _plain_field_init


class ObjectIdField(Field):
    """An opaque identifier."""

    __init__ = _plain_field_init


def _get_snapshotted(self, instance, owner=None):
    """``__get__`` of fields whose value is a list or dict handed out as it
    is stored: the value is snapshotted when handed out, so in-place edits
    are seen by ``save()``."""
    if instance is None:
        return self
    value = Field.__get__(self, instance, owner)
    if value is not None:
        attribute = self.loaded_attribute
        if getattr(instance, attribute) is NOT_HANDED_OUT:
            # The original becomes the snapshot; edits go to a copy, so the
            # JSON given to the constructor is never changed.
            setattr(instance, attribute, value)
            value = instance._json[self.name] = json_copy(value)
    return value


class DictField(Field, dict):
    """A JSON object, read and edited as a plain ``dict``."""
    hands_out_copies = True
    __init__ = _plain_field_init
    if TYPE_CHECKING:
        def __get__(self, instance: Any, owner: Any = None) -> Any: ...
    else:
        __get__ = _get_snapshotted

    # A descriptor must stay hashable and identical only to itself.
    __hash__ = object.__hash__  # type: ignore[assignment]

    def __eq__(self, other):
        return self is other

    def __ne__(self, other):
        return self is not other


class IntegerField(Field):
    """An integer (``bool`` and falsy values pass)."""
    trusted_type = int
    validates = True

    __init__ = _plain_field_init

    def validate(self, value):
        value = super().validate(value)
        if value and not isinstance(value, int):
            raise _invalid(value, self)
        return value


class FloatField(Field):
    """A number, stored as ``float`` (numeric strings are converted)."""
    trusted_type = float
    validates = True

    __init__ = _plain_field_init

    def validate(self, value):
        value = super().validate(value)
        if value is None:
            return None
        try:
            return float(value)
        except (TypeError, ValueError):
            raise _invalid(value, self) from None


class StringField(Field):
    """A string, optionally limited to ``max_length`` characters."""
    trusted_type = str
    validates = True

    def __init__(self, read_only, name=None, max_length=None):
        super().__init__(name=name, read_only=read_only)
        self.max_length = max_length

    def validate(self, value):
        value = super().validate(value)
        if value and not isinstance(value, str):
            raise _invalid(value, self)
        if (self.max_length is not None and value is not None
                and len(value) > self.max_length):
            raise ValidationError(f'{self.name}: max length exceeded.')
        return value


class DateTimeField(Field):
    """A timestamp, read as a naive ``datetime`` in UTC (ISO 8601 strings
    with or without fraction, ``Z`` or offset; dates; epoch seconds)."""

    __init__ = _plain_field_init

    def __get__(self, instance, owner):
        if instance is None:
            return self
        return parse_datetime(Field.__get__(self, instance, owner))


class BooleanField(Field):
    """A boolean."""
    trusted_type = bool
    validates = True

    __init__ = _plain_field_init

    def validate(self, value):
        value = super().validate(value)
        if value and not isinstance(value, bool):
            raise _invalid(value, self)
        return value


class UuidField(Field):
    """A UUID string (kept as given)."""
    validates = True

    __init__ = _plain_field_init

    def validate(self, value):
        import uuid  # checks of edited values only
        value = super().validate(value)
        if value is None:
            return None
        try:
            uuid.UUID(value, version=4)
        except (AttributeError, TypeError, ValueError):
            raise _invalid(value, self) from None
        return value


class BasicListField(Field):
    """A JSON array, read and edited as a plain ``list``; optionally limited
    to ``max_length`` elements."""

    trusted_type = list
    validates = True
    hands_out_copies = True
    if TYPE_CHECKING:
        def __get__(self, instance: Any, owner: Any = None) -> Any: ...
    else:
        __get__ = _get_snapshotted

    def __init__(self, read_only, name=None, max_length=None):
        super().__init__(name=name, read_only=read_only)
        self.max_length = max_length

    def validate(self, value):
        value = super().validate(value)
        if value and not isinstance(value, list):
            raise ValidationError('Validation failed, not a list.')
        if (self.max_length is not None and value is not None
                and len(value) > self.max_length):
            raise ValidationError(
                f'Exceeded {self.max_length} allowed elements.')
        return value


class CompoundField(Field):
    """A JSON object read as an instance of ``cls`` (built anew on every
    read). When ``cls`` is a compound dict (metadata, settings,
    permissions, ...), item edits write through to the owning resource.

    :param cls: the class of the value.
    """

    def __init__(self, cls, read_only, name=None, validator=None):
        super().__init__(name=name, read_only=read_only, validator=validator)
        self.cls = cls
        self.validates = validator is not None
        self._view = getattr(cls, '_view', None)

    def validate(self, value):
        """Check an assigned value: a compound dict (metadata, settings,
        permissions, inputs...) takes a dict or ``None``.

        :raises ValidationError: for anything else (nothing is marked
            changed).
        """
        value = super().validate(value)
        if self._view is not None:
            check_mapping(self.name, value)
        return value

    def __get__(self, instance, owner):
        if instance is None:
            return self
        name = self.name
        data = instance._json
        data = data[name] if name in data else instance._data[name]
        view = self._view
        if view is not None and type(data) is dict:
            return view(instance, data)
        if data is None:
            return None
        if isinstance(data, str):
            # The server sent the nested resource by its id only.
            return self.cls(api=instance._api, id=data)
        if view is not None:
            return view(instance, data)
        return self.cls(api=instance._api, _parent=instance, **data)


class CompoundListField(Field):
    """A JSON array of objects read as a list of ``cls`` instances (an empty
    list when absent)."""

    def __init__(self, cls, read_only, name=None):
        super().__init__(name=name, read_only=read_only)
        self.cls = cls

    def __get__(self, instance, owner):
        if instance is None:
            return self
        name = self.name
        data = instance._json
        data = data[name] if name in data else instance._data[name]
        if not data:
            return []
        api = instance._api
        return [self.cls(api=api, **item) for item in data]


_UTC = timezone.utc
_from_iso_format = datetime.fromisoformat


def parse_datetime(value):
    """Parse a timestamp of the platform into a naive UTC ``datetime``.

    :param value: an ISO 8601 string, epoch seconds, or a ``datetime``.
    :return: the ``datetime``, or ``None`` for a falsy value.
    :raises ValidationError: when ``value`` is not a timestamp.
    """
    if not value:
        return None
    if type(value) is str:
        text = value[:-1] if value[-1] in 'Zz' else value
        try:
            parsed = _from_iso_format(text)
        except ValueError:
            from dateutil.parser import isoparse
            try:
                parsed = isoparse(value)
            except (ValueError, OverflowError):
                raise ValidationError(
                    f'{value} is not a valid value for DateTimeField'
                ) from None
    elif isinstance(value, datetime):
        parsed = value
    elif isinstance(value, str):
        return parse_datetime(str(value))
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        return datetime.fromtimestamp(value, _UTC).replace(tzinfo=None)
    else:
        raise ValidationError(
            f'{value} is not a valid value for DateTimeField')
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(_UTC).replace(tzinfo=None)
    return parsed
