"""Journals: what a transfer has stored, kept on disk so that a new process
continues a transfer that a crash interrupted (uploads in the user cache,
downloads beside their temporary file).
"""
from __future__ import annotations

import hashlib
import json
import logging
import os
import threading

logger = logging.getLogger(__name__)

__all__ = ['cache_dir', 'journal_key', 'keeps_journal', 'read_journal',
           'write_journal', 'remove_quietly']


def cache_dir():
    """Where upload journals live: ``$XDG_CACHE_HOME/sevenbridges`` or
    ``~/.cache/sevenbridges``."""
    base = os.environ.get('XDG_CACHE_HOME') or os.path.join(
        os.path.expanduser('~'), '.cache')
    return os.path.join(base, 'sevenbridges')


def journal_key(*parts):
    """A short stable name for a journal of the given identity."""
    text = '\0'.join(str(part) for part in parts)
    return hashlib.sha1(text.encode('utf-8')).hexdigest()


def keeps_journal(parts):
    """Whether a transfer of ``parts`` parts keeps a journal: only of
    several parts (a re-run of one part would save at most that part, and
    a folder of small files would pay a journal's writes for each)."""
    return parts > 1


def read_journal(path, missing=None):
    """The journal at ``path`` (a dict); ``missing`` where there is none,
    ``None`` where it cannot be read."""
    try:
        with open(path, encoding='utf-8') as fp:
            return json.load(fp)
    except FileNotFoundError:
        return missing
    except (OSError, ValueError):
        return None


def write_journal(path, data):
    """Write a journal atomically (a crash leaves the old or the new)."""
    directory = os.path.dirname(path)
    if directory:               # a bare name lives in the working folder
        os.makedirs(directory, exist_ok=True)
    temporary = f'{path}.{os.getpid()}.{threading.get_ident()}.tmp'
    with open(temporary, 'w', encoding='utf-8') as fp:
        json.dump(data, fp)
    os.replace(temporary, path)


def remove_quietly(path):
    """Remove ``path`` if it exists (``None``: nothing); an error is
    logged, never raised."""
    if path is None:
        return
    try:
        os.remove(path)
    except FileNotFoundError:
        pass
    except OSError as e:
        logger.warning('Could not remove %s: %s', path, e)
