"""What an app's CWL document asks of the engine that runs it: its version,
Seven Bridges extensions, containers, the secondary files of its inputs.
Documents are the JSON the platform stores (lists or maps of ports; steps
whose ``run`` is embedded)."""
import copy
import re
from typing import Dict, Iterator, List, Optional, Tuple

#: The CWL versions cwltool runs.
RUNNABLE_VERSIONS = ('v1.0', 'v1.1', 'v1.2')
RUNNABLE_CLASSES = ('CommandLineTool', 'Workflow', 'ExpressionTool')
EXTENSION_PREFIX = 'sbg:'


def entries(section, key: str = 'id') -> List[dict]:
    """The entries of a CWL list-or-map section (``inputs``, ``steps``...)
    as a list of dicts; a map's keys become ``key`` (``class`` for
    ``requirements`` and ``hints``), a map's type shorthand
    (``reads: File``) a ``type``."""
    if isinstance(section, dict):
        return [dict(value if isinstance(value, dict) else {'type': value},
                     **{key: name}) for name, value in section.items()]
    return [entry for entry in section or [] if isinstance(entry, dict)]


def port_id(entry: dict) -> str:
    """A port's id without its ``#`` or the document's prefix."""
    return str(entry.get('id', '')).lstrip('#').rsplit('/', 1)[-1]


def processes(raw: dict) -> Iterator[dict]:
    """The document and every process embedded in it (steps' ``run``)."""
    yield raw
    for step in entries(raw.get('steps')):
        run = step.get('run')
        if isinstance(run, dict):
            yield from processes(run)


def extensions(value, found=None) -> List[str]:
    """The ``sbg:`` keys and classes used anywhere in a document (sorted);
    ``$namespaces`` does not count."""
    found = set() if found is None else found
    if isinstance(value, dict):
        for key, item in value.items():
            if key == '$namespaces':
                continue
            if key.startswith(EXTENSION_PREFIX):
                found.add(key)
            if key == 'class' and isinstance(item, str) and \
                    item.startswith(EXTENSION_PREFIX):
                found.add(item)
            extensions(item, found)
    elif isinstance(value, list):
        for item in value:
            extensions(item, found)
    return sorted(found)


def unsupported(raw: dict) -> Optional[str]:
    """Why the real engine does not run ``raw`` (``None`` when it
    does)."""
    version = raw.get('cwlVersion')
    if version is None or str(version).startswith(EXTENSION_PREFIX):
        return (f'the app is {version or "sbg:draft-2 (no cwlVersion)"}, '
                f'which only the platform runs')
    if version not in RUNNABLE_VERSIONS:
        return (f'the app is CWL {version}; cwltool runs '
                f'{", ".join(RUNNABLE_VERSIONS)}')
    if raw.get('class') not in RUNNABLE_CLASSES:
        return f'the app is a {raw.get("class")}, not a CWL process'
    used = extensions(raw)
    if used:
        shown = ', '.join(used[:5]) + (', ...' if len(used) > 5 else '')
        return (f'the app uses Seven Bridges extensions ({shown}), which '
                f'only the platform runs')
    return None


def container_images(raw: dict) -> Tuple[List[str], List[str]]:
    """The docker images the document's processes require and those they
    only hint at."""
    required: List[str] = []
    hinted: List[str] = []
    for process in processes(raw):
        for key, images in (('requirements', required), ('hints', hinted)):
            for entry in entries(process.get(key), 'class'):
                if entry.get('class') == 'DockerRequirement':
                    image = entry.get('dockerPull') or \
                        entry.get('dockerImageId') or 'an image'
                    if image not in images:
                        images.append(image)
    return required, hinted


def secondary_patterns(raw: dict) -> Dict[str, List[Tuple[str, bool]]]:
    """The secondary file patterns of each input of the document:
    ``{input id: [(pattern, required), ...]}`` (expressions left out)."""
    patterns = {}
    for entry in entries(raw.get('inputs')):
        declared = entry.get('secondaryFiles')
        if declared is None:
            continue
        found = []
        for item in declared if isinstance(declared, list) else [declared]:
            pattern, required = item, True
            if isinstance(item, dict):
                pattern = item.get('pattern')
                required = item.get('required') is not False
            if not isinstance(pattern, str) or '$(' in pattern or \
                    '${' in pattern:
                continue
            if pattern.endswith('?'):
                pattern, required = pattern[:-1], False
            found.append((pattern, required))
        patterns[port_id(entry)] = found
    return patterns


def secondary_name(primary: str, pattern: str) -> str:
    """The name a secondary file pattern gives next to ``primary``: each
    leading ``^`` takes an extension off (``reads.bam`` and ``^.bai`` make
    ``reads.bai``), the rest is appended."""
    while pattern.startswith('^'):
        primary = re.sub(r'\.[^.]*$', '', primary)
        pattern = pattern[1:]
    return primary + pattern


def step_count(raw: dict) -> int:
    """How many steps the app has (a tool is one)."""
    return len(entries(raw.get('steps'))) or 1


def containers_as_hints(raw: dict) -> dict:
    """A copy of ``raw`` whose processes hint at the containers they
    require (what cwltool runs on the host with ``--no-container``)."""
    raw = copy.deepcopy(raw)
    for process in processes(raw):
        requirements = entries(process.get('requirements'), 'class')
        moved = [entry for entry in requirements
                 if entry.get('class') == 'DockerRequirement']
        if moved:
            process['requirements'] = [entry for entry in requirements
                                       if entry not in moved]
            process['hints'] = entries(process.get('hints'), 'class') + \
                moved
    return raw


def takes_array(raw: dict, input_id: str) -> bool:
    """Whether the input ``input_id`` of the document is an array."""
    for entry in entries(raw.get('inputs')):
        if port_id(entry) == input_id:
            kind = entry.get('type')
            kinds = kind if isinstance(kind, list) else [kind]
            return any(isinstance(item, str) and item.rstrip('?')
                       .endswith('[]') or isinstance(item, dict) and
                       item.get('type') == 'array' for item in kinds)
    return False
