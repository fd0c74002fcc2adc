"""What every service of the emulated platform shares: the clock, ids,
the seeded tokens, permission sets and sizes."""
import uuid
from datetime import datetime, timezone

DEFAULT_TOKEN = 'emulator-token-rfranklin'
SECOND_TOKEN = 'emulator-token-jwatson'
PUBLIC_PROJECT = 'admin/sbg-public-data'
ALL_PERMISSIONS = {'read': True, 'write': True, 'copy': True,
                   'execute': True, 'admin': True}
READ_ONLY = {'read': True, 'write': False, 'copy': True, 'execute': False,
             'admin': False}
MIB = 1024 * 1024


def now():
    """The time now, as the platform writes it (UTC, seconds)."""
    return datetime.now(timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')


def new_id():
    """A new resource id (24 hex digits)."""
    return uuid.uuid4().hex[:24]



def in_window(value, since=None, until=None):
    """Whether the time ``value`` (the platform's text) is at or after
    ``since`` and, compared to ``until``'s precision, at or before it; a
    missing value is in no window that has an end."""
    value = value or ''
    if since and value < since:
        return False
    return not until or bool(value) and value[:len(until)] <= until


def ordered(items, args):
    """``items`` sorted by the query's ``order_by`` field (as text),
    descending when ``order`` is ``desc``; as they are without one."""
    order_by = args.get('order_by')
    if not order_by:
        return items
    return sorted(items, key=lambda item: str(item.get(order_by) or ''),
                  reverse=args.get('order') == 'desc')
