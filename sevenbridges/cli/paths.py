"""Platform paths on the command line: ``OWNER/PROJECT[/FOLDER/.../NAME]``,
or a file's id.

A project's id is its owner and short name (``rfranklin/my-project``); the
rest of a path is followed folder by folder, one query by name at each
level.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sevenbridges.api import Api
from sevenbridges.errors import NotFound
from sevenbridges.models.file import File
from sevenbridges.models.project import Project

#: A platform object id (24 hexadecimal digits).
OBJECT_ID = re.compile(r'^[0-9a-f]{24}$')


@dataclass
class Location:
    """Where a path leads: a project, and in it a folder or file (``node``;
    ``None`` for the project's root)."""
    project: Project
    node: File | None
    path: str

    @property
    def is_folder(self) -> bool:
        return self.node is None or self.node.is_folder()


def target_of(location: Location) -> dict[str, Any]:
    """``project=`` or ``parent=`` of an SDK call for ``location``."""
    if location.node is None:
        return {'project': location.project}
    return {'parent': location.node}


def split(text: str) -> tuple[str, list[str]]:
    """``'u/p/a/b'`` -> ``('u/p', ['a', 'b'])``.

    :raises ValueError: when there is no ``OWNER/PROJECT``.
    """
    parts = [part for part in text.strip('/').split('/') if part]
    if len(parts) < 2:
        raise ValueError(f'{text!r} is not OWNER/PROJECT[/PATH]')
    return '/'.join(parts[:2]), parts[2:]


def child(api: Api, project: Project, parent: File | None,
          name: str) -> File | None:
    """The file or folder ``name`` directly in ``parent`` (or the
    project's root), or ``None``."""
    if parent is None:
        found = api.files.query(project=project, names=[name], limit=1)
    else:
        found = api.files.query(parent=parent, names=[name], limit=1)
    return found[0] if len(found) else None


def locate(api: Api, text: str) -> Location:
    """The project and the file or folder ``text`` names.

    :raises NotFound: when a part of the path does not exist.
    """
    project_id, parts = split(text)
    project = api.projects.get(project_id)
    node = None
    for depth, name in enumerate(parts):
        found = child(api, project, node, name)
        if found is None or (depth < len(parts) - 1 and
                             not found.is_folder()):
            raise NotFound(message=f'{project_id}/'
                           f'{"/".join(parts[:depth + 1])} does not exist')
        node = found
    return Location(project, node, text)


def file_or_location(api: Api, text: str) -> File | Location:
    """A file by id, or the location of a path."""
    if OBJECT_ID.match(text):
        return api.files.get(text)
    return locate(api, text)
