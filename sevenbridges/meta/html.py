"""HTML tables of resources and collections for Jupyter (``_repr_html_``).

They show what an object already holds, never fetching anything: a
resource's fields as the server sent them (in the order the class declares
them, undeclared keys last) and a page of a list with the columns that say
what each item is. Every value is escaped; long values are cut.
"""
import html
import json
from typing import Any, Iterable, List

#: Columns a list shows, in this order, when its items have them.
COLUMNS = ('id', 'name', 'username', 'location', 'prefix', 'type', 'size',
           'status', 'state', 'project', 'created_on', 'modified_on')
MAX_ROWS = 50
MAX_TEXT = 80


def _text(value: Any) -> str:
    if isinstance(value, (dict, list)):
        value = json.dumps(value, default=str, sort_keys=True)
    text = '' if value is None else str(value)
    if len(text) > MAX_TEXT:
        text = text[:MAX_TEXT - 1] + '\u2026'
    return html.escape(text)


def _raw(resource: Any) -> dict:
    data = getattr(resource, '_json', None)
    return data if isinstance(data, dict) else {}


def _table(caption: str, header: Iterable[str], rows: List[List[Any]],
           footer: str = '') -> str:
    head = ''.join(f'<th style="text-align:left">{html.escape(name)}</th>'
                   for name in header)
    body = ''.join('<tr>' + ''.join(
        f'<td style="text-align:left">{_text(cell)}</td>' for cell in row)
        + '</tr>' for row in rows)
    foot = f'<p>{html.escape(footer)}</p>' if footer else ''
    return (f'<table><caption style="text-align:left"><b>'
            f'{html.escape(caption)}</b></caption><thead><tr>{head}</tr>'
            f'</thead><tbody>{body}</tbody></table>{foot}')


def resource_table(resource: Any) -> str:
    """One row per field the resource holds: its JSON name and value."""
    data = _raw(resource)
    declared = [key for key in type(resource)._fields if key in data]
    extra = sorted(key for key in data if key not in type(resource)._fields)
    return _table(str(resource), ('field', 'value'),
                  [[key, data[key]] for key in declared + extra])


def collection_table(collection: Any) -> str:
    """One row per item of the page (at most ``MAX_ROWS``), with the
    identifying columns the items have."""
    items = list.__iter__(collection)
    rows_data = [_raw(item) if hasattr(item, '_fields') else {'value': item}
                 for item in items]
    present = {key for data in rows_data for key in data}
    columns = [name for name in COLUMNS if name in present] or \
        sorted(present)[:6]
    rows = [[data.get(name) for name in columns]
            for data in rows_data[:MAX_ROWS]]
    total = getattr(collection, 'total', None)
    shown = f'{min(len(rows_data), MAX_ROWS)} of {len(rows_data)} on this page'
    footer = shown + (f', {total} in all' if total not in (None, -1) else '')
    return _table(f'{type(collection).__name__} of '
                  f'{getattr(collection.resource, "__name__", "items")}',
                  columns, rows, footer)
