"""Values of tasks: inputs, outputs, batching, execution status.

:func:`map_input_output` turns the raw JSON of a task input or output into
what users work with: ``File`` objects for files and directories.
"""
import logging

logger = logging.getLogger(__name__)

_FILE_CLASSES = ('file', 'directory')


def map_input_output(item, api):
    """The value of a task input or output as the SDK presents it.

    A list maps element by element; a dict with ``class`` ``File`` or
    ``Directory`` becomes a :class:`~sevenbridges.models.file.File` (its
    ``path`` is the id, ``basename`` the name, secondary files kept); a
    dict of another CWL class gives ``None``; anything else is returned as
    it is.

    :param item: the raw value.
    :param api: the client given to the files.
    """
    from sevenbridges.models.file import File
    if isinstance(item, list):
        return [map_input_output(element, api) for element in item]
    if isinstance(item, dict) and 'class' in item:
        kind = str(item['class']).lower()
        if kind not in _FILE_CLASSES:
            return None
        data = {'id': item.get('path'),
                'type': 'folder' if kind == 'directory' else 'file'}
        if 'basename' in item:
            data['name'] = item['basename']
        data.update((key, value) for key, value in item.items()
                    if key not in ('path', 'basename', 'class',
                                   'secondaryFiles'))
        secondary = [{'id': entry.get('path')}
                     for entry in item.get('secondaryFiles') or []]
        data['_secondary_files'] = secondary or None
        return File(api=api, **data)
    return item


def _mapped(view, item):
    """``view[item]`` mapped by :func:`map_input_output` (``None`` when
    absent or unreadable)."""
    try:
        return map_input_output(view._live()[item], view._api)
    except Exception:  # a malformed value reads as None, like a missing one
        logger.debug('Unreadable task value %r', item, exc_info=True)
        return None
