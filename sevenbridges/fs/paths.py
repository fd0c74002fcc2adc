"""Paths of the ``sbg://`` filesystem: ``OWNER/PROJECT/folder/.../name``,
where ``OWNER/PROJECT`` is a project's id.

The root (``''``) holds the projects the user can read, ``OWNER`` the
projects of that owner; below a project come its folders and files.
"""
from __future__ import annotations

import posixpath
from typing import Tuple

#: The protocols the filesystem answers to.
PROTOCOLS = ('sbg', 'sevenbridges')

#: How deep a project is: ``OWNER/PROJECT``.
PROJECT_DEPTH = 2


def strip(path: str) -> str:
    """``path`` without its protocol, its leading and trailing ``/`` and
    empty segments (``sbg://a//b/`` is ``a/b``)."""
    for protocol in PROTOCOLS:
        for prefix in (f'{protocol}://', f'{protocol}::'):
            if path.startswith(prefix):
                path = path[len(prefix):]
    return '/'.join(part for part in path.split('/') if part)


def parts(path: str) -> Tuple[str, ...]:
    """The names of a stripped path (``()`` for the root)."""
    return tuple(path.split('/')) if path else ()


def parent(path: str) -> str:
    """The folder, project or owner ``path`` is in (``''``: the root)."""
    return posixpath.dirname(path)


def name(path: str) -> str:
    """The last name of ``path``."""
    return posixpath.basename(path)


def project_of(path: str) -> str:
    """The id of the project ``path`` is in (or is).

    :raises PermissionError: for the root and an owner, which hold only
        projects.
    """
    names = parts(path)
    if len(names) < PROJECT_DEPTH:
        raise PermissionError(f'{path or "the root"} holds projects, not '
                              f'files or folders.')
    return '/'.join(names[:PROJECT_DEPTH])


def is_project(path: str) -> bool:
    """Whether ``path`` names a project (``OWNER/PROJECT``)."""
    return len(parts(path)) == PROJECT_DEPTH


def above_projects(path: str) -> bool:
    """Whether ``path`` is the root or an owner (what holds projects)."""
    return len(parts(path)) < PROJECT_DEPTH
