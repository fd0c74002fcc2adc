"""pytest fixtures (registered through the ``pytest11`` entry point):
``sbg_emulator`` (a running :class:`~sevenbridges.emulator.Emulator`, its
own state per test) and ``sbg_api`` (a client of it)."""
import pytest


@pytest.fixture
def sbg_emulator():
    """A running emulator with fresh state."""
    from sevenbridges.emulator import Emulator
    with Emulator(task_seconds=0.05) as emulator:
        yield emulator


@pytest.fixture
def sbg_api(sbg_emulator):
    """An Api client of the test's emulator (user ``rfranklin``)."""
    return sbg_emulator.api()
