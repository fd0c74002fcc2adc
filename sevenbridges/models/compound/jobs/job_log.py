"""The log files of a job."""
import re

from sevenbridges.errors import ReadOnlyPropertyError
from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
from sevenbridges.meta.resource import Resource

_FILE_URL = re.compile(r'.*files/(.*)/.*')


class Logs(CompoundMutableDict, Resource):  # type: ignore[misc]
    """The logs of a job by name (``job.err.log``, ...), each read as a
    ``File`` (only its id is known until it is used)."""
    _name = 'logs'

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def __getitem__(self, item):
        from sevenbridges.models.file import File
        url = self._live().get(item)
        match = _FILE_URL.match(url) if isinstance(url, str) else None
        if match is None:
            return None
        return File(api=self._api, id=match.group(1))

    def __setitem__(self, key, value):
        raise ReadOnlyPropertyError('Can not modify read only properties.')
