"""Which container engine works on this machine, as cwltool can use it:
docker, podman, or singularity (apptainer). Probed once, on first need,
with short timeouts (a docker client without its daemon does not count),
and remembered for the life of the process."""
import logging
import shutil
import subprocess
import threading
from typing import Dict, List, NamedTuple, Optional

logger = logging.getLogger(__name__)

PROBE_SECONDS = 5


class ContainerEngine(NamedTuple):
    """A container engine: its name, the command that tells whether it
    works, and cwltool's options to use it."""
    name: str
    probe: List[str]
    cwltool_flags: List[str]


CANDIDATES = (
    ContainerEngine('docker', ['docker', 'version', '--format',
                               '{{.Server.Version}}'], []),
    ContainerEngine('podman', ['podman', 'info', '--format',
                               '{{.Host.Arch}}'], ['--podman']),
    ContainerEngine('singularity', ['singularity', '--version'],
                    ['--singularity']),
    ContainerEngine('apptainer', ['apptainer', '--version'],
                    ['--singularity']),
)

_lock = threading.Lock()
_found: Dict[str, str] = {}      # engine name -> what its probe said
_working: List[ContainerEngine] = []


def _probe(engine: ContainerEngine) -> str:
    """``'works'``, or why the engine does not."""
    if shutil.which(engine.probe[0]) is None:
        return 'not installed'
    try:
        done = subprocess.run(engine.probe, stdin=subprocess.DEVNULL,
                              capture_output=True, text=True,
                              timeout=PROBE_SECONDS)
    except (OSError, subprocess.SubprocessError) as error:
        return f'does not answer ({error})'
    if done.returncode != 0:
        lines = (done.stderr or done.stdout).strip().splitlines()
        return f'does not work ({lines[-1] if lines else done.returncode})'
    return 'works'


def _probe_all():
    with _lock:
        if _found:
            return
        for engine in CANDIDATES:
            _found[engine.name] = _probe(engine)
            if _found[engine.name] == 'works':
                _working.append(engine)
        logger.info('Container engines: %s', _describe())


def working_engine() -> Optional[ContainerEngine]:
    """The first container engine that works here, or ``None``."""
    _probe_all()
    return _working[0] if _working else None


def report() -> str:
    """What the probe found: ``docker: not installed; podman: ...``."""
    _probe_all()
    return _describe()


def _describe():
    return '; '.join(f'{name}: {state}' for name, state in _found.items())
