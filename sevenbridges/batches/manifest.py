"""A batch's manifest: one row per task, read from a CSV or TSV file or a
list of dicts, and typed by the app's inputs.

A row's values are converted by the type of the input that names their
column: numbers, booleans and enum symbols from text, arrays from a list
or from text with ``;`` between the items (or a JSON array), files left
as references (:class:`FileRef`) that :mod:`sevenbridges.batches.files`
resolves. Whatever cannot be converted is a :class:`RowProblem` of its
row, never an exception of the whole manifest.
"""
from __future__ import annotations

import csv
import json
import os
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping, Union

from sevenbridges.errors import ValidationError

__all__ = ['InputSpec', 'app_inputs', 'FileRef', 'Row', 'RowProblem',
           'read_manifest', 'typed_rows', 'check_text',
           'check_amount']

#: A manifest: a CSV or TSV file, or rows as dicts (a DataFrame's records).
Manifest = Union[str, 'os.PathLike[str]', Iterable[Mapping[str, Any]]]

_FILE_TYPES = ('File', 'Directory')
_TRUE = ('true', 'yes', 'y', '1')
_FALSE = ('false', 'no', 'n', '0')


def check_text(parameter: str, value: Any) -> str:
    """``value`` when it is a one-line, non-blank string (a batch's name, a
    row's key).

    :raises ValidationError: otherwise, naming ``parameter``.
    """
    if not isinstance(value, str) or not value.strip() or \
            '\n' in value or '\r' in value:
        raise ValidationError(f'{parameter} must be a non-empty one-line '
                              f'string, not {value!r}.')
    return value


def check_amount(parameter: str, value: Any) -> float | None:
    """``value`` when it is ``None`` or an amount of money above 0.

    :raises ValidationError: otherwise, naming ``parameter``.
    """
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not value > 0 or value == float('inf'):
        raise ValidationError(f'{parameter} must be an amount above 0, not '
                              f'{value!r}.')
    return float(value)


@dataclass(frozen=True)
class InputSpec:
    """One input of an app, as a manifest column is typed by it.

    :param id: the input's id.
    :param kind: its item type (``File``, ``int``, ``string``, ``enum``...).
    :param array: whether it takes a list.
    :param required: whether a task without it can not run (not optional,
        no default).
    :param symbols: an enum's values.
    """
    id: str
    kind: str
    array: bool = False
    required: bool = False
    symbols: tuple[str, ...] = ()

    @property
    def is_file(self) -> bool:
        return self.kind in _FILE_TYPES


def _short_id(value: str) -> str:
    return re.split(r'[#/]', value)[-1]


def _type_of(declared: Any) -> tuple[str, bool, bool, tuple[str, ...]]:
    """``(kind, array, optional, symbols)`` of a CWL type."""
    optional = False
    if isinstance(declared, list):
        optional = 'null' in declared
        rest = [item for item in declared if item != 'null']
        declared = rest[0] if rest else 'string'
    if isinstance(declared, str):
        if declared.endswith('?'):
            optional, declared = True, declared[:-1]
        if declared.endswith('[]'):
            return declared[:-2], True, optional, ()
        return declared, False, optional, ()
    if isinstance(declared, dict):
        if declared.get('type') == 'array':
            kind, _, _, symbols = _type_of(declared.get('items', 'string'))
            return kind, True, optional, symbols
        if declared.get('type') == 'enum':
            symbols = tuple(_short_id(str(symbol))
                            for symbol in declared.get('symbols') or [])
            return 'enum', False, optional, symbols
        return str(declared.get('type')), False, optional, ()
    return 'string', False, optional, ()


def app_inputs(raw: Mapping[str, Any]) -> dict[str, InputSpec]:
    """The inputs of an app's CWL (``app.raw``), by id."""
    declared = raw.get('inputs') or []
    if isinstance(declared, dict):       # CWL's map form: id -> type
        declared = [dict(value, id=key) if isinstance(value, dict)
                    else {'id': key, 'type': value}
                    for key, value in declared.items()]
    inputs = {}
    for item in declared:
        kind, array, optional, symbols = _type_of(item.get('type'))
        spec = InputSpec(_short_id(str(item.get('id'))), kind, array,
                         not optional and 'default' not in item, symbols)
        inputs[spec.id] = spec
    return inputs


@dataclass(frozen=True)
class FileRef:
    """A file named by a manifest: by ``id``, by ``path`` in the project
    (``folder/x.bam``) or by ``name``."""
    how: str
    value: str

    @classmethod
    def of(cls, value: Any) -> FileRef:
        from sevenbridges.models.file import File
        if isinstance(value, File):
            return cls('id', value.id)
        if isinstance(value, Mapping) and value.get('path'):
            return cls('id', str(value['path']))
        text = str(value).strip()
        if re.fullmatch(r'[0-9a-f]{24}', text):
            return cls('id', text)
        if '/' in text:
            return cls('path', text.strip('/'))
        return cls('name', text)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class RowProblem:
    """Why a row can not launch: its ``key`` and the ``reason``."""
    key: str
    reason: str

    def __str__(self) -> str:
        return f'{self.key}: {self.reason}'


