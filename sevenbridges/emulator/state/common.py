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

