"""Where a task's output files go, and how they become platform files.

Outputs land in the task's project, in the folder its ``output_location``
names (``main_location``, a path such as ``/Analysis/``, created as
needed; ``nodes_location`` may give an output its own path), else in the
project's root. A name that is taken gets ``_1_``, ``_2_``... in front,
as on the platform.
"""
import os
from typing import Dict, Optional

from sevenbridges.emulator.state.checks import INVALID
from sevenbridges.emulator.state.errors import ApiError

LOCATION_KEYS = ('main_location', 'nodes_location')


def check_output_location(location: dict):
    """A 400 naming the key when ``output_location`` is malformed."""
    for key in location:
        if key not in LOCATION_KEYS:
            raise ApiError(400, f'output_location.{key} is not a key of an '
                                f'output location ({", ".join(LOCATION_KEYS)}'
                                f').', INVALID)
    if not isinstance(location.get('main_location', ''), str):
        raise ApiError(400, 'output_location.main_location must be a '
                            'string.', INVALID)
    nodes = location.get('nodes_location', {})
    if not isinstance(nodes, dict) or not all(
            isinstance(value, str) for value in nodes.values()):
        raise ApiError(400, 'output_location.nodes_location must map '
                            'output ids to paths (strings).', INVALID)


class OutputFiles:
    """Registers the output files of one task.

    :param files: the :class:`~sevenbridges.emulator.state.files.Files`.
    :param users: the :class:`~sevenbridges.emulator.state.users.Users`.
    :param task: the task document.
    """

    def __init__(self, files, users, task: dict):
        self.files = files
        self.task = task
        self.root = files.root_folder(task['project'])
        self.user = users.get(task['_owner'])
        self._folders: Dict[str, str] = {}
        self._moved: Dict[str, dict] = {}

    def folder(self, output_id: Optional[str] = None) -> str:
        """The id of the folder of an output (created as needed)."""
        location = self.task.get('output_location') or {}
        path = (location.get('nodes_location') or {}).get(output_id) or \
            location.get('main_location') or ''
        if path not in self._folders:
            self._folders[path] = self.files.folder_at(self.user, self.root,
                                                       path)
        return self._folders[path]

    def add(self, folder: str, name: str, content: Optional[bytes] = None,
            source_path: Optional[str] = None) -> dict:
        """A new output file (the bytes given, or moved from
        ``source_path``), as a task output value; a path registered
        before is that file again."""
        if source_path in self._moved:
            return dict(self._moved[source_path])
        name = self.files.free_name(folder, name, autorename=True)
        doc = self.files.add_file(
            self.task['project'], folder, name, content=content,
            source_path=source_path, origin={'task': self.task['id']})
        value = {'class': 'File', 'path': doc['id'], 'name': doc['name'],
                 'size': doc['size']}
        if source_path is not None:
            self._moved[source_path] = dict(value)
        return value

    def add_folder(self, folder: str, name: str, source_path: str) -> dict:
        """A new output folder with the tree of ``source_path`` (its files
        moved), as a task output value."""
        name = self.files.free_name(folder, name, autorename=True)
        created = self.files.create_folder(self.user, {
            'name': name, 'parent': folder})
        self.files.save(dict(created, origin={'task': self.task['id']}))
        for entry in sorted(os.listdir(source_path)):
            path = os.path.join(source_path, entry)
            if os.path.isdir(path):
                self.add_folder(created['id'], entry, path)
            else:
                self.add(created['id'], entry, source_path=path)
        return {'class': 'Directory', 'path': created['id'],
                'name': created['name']}
