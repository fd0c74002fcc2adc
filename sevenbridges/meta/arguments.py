"""Checks of the arguments users pass, run before any request.

A bad argument raises :class:`~sevenbridges.errors.ValidationError` (an
:class:`~sevenbridges.errors.SbgError`) whose message names the parameter,
and nothing is sent. Valid arguments come back unchanged (lists as lists),
so what goes on the wire for them is what the caller gave.
"""
import numbers
import os
from collections.abc import Iterable, Mapping
from typing import Any, List, Optional, Tuple, Union

from sevenbridges.errors import SbgError, ValidationError

__all__ = [
    'SORT_ORDERS', 'enum_values', 'check_choice', 'check_page', 'as_list',
    'check_mapping', 'check_name', 'check_seconds', 'check_flag',
    'check_callback', 'check_part_size', 'check_attempts', 'check_workers',
    'local_path', 'check_download_path',
]

#: The values of the ``order`` parameter of sorted listings.
SORT_ORDERS = ('asc', 'desc')

Choices = Union[type, Iterable]


def _kind(value: Any) -> str:
    return type(value).__name__


def enum_values(constants: type) -> Tuple[str, ...]:
    """The values of a class of constants of
    :mod:`sevenbridges.models.enums` (its upper-case string attributes), in
    the order they are declared."""
    return tuple(value for name, value in vars(constants).items()
                 if name.isupper() and isinstance(value, str))


def check_choice(parameter: str, value: Any, choices: Choices,
                 ignore_case: bool = False, required: bool = False) -> Any:
    """``value`` when it is one of ``choices`` (a class of constants such as
    :class:`~sevenbridges.models.enums.TaskStatus`, or the values
    themselves), a list or tuple of such values (a repeated filter), or
    ``None`` or ``''`` (no value). The value is returned as given.

    :param ignore_case: accept the values in any case (for parameters the
        platform reads so).
    :param required: refuse ``None`` (``'<parameter> is required.'``).
    :raises ValidationError: for any other value.
    """
    if value is None and required:
        raise ValidationError(f'{parameter} is required.')
    if value is None or value == '':
        return value
    allowed = enum_values(choices) if isinstance(choices, type) \
        else tuple(choices)
    fold = str.lower if ignore_case else str
    known = {fold(choice) for choice in allowed}
    given = value if isinstance(value, (list, tuple)) else [value]
    for item in given:
        if not isinstance(item, str) or fold(item) not in known:
            raise ValidationError(
                f'{parameter} must be one of {", ".join(allowed)}, '
                f'not {item!r}.')
    return value


def _integer(parameter, value):
    if value is not None and (isinstance(value, bool) or
                              not isinstance(value, numbers.Integral)):
        raise ValidationError(
            f'{parameter} must be an integer, not {_kind(value)} '
            f'({value!r}).')


def check_page(offset: Any = None, limit: Any = None) -> None:
    """Check the pagination arguments of a listing: ``offset`` and
    ``limit`` are integers (or ``None``) and ``offset`` is not negative. A
    ``limit`` of zero or less is left alone (listings read it as the
    default page size) and so is a large one (the server enforces its
    maximum).

    :raises ValidationError: otherwise.
    """
    _integer('offset', offset)
    _integer('limit', limit)
    if offset is not None and offset < 0:
        raise ValidationError(f'offset must be 0 or more, not {offset}.')


def as_list(parameter: str, value: Any) -> List[Any]:
    """``value``, an iterable of items (a list, a tuple, a generator...), as
    a list.

    :raises ValidationError: for ``None``, a string, a dict or anything
        else that is not a collection of items.
    """
    if isinstance(value, (str, bytes, Mapping)) or \
            not isinstance(value, Iterable):
        raise ValidationError(
            f'{parameter} must be a list, not {_kind(value)} ({value!r}).')
    return list(value)


def check_mapping(parameter: str, value: Any) -> Optional[Mapping]:
    """``value`` when it is a dict (any mapping) or ``None``.

    :raises ValidationError: otherwise.
    """
    if value is not None and not isinstance(value, Mapping):
        raise ValidationError(
            f'{parameter} must be a dict, not {_kind(value)} ({value!r}).')
    return value


def check_name(parameter: str, value: Any,
               required: Optional[str] = None) -> str:
    """``value`` when it is a string with more than blanks in it.

    :param required: the message when the name is missing or blank
        (default: ``'<parameter> is required.'``).
    :raises ValidationError: otherwise.
    """
    if isinstance(value, str) and value.strip():
        return value
    if value is None or isinstance(value, str):
        raise ValidationError(required or f'{parameter} is required.')
    raise ValidationError(
        f'{parameter} must be a string, not {_kind(value)} ({value!r}).')