@dataclass
class Row:
    """One row of a manifest: its ``key``, the inputs of its task, and
    what is wrong with it (``problems``; files are resolved later)."""
    key: str
    inputs: dict[str, Any]
    problems: list[str] = field(default_factory=list)


def read_manifest(manifest: Manifest) -> list[dict[str, Any]]:
    """The rows of a manifest: a CSV or TSV file (by its header; a tab in
    the header line makes it TSV), a pandas DataFrame or an iterable of
    dicts.

    :raises ValidationError: for a manifest that is neither, or without
        rows.
    """
    if isinstance(manifest, (str, os.PathLike)):
        with open(manifest, newline='', encoding='utf-8-sig') as stream:
            header = stream.readline()
            stream.seek(0)
            dialect = 'excel-tab' if '\t' in header else 'excel'
            rows = [dict(row) for row in csv.DictReader(stream,
                                                        dialect=dialect)]
    elif hasattr(manifest, 'to_dict') and hasattr(manifest, 'columns'):
        rows = manifest.to_dict('records')          # a pandas DataFrame
    elif isinstance(manifest, Iterable) and not isinstance(manifest,
                                                           (bytes, Mapping)):
        rows = [dict(row) if isinstance(row, Mapping) else row
                for row in manifest]
        if not all(isinstance(row, dict) for row in rows):
            raise ValidationError('manifest must be a CSV or TSV file or a '
                                  'list of dicts.')
    else:
        raise ValidationError('manifest must be a CSV or TSV file or a list '
                              'of dicts, not ' + type(manifest).__name__)
    if not rows:
        raise ValidationError('manifest has no rows.')
    return rows


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and value != value:      # pandas' NaN
        return True
    return isinstance(value, str) and not value.strip()


def _items(value: Any) -> list[Any]:
    if isinstance(value, (list, tuple)):
        return list(value)
    text = str(value).strip()
    if text.startswith('['):
        try:
            loaded = json.loads(text)
        except ValueError:
            raise ValueError(f'{text!r} is not a JSON array') from None
        if isinstance(loaded, list):
            return loaded
    return [item.strip() for item in text.split(';') if item.strip()]


def _scalar(spec: InputSpec, value: Any) -> Any:
    kind = spec.kind
    if spec.is_file:
        return FileRef.of(value)
    text = value.strip() if isinstance(value, str) else value
    if kind in ('int', 'long'):
        if isinstance(text, bool) or (isinstance(text, float)
                                      and not text.is_integer()):
            raise ValueError(f'{value!r} is not an integer')
        try:
            return int(text)
        except (TypeError, ValueError):
            raise ValueError(f'{value!r} is not an integer') from None
    if kind in ('float', 'double'):
        try:
            return float(text)
        except (TypeError, ValueError):
            raise ValueError(f'{value!r} is not a number') from None
    if kind == 'boolean':
        if isinstance(text, bool):
            return text
        if str(text).lower() in _TRUE:
            return True
        if str(text).lower() in _FALSE:
            return False
        raise ValueError(f'{value!r} is not a boolean (true or false)')
    if kind == 'enum':
        if str(text) not in spec.symbols:
            raise ValueError(f'{value!r} is not one of '
                             f'{", ".join(spec.symbols)}')
        return str(text)
    if kind == 'string':
        return str(value)
    return value


def _convert(spec: InputSpec, value: Any) -> Any:
    if spec.array:
        return [_scalar(spec, item) for item in _items(value)]
    return _scalar(spec, value)


def typed_rows(rows: list[dict[str, Any]], inputs: Mapping[str, InputSpec],
               key: str | None = None) -> list[Row]:
    """The rows typed by the app's inputs. The key column is ``key`` (by
    default the first); a key column that is not an input is not sent.

    :raises ValidationError: for a ``key`` that is not a column, or
        columns that are neither inputs nor the key (the whole manifest is
        wrong, not a row).
    """
    columns = list(rows[0])
    key = columns[0] if key is None else key
    if key not in columns:
        raise ValidationError(f'key: the manifest has no column {key!r} '
                              f'(its columns: {", ".join(columns)}).')
    unknown = [column for column in columns
               if column not in inputs and column != key]
    if unknown:
        raise ValidationError(
            f'manifest: the columns {", ".join(unknown)} are not inputs of '
            f'the app (its inputs: {", ".join(inputs)}).')
    typed, seen = [], set()
    for number, values in enumerate(rows, start=1):
        raw_key = values.get(key)
        row = Row(key='' if _empty(raw_key) else str(raw_key).strip(), inputs={})
        if not row.key or '\n' in row.key:
            row.key = f'row {number}'
            row.problems.append('the row has no key')
        elif row.key in seen:
            row.problems.append(f'the key {row.key} is on another row too')
        seen.add(row.key)
        for column, value in values.items():
            spec = inputs.get(column)
            if spec is None or _empty(value):
                continue
            try:
                row.inputs[column] = _convert(spec, value)
            except ValueError as error:
                row.problems.append(f'{column}: {error}')
        for spec in inputs.values():
            if spec.required and spec.id not in row.inputs and \
                    not any(p.startswith(f'{spec.id}:') for p in row.problems):
                row.problems.append(f'{spec.id}: a required input is empty')
        typed.append(row)
    return typed
