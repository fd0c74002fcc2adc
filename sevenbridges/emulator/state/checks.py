"""Checks of request bodies: a value of the wrong type is a 400 that names
the field, as the platform answers, never an error inside the emulator."""
from sevenbridges.emulator.state.errors import ApiError

INVALID = 9000
_NAMES = {str: 'a string', dict: 'an object', list: 'a list',
          bool: 'true or false', int: 'a whole number',
          float: 'a number'}


def flag(value):
    """A query's boolean: ``true`` or ``1`` (any case) is true."""
    return str(value).lower() in ('true', '1')


def describe(kind):
    """``'a string'``, ``'a string or a list'``..."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return ' or '.join(_NAMES.get(item, item.__name__) for item in kinds)


def is_a(value, kind):
    """``isinstance`` where ``True`` is not a number."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        return False
    return isinstance(value, kinds)


def field(body, key, kind, required=False, default=None, where=''):
    """``body[key]`` when it is of ``kind``; ``default`` when absent or
    null (a 400 if ``required``).

    :param where: what the body is (``'item 2: '``), to prefix messages.
    """
    value = body.get(key)
    if value is None:
        if required:
            raise ApiError(400, f'{where}{key} is required.', INVALID)
        return default
    if not is_a(value, kind):
        raise ApiError(400, f'{where}{key} must be {describe(kind)}.',
                       INVALID)
    return value


def identifier(value, what):
    """``value`` when it is an id (a non-empty string); a 400 naming
    ``what`` (``'project'``) otherwise."""
    if not value or not isinstance(value, str):
        raise ApiError(400, f'A {what} (its id, a string) is required.',
                       INVALID)
    return value


def check(body, kinds, where=''):
    """A 400 naming the first key of ``body`` that is not of its kind in
    ``kinds`` (``{key: kind}``; null values pass)."""
    for key, kind in kinds.items():
        field(body, key, kind, where=where)
    return body


def strings(body, key, required=False, where=''):
    """``body[key]`` as a list of strings (``[]`` when absent)."""
    value = field(body, key, list, required, [], where)
    if not all(isinstance(item, str) for item in value):
        raise ApiError(400, f'{where}{key} must be a list of strings.',
                       INVALID)
    return value


def obj(value, what):
    """``value`` when it is a JSON object (a 400 naming ``what`` if
    not)."""
    if not isinstance(value, dict):
        raise ApiError(400, f'{what} must be an object.', INVALID)
    return value
