"""Task engines: what runs a task once it leaves the queue.

- ``simulated`` (:mod:`.simulated`): the task runs for a while and each
  output is a report of the inputs;
- ``cwltool`` (:mod:`.cwl`): the app really runs, through the CWL reference
  runner, in a process and a folder of its own;
- ``auto`` (the default): ``cwltool`` when it can run the app here,
  ``simulated`` otherwise, the reason written in the task's log.

:func:`choose` decides, from the emulator's :class:`EngineSettings` and
the app's CWL document. The task state machine
(:class:`~sevenbridges.emulator.state.tasks.Tasks`) calls the chosen engine
and does not know which one ran.
"""
import functools
import importlib.util
import os
from typing import List, NamedTuple, Optional

from sevenbridges.emulator.engines import containers
from sevenbridges.emulator.engines.cwl_document import (
    container_images,
    unsupported,
)

ENGINES = ('auto', 'simulated', 'cwltool')
#: The platform's limit on parallel instances of a user (what its
#: ``GET /rate_limit`` answers as ``instance_limit``).
INSTANCE_LIMIT = 25
CWL_EXTRA = "pip install 'sevenbridges-python[emulator-cwl]'"


class EngineSettings:
    """How the emulator runs tasks.

    :param engine: ``'auto'``, ``'simulated'`` or ``'cwltool'``.
    :param no_container: run tools that require a container on the host
        when no container engine works (and never use one).
    :param max_parallel_runs: how many real runs at once (default: the
        number of cores); the other tasks wait in the queue.
    :param instance_limit: how many tasks (one instance each) a user runs
        at once, the platform's limit on parallel instances (default
        :data:`INSTANCE_LIMIT`); the others wait in the queue.
    :raises TypeError: a setting of the wrong type.
    :raises ValueError: an unknown engine, ``cwltool`` when it is not
        installed, a limit below 1.
    """

    def __init__(self, engine: str = 'auto', no_container: bool = False,
                 max_parallel_runs: Optional[int] = None,
                 instance_limit: int = INSTANCE_LIMIT):
        if not isinstance(engine, str):
            raise TypeError(f'engine must be a string, not {engine!r}.')
        if engine not in ENGINES:
            raise ValueError(f'engine must be one of {", ".join(ENGINES)}, '
                             f'not {engine!r}.')
        if engine == 'cwltool' and not cwltool_installed():
            raise ValueError(f'engine cwltool needs cwltool: {CWL_EXTRA}.')
        if not isinstance(no_container, bool):
            raise TypeError(f'no_container must be True or False, not '
                            f'{no_container!r}.')
        if max_parallel_runs is None:
            max_parallel_runs = os.cpu_count() or 1
        for name, limit in (('max_parallel_runs', max_parallel_runs),
                            ('instance_limit', instance_limit)):
            if isinstance(limit, bool) or not isinstance(limit, int):
                raise TypeError(f'{name} must be a whole number, not '
                                f'{limit!r}.')
            if limit < 1:
                raise ValueError(f'{name} must be at least 1, not {limit}.')
        self.engine = engine
        self.no_container = no_container
        self.max_parallel_runs = max_parallel_runs
        self.instance_limit = instance_limit

    @functools.cached_property
    def cwltool(self) -> bool:
        """Whether cwltool is installed, looked up when a task first asks
        (and not at each task)."""
        return cwltool_installed()

    def __repr__(self):
        return (f'EngineSettings(engine={self.engine!r}, no_container='
                f'{self.no_container}, max_parallel_runs='
                f'{self.max_parallel_runs}, instance_limit='
                f'{self.instance_limit})')


class Choice(NamedTuple):
    """The engine of one task: ``engine`` is ``'simulated'``,
    ``'cwltool'`` or ``'refused'`` (the real engine was asked for and can
    not run the app: ``reason`` says why). ``container_flags`` are
    cwltool's options for containers."""
    engine: str
    reason: Optional[str] = None
    container_flags: List[str] = []


def cwltool_installed() -> bool:
    """Whether cwltool can be imported (it is not imported here)."""
    return importlib.util.find_spec('cwltool') is not None


def choose(settings: EngineSettings, raw: dict) -> Choice:
    """The engine that runs a task of the app ``raw``."""
    if settings.engine == 'simulated':
        return Choice('simulated', 'the emulator runs every task with the '
                                   'simulated engine (engine=simulated)')
    problem = None if settings.cwltool else \
        f'cwltool is not installed ({CWL_EXTRA})'
    problem = problem or unsupported(raw)
    flags: List[str] = []
    if problem is None:
        flags, problem = _container_plan(settings, raw)
    if problem is None:
        return Choice('cwltool', None, flags)
    if settings.engine == 'cwltool':
        return Choice('refused', problem)
    return Choice('simulated', problem)


def _container_plan(settings, raw):
    """cwltool's container options for ``raw``, or why it can not run
    here: a required container with no engine to run it, unless the
    emulator runs tools on the host (``no_container``). Hints never
    block."""
    required, hinted = container_images(raw)
    if settings.no_container or not (required or hinted):
        return ['--no-container'], None
    found = containers.working_engine()
    if found is not None:
        return found.cwltool_flags, None
    if not required:
        return ['--no-container'], None
    return [], (f'the app requires a container ({", ".join(required)}) and '
                f'no container engine works here ({containers.report()}); '
                f'start the emulator with --no-container '
                f'(Emulator(no_container=True)) to run it on the host')


__all__ = ['ENGINES', 'INSTANCE_LIMIT', 'EngineSettings', 'Choice', 'choose',
           'cwltool_installed']
