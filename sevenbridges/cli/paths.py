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

    @property
    def folder_id(self) -> str:
        """The id of the folder the location is (a project's root
        folder's for the project)."""
        if self.node is None:
            return str(self.project.root_folder)
        return str(self.node.id)

    def below(self, node: File, name: str) -> Location:
        """The location of ``node``, named ``name`` in this folder."""
        return Location(self.project, node, f'{self.path.rstrip("/")}/{name}')


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


def parent_and_name(api: Api, text: str) -> tuple[Location, str]:
    """The folder a path names a place in, and the last name of the path
    (which need not exist).

    :raises ValueError: when the path names a project, not a place in it.
    :raises NotFound: when the folder does not exist.
    """
    project_id, parts = split(text)
    if not parts:
        raise ValueError(f'{text} is a project: name a path in it')
    folder = locate(api, '/'.join([project_id] + parts[:-1]))
    if not folder.is_folder:
        raise ValueError(f'{folder.path} is a file, not a folder')
    return folder, parts[-1]


def ensure_folder(api: Api, location: Location, name: str) -> File:
    """The folder ``name`` in ``location``, created when missing.

    :raises ValueError: when a file of that name is in the way.
    """
    found = child(api, location.project, location.node, name)
    if found is not None:
        if not found.is_folder():
            raise ValueError(f'{location.path.rstrip("/")}/{name} is a '
                             'file, not a folder')
        return found
    return new_folder(api, location, name)


def new_folder(api: Api, location: Location, name: str) -> File:
    """A new folder ``name`` in ``location``.

    :raises Conflict: when the name is taken.
    """
    if location.node is None:
        return api.files.create_folder(name, project=location.project)
    return api.files.create_folder(name, parent=location.node)


def make_folders(api: Api, text: str) -> Location:
    """The folder a path names, made with the folders above it where they
    are missing (as ``mkdir -p``).

    :raises ValueError: when a file is in the way.
    :raises NotFound: when the project does not exist.
    """
    project_id, parts = split(text)
    location = Location(api.projects.get(project_id), None, project_id)
    for name in parts:
        location = location.below(ensure_folder(api, location, name), name)
    return location


class Names:
    """The names in a remote folder, as a container asked one name at a
    time (one query each)."""

    def __init__(self, api: Api, location: Location) -> None:
        self.api, self.location = api, location

    def __contains__(self, name: object) -> bool:
        return child(self.api, self.location.project, self.location.node,
                     str(name)) is not None


def file_or_location(api: Api, text: str) -> File | Location:
    """A file by id, or the location of a path."""
    if OBJECT_ID.match(text):
        return api.files.get(text)
    return locate(api, text)
