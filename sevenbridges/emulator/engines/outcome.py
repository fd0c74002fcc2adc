"""What an engine reports when a task's run ends, and the walk over the
file references of task values that engines and validation share."""
from typing import Iterator, NamedTuple, Optional


class Outcome(NamedTuple):
    """The end of a run: ``status`` (``COMPLETED`` or ``FAILED``), the
    task's ``message`` and, when it completed, its ``outputs``."""
    status: str
    message: str
    outputs: Optional[dict] = None


def file_values(value) -> Iterator[dict]:
    """The file and folder references (``{"class": "File", "path": id}``,
    ``Directory``) anywhere in a task input or output value."""
    if isinstance(value, list):
        for item in value:
            yield from file_values(item)
    elif isinstance(value, dict):
        if str(value.get('class', '')).lower() in ('file', 'directory'):
            yield value
        else:
            for item in value.values():
                yield from file_values(item)