def check_seconds(parameter: str, value: Any, optional: bool = False,
                  positive: bool = False, say_none: bool = False) -> Any:
    """``value`` when it is a number of seconds (0 or more; more than 0 with
    ``positive``; ``None`` too with ``optional``).

    :param say_none: name ``None`` among the values the message allows.
    :raises ValidationError: naming ``parameter`` otherwise.
    """
    if value is None and optional:
        return value
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or \
            value < 0 or (positive and value == 0) or value != value:
        allowed = 'more than 0' if positive else '0 or more'
        if say_none:
            allowed += ', or None'
        raise ValidationError(f'{parameter} must be a number of seconds '
                              f'({allowed}), not {value!r}.')
    return value


def _whole(value: Any) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_flag(parameter: str, value: Any) -> bool:
    """``value`` when it is ``True`` or ``False``.

    :raises ValidationError: otherwise.
    """
    if not isinstance(value, bool):
        raise ValidationError(f'{parameter} must be True or False, not '
                              f'{value!r}.')
    return value


def check_callback(parameter: str, value: Any) -> Any:
    """``value`` when it is a function (anything callable) or ``None``.

    :raises ValidationError: otherwise.
    """
    if value is not None and not callable(value):
        raise ValidationError(f'{parameter} must be a function, not '
                              f'{value!r}.')
    return value


def _check_whole(parameter: str, value: Any, minimum: int,
                 description: str, optional: bool = True) -> Optional[int]:
    """``value`` when it is a whole number (not a ``bool``) of at least
    ``minimum``, or ``None`` when ``optional``.

    :raises ValidationError: otherwise: ``{parameter} must be
        {description}, not {value!r}.``
    """
    if (value is None and not optional) or value is not None and (
            not _whole(value) or value < minimum):
        raise ValidationError(f'{parameter} must be {description}, not '
                              f'{value!r}.')
    return value


def check_part_size(parameter: str, value: Any) -> Optional[int]:
    """``value`` when it is ``None`` (the default) or a positive integer
    (bytes per part; the platform corrects any other size).

    :raises ValidationError: otherwise.
    """
    return _check_whole(parameter, value, 1, 'a positive number of bytes')


def check_attempts(parameter: str, value: Any) -> Optional[int]:
    """``value`` when it is ``None`` or a number of attempts (0 or more; the
    transfers read ``None`` and 0 as their default).

    :raises ValidationError: otherwise.
    """
    return _check_whole(parameter, value, 0,
                        'a number of attempts (0 or more)')


def check_requests(parameter: str, value: Any) -> Optional[int]:
    """``value`` when it is ``None`` or a number of requests (1 or more).

    :raises ValidationError: otherwise.
    """
    return _check_whole(parameter, value, 1,
                        'a number of requests (1 or more, or None)')


def check_workers(parameter: str, value: Any) -> Optional[int]:
    """``value`` (as an ``int``) when it is ``None`` or a positive integer.

    :raises ValidationError: otherwise.
    """
    checked = _check_whole(parameter, value, 1,
                           'a positive number of files in flight')
    return None if checked is None else int(checked)


def check_count(parameter: str, value: Any, optional: bool = False
                ) -> Optional[int]:
    """``value`` when it is a whole number of 1 or more (or ``None``, with
    ``optional``).

    :raises ValidationError: otherwise, naming ``parameter``.
    """
    return _check_whole(parameter, value, 1, 'a whole number of 1 or more',
                        optional)


def local_path(parameter: str, value: Any) -> str:
    """``value``, a non-empty local path, made absolute.

    :raises ValidationError: otherwise.
    """
    if not isinstance(value, (str, os.PathLike)) or not os.fspath(value):
        raise ValidationError(f'{parameter} must be a local folder, not '
                              f'{value!r}.')
    return os.path.abspath(os.fspath(value))


def check_download_path(path: Any) -> str:
    """``path`` (as a ``str``) when a download can write it: a file name
    whose folder exists, and not a folder itself.

    :raises SbgError: naming what is wrong (the reference's class for
        these).
    """
    if not isinstance(path, (str, os.PathLike)) or not os.fspath(path):
        raise SbgError(f'The download path must be a file name, not '
                       f'{path!r}.')
    path = os.fspath(path)
    if os.path.isdir(path):
        raise SbgError(f'Cannot download to {path}: it is a folder.')
    folder = os.path.dirname(path) or os.curdir
    if not os.path.isdir(folder):
        what = 'is not a folder' if os.path.exists(folder) \
            else 'does not exist'
        raise SbgError(f'Cannot download to {path}: {folder} {what}.')
    return path
