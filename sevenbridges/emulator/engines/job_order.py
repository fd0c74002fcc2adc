"""A task's inputs as a cwltool job order.

Platform files (``{"class": "File", "path": <file id>}``) become local
files under their own names in the run's folder (hard links to the
stored bytes, copies where links fail), so that ``basename`` and
``nameext`` are what they are on the platform; folders (``Directory``)
become local trees. Secondary files are those the task lists, else the
files next to the input on the platform whose names the app's patterns
give (``reads.bam`` and ``.bai`` find ``reads.bam.bai``), as the
platform finds them. Strings, numbers, booleans, arrays and records pass
as they are.
"""
import os
import shutil
from typing import Dict, List, Tuple

from sevenbridges.emulator.engines.cwl_document import (
    secondary_name,
    secondary_patterns,
)
from sevenbridges.emulator.state.checks import INVALID
from sevenbridges.emulator.state.errors import ApiError


class Staging:
    """Builds the job order of one run.

    :param files: the :class:`~sevenbridges.emulator.state.files.Files`.
    :param user: the task's owner (whose access the files need).
    :param folder: the run's folder; inputs go to ``inputs/`` in it.
    """

    def __init__(self, files, user, folder: str):
        self.files = files
        self.user = user
        self.inputs = os.path.join(folder, 'inputs')
        self._linked: Dict[Tuple[str, str], str] = {}

    def job_order(self, inputs: dict, raw: dict) -> dict:
        """The job order of the task inputs ``inputs`` for the app
        ``raw``."""
        patterns = secondary_patterns(raw)
        return {port: self._value(value, patterns.get(port, []))
                for port, value in inputs.items()}

    def _value(self, value, patterns: List[Tuple[str, bool]]):
        if isinstance(value, list):
            return [self._value(item, patterns) for item in value]
        if not isinstance(value, dict):
            return value
        kind = str(value.get('class', '')).lower()
        if kind == 'file':
            return self._file(value, patterns)
        if kind == 'directory':
            doc = self._doc(value, 'folder')
            return {'class': 'Directory', 'path': self._link(
                doc, os.path.join(self.inputs, doc['id']))}
        return {key: self._value(item, []) for key, item in value.items()}

    def _doc(self, value: dict, kind: str) -> dict:
        """The platform file or folder a reference names."""
        doc = self.files.file(self.user, value.get('path'))
        if doc['type'] != kind:
            raise ApiError(400, f'Input {doc["name"]} ({doc["id"]}) is a '
                                f'{doc["type"]}, not a {kind}.', INVALID)
        return doc

    def _file(self, value: dict, patterns) -> dict:
        doc = self._doc(value, 'file')
        where = os.path.join(self.inputs, doc['id'])
        staged: dict = {'class': 'File', 'path': self._link(doc, where)}
        listed = value.get('secondaryFiles') or \
            [{'path': sibling['id']}
             for sibling in self._siblings(doc, patterns)]
        secondary = [self._secondary(item, where) for item in listed]
        if secondary:
            staged['secondaryFiles'] = secondary
        return staged

    def _secondary(self, value, where: str) -> dict:
        """A secondary file the task lists, next to its primary."""
        if not isinstance(value, dict):
            raise ApiError(400, 'A secondary file must be a file or a '
                                'folder reference.', INVALID)
        doc = self.files.file(self.user, value.get('path'))
        kind = 'Directory' if doc['type'] == 'folder' else 'File'
        return {'class': kind, 'path': self._link(doc, where)}

    def _siblings(self, doc: dict, patterns) -> List[dict]:
        """The files next to ``doc`` that the app's patterns name."""
        parent = doc.get('parent')
        if not patterns or parent is None:
            return []
        found = []
        for pattern, _ in patterns:
            named = self.files.named_children(
                parent, secondary_name(doc['name'], pattern))
            if named:
                found.append(named[-1])
        return found

    def _link(self, doc: dict, where: str) -> str:
        """The local path of a platform file or folder under ``where``
        (made once)."""
        key = (doc['id'], where)
        if key not in self._linked:
            path = os.path.join(where, doc['name'])
            os.makedirs(where, exist_ok=True)
            if doc['type'] == 'folder':
                os.makedirs(path, exist_ok=True)
                for item in self.files.children(doc['id']):
                    self._link(item, path)
            else:
                self._link_bytes(doc, path)
            self._linked[key] = path
        return self._linked[key]

    def _link_bytes(self, doc: dict, path: str):
        blob = self.files.blob_path(doc['id'])
        try:
            os.link(blob, path)
        except FileNotFoundError:
            raise ApiError(400, f'The bytes of {doc["name"]} '
                                f'({doc["id"]}) are not stored here.',
                           INVALID) from None
        except OSError:
            shutil.copyfile(blob, path)
