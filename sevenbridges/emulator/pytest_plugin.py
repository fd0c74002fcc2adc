"""pytest fixtures (registered through the ``pytest11`` entry point):
``sbg_emulator`` (a running :class:`~sevenbridges.emulator.Emulator`, its
own state per test) and ``sbg_api`` (a client of it).

Tasks of the fixture's emulator run on the ``simulated`` engine, so that a
test does not depend on what is installed on the machine; a test asks for
other settings with the marker::

    @pytest.mark.sbg_emulator(engine='cwltool', no_container=True)
    def test_my_tool_really_runs(sbg_api):
        ...

and a whole suite with the ini option ``sbg_emulator_engine = auto``. The
marker takes any argument of :class:`~sevenbridges.emulator.Emulator`.
"""
import pytest

#: What the fixture's emulator is started with, unless a marker says.
DEFAULTS = {'task_seconds': 0.05}


def pytest_addoption(parser):
    parser.addini('sbg_emulator_engine', 'the task engine of the '
                  'sbg_emulator fixture (auto, simulated, cwltool)',
                  default='simulated')


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'sbg_emulator(**settings): arguments of the Emulator '
                   'of the sbg_emulator fixture (engine, no_container, '
                   'task_seconds, ...)')


@pytest.fixture
def sbg_emulator(request):
    """A running emulator with fresh state."""
    from sevenbridges.emulator import Emulator
    settings = dict(DEFAULTS,
                    engine=request.config.getini('sbg_emulator_engine'))
    marker = request.node.get_closest_marker('sbg_emulator')
    if marker is not None:
        settings.update(marker.kwargs)
    with Emulator(**settings) as emulator:
        yield emulator


@pytest.fixture
def sbg_api(sbg_emulator):
    """An Api client of the test's emulator (user ``rfranklin``)."""
    return sbg_emulator.api()
