"""Batch tasks: how a parent's batch input splits into children, by item
or by metadata criteria, and what a parent says of its children.

``batch_by`` is ``{"type": "ITEM"}`` (a child per file of the batch
input) or ``{"type": "CRITERIA", "criteria": ["metadata.sample_id",
...]}`` (a child per distinct combination of the files' values of those
metadata fields, which gets the group's files as a list); the type is
read in any case. Children come in the order of the batch input: by
item, or by the first file of each group (a file without a value of a
field is grouped with the others that lack it).
"""
import json
from collections import Counter
from typing import Callable, Iterable, List, NamedTuple

from sevenbridges.emulator.state.errors import ApiError

BATCH_TYPES = ('ITEM', 'CRITERIA')
ENDED = ('COMPLETED', 'FAILED', 'ABORTED')
#: The criteria of a batch by criteria are metadata fields.
METADATA = 'metadata.'


class Group(NamedTuple):
    """The inputs of one child: its ``batch_group`` (``value``,
    ``fields``) and the ``items`` of the batch input it gets."""
    value: str
    fields: dict
    items: list


def batch_type(batch_by: dict) -> str:
    """``ITEM`` or ``CRITERIA``."""
    return str(batch_by.get('type', '')).upper()


def check_batch_by(batch_by):
    """A 400 for a ``batch_by`` the platform refuses (``None`` is no
    batch)."""
    if batch_by is None:
        return
    if batch_type(batch_by) not in BATCH_TYPES:
        raise ApiError(400, f'batch_by: type must be ITEM or CRITERIA, not '
                            f'{batch_by.get("type")!r}.', 9000)
    if batch_type(batch_by) == 'ITEM':
        return
    criteria = batch_by.get('criteria')
    if not isinstance(criteria, list) or not criteria or not all(
            isinstance(field, str) and field.startswith(METADATA)
            and len(field) > len(METADATA) for field in criteria):
        raise ApiError(400, 'batch_by: criteria must be a list of metadata '
                            'fields ("metadata.sample_id").', 9000)


def item_value(item) -> str:
    """What a batch group of one item is called: its file's id."""
    return str(item.get('path') if isinstance(item, dict) else item)


def groups(items: list, batch_by: dict,
           metadata: Callable[[dict], dict]) -> List[Group]:
    """The children's groups of the batch input ``items``;
    ``metadata(item)`` is the metadata of a file item."""
    if batch_type(batch_by) == 'ITEM':
        return [Group(item_value(item), {}, [item]) for item in items]
    criteria = batch_by['criteria']
    found = {}
    for item in items:
        values = metadata(item) if isinstance(item, dict) else {}
        picked = [values.get(field[len(METADATA):]) for field in criteria]
        key = json.dumps(picked, sort_keys=True, default=str)
        if key not in found:
            found[key] = Group(
                ', '.join('' if value is None else str(value)
                          for value in picked),
                dict(zip(criteria, picked)), [])
        found[key].items.append(item)
    return list(found.values())


def roll_up(statuses: Iterable[str]) -> dict:
    """What a batch parent is, from its children's statuses: its
    ``status`` and its ``execution_status`` (children per status, steps
    as children ended)."""
    counts = Counter(statuses)
    total = sum(counts.values())
    ended = sum(counts[status] for status in ENDED)
    if ended == total:
        status = 'COMPLETED' if counts['COMPLETED'] == total else 'FAILED'
    elif ended or counts['RUNNING']:
        status = 'RUNNING'
    else:
        status = 'QUEUED'
    message = {'QUEUED': 'Queued', 'RUNNING': 'Running'}.get(
        status, 'Batch finished')
    return {'status': status, 'execution_status': {
        'message': message, 'steps_completed': ended, 'steps_total': total,
        'queued': counts['QUEUED'], 'running': counts['RUNNING'],
        'completed': counts['COMPLETED'], 'failed': counts['FAILED'],
        'aborted': counts['ABORTED']}}
