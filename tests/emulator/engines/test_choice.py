"""Which engine runs a task: ``auto`` runs plain CWL v1.x for real and
simulates the rest, saying why in the task's log; ``cwltool`` refuses
what it can not run; containers; the settings of the emulator, its
command line and the pytest fixture."""
import pytest

from sevenbridges.emulator import Emulator, engines
from sevenbridges.emulator.__main__ import main
from sevenbridges.emulator.engines import containers
from sevenbridges.models.enums import TaskStatus
from tests.e2e.test_emulator_storage import wait_for

LINE_COUNT = {
    'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': 'Lines',
    'baseCommand': ['wc', '-l'], 'stdin': '$(inputs.reads.path)',
    'stdout': 'counts.txt', 'inputs': [{'id': 'reads', 'type': 'File'}],
    'outputs': [{'id': 'counts', 'type': 'stdout'}]}
IN_ALPINE = [{'class': 'DockerRequirement', 'dockerPull': 'alpine:3.19'}]
#: What the simulated engine names the output of a task ``t``.
SIMULATED_OUTPUT = 't.counts.txt'

needs_cwltool = pytest.mark.skipif(not engines.cwltool_installed(),
                                   reason='needs cwltool (emulator-cwl)')
without_containers = pytest.mark.skipif(
    engines.cwltool_installed() and containers.working_engine() is not None,
    reason='a container engine works here')


@pytest.fixture
def run(sbg_api, tmp_path):
    """``run(raw)``: install the app ``raw``, run it on a three-line file;
    the ended task, its ``counts`` output and its job's ``job.err.log``
    text."""
    project = sbg_api.projects.create(name='Engines')
    reads = tmp_path / 'reads.fq'
    reads.write_text('a\nb\nc\n')
    reads = sbg_api.files.upload(str(reads), project=project).result()

    def run(raw):
        app = sbg_api.apps.install_app(id=f'{project.id}/app', raw=raw)
        task = sbg_api.tasks.create('t', project, app,
                                    inputs={'reads': reads}, run=True)
        task = wait_for(task.reload,
                        lambda t: t.status in TaskStatus.terminal_states,
                        timeout=30)
        jobs = task.get_execution_details().jobs
        log = jobs[0].logs['job.err.log'].content() if jobs else None
        return task, task.outputs['counts'], log

    return run


@needs_cwltool
@pytest.mark.sbg_emulator(engine='auto')
def test_auto_runs_plain_cwl_for_real(run):
    task, counts, log = run(LINE_COUNT)
    assert task.status == TaskStatus.COMPLETED
    assert (counts.name, counts.content()) == ('counts.txt', '3\n')
    assert 'Running rfranklin/engines/app/0 with cwltool' in log


@pytest.mark.sbg_emulator(engine='auto')
def test_auto_simulates_apps_with_sbg_extensions_and_says_why(run):
    raw = dict(LINE_COUNT, **{'sbg:toolkit': 'coreutils',
                              'hints': [{'class': 'sbg:AWSInstanceType',
                                         'value': 'c5.large'}]})
    task, counts, log = run(raw)
    assert task.status == TaskStatus.COMPLETED
    assert counts.name == SIMULATED_OUTPUT
    if engines.cwltool_installed():
        assert ('Simulated run of rfranklin/engines/app/0: the app uses '
                'Seven Bridges extensions (sbg:AWSInstanceType, '
                'sbg:toolkit), which only the platform runs.') in log


@pytest.mark.sbg_emulator(engine='auto')
def test_auto_simulates_draft_2_apps(run):
    raw = dict(LINE_COUNT, cwlVersion='sbg:draft-2')
    task, counts, log = run(raw)
    assert task.status == TaskStatus.COMPLETED
    assert counts.name == SIMULATED_OUTPUT
    if engines.cwltool_installed():
        assert 'the app is sbg:draft-2, which only the platform runs' in log


@pytest.mark.sbg_emulator(engine='auto')
def test_auto_without_cwltool_simulates(run, monkeypatch):
    monkeypatch.setattr(engines, 'cwltool_installed', lambda: False)
    task, counts, log = run(LINE_COUNT)
    assert counts.name == SIMULATED_OUTPUT
    assert "cwltool is not installed (pip install 'sevenbridges-python" \
           "[emulator-cwl]')." in log


def test_the_simulated_engine_simulates_plain_cwl(run):
    task, counts, log = run(LINE_COUNT)
    assert counts.name == SIMULATED_OUTPUT
    assert 'with the simulated engine (engine=simulated)' in log


@needs_cwltool
@pytest.mark.sbg_emulator(engine='cwltool')
@pytest.mark.parametrize('change, reason', [
    ({'cwlVersion': 'sbg:draft-2'}, 'the app is sbg:draft-2, which only the '
                                    'platform runs'),
    ({'sbg:links': []}, 'the app uses Seven Bridges extensions (sbg:links), '
                        'which only the platform runs'),
    ({'cwlVersion': 'v1.3'}, 'the app is CWL v1.3; cwltool runs v1.0, v1.1, '
                             'v1.2')])
def test_cwltool_refuses_what_it_can_not_run(run, change, reason):
    task, counts, log = run(dict(LINE_COUNT, **change))
    assert task.status == TaskStatus.FAILED
    assert task.execution_status.message == \
        f'cwltool can not run this app: {reason}.'
    assert counts is None and log is None


@needs_cwltool
@without_containers
@pytest.mark.sbg_emulator(engine='cwltool')
def test_a_required_container_without_an_engine_fails_clearly(run):
    task, counts, log = run(dict(LINE_COUNT, requirements=IN_ALPINE))
    assert task.status == TaskStatus.FAILED
    message = task.execution_status.message
    assert message.startswith(
        'cwltool can not run this app: the app requires a container '
        '(alpine:3.19) and no container engine works here (docker: ')
    assert message.endswith(
        'start the emulator with --no-container '
        '(Emulator(no_container=True)) to run it on the host.')


@needs_cwltool
@without_containers
@pytest.mark.sbg_emulator(engine='auto')
def test_auto_simulates_a_container_it_can_not_run(run):
    task, counts, log = run(dict(LINE_COUNT, requirements=IN_ALPINE))
    assert task.status == TaskStatus.COMPLETED
    assert counts.name == SIMULATED_OUTPUT
    assert 'the app requires a container (alpine:3.19)' in log


@needs_cwltool
@pytest.mark.sbg_emulator(engine='cwltool', no_container=True)
def test_no_container_runs_it_on_the_host(run):
    task, counts, log = run(dict(LINE_COUNT, requirements=IN_ALPINE))
    assert task.status == TaskStatus.COMPLETED
    assert counts.content() == '3\n'
    assert 'with cwltool (--no-container)' in log


@needs_cwltool
@without_containers
@pytest.mark.sbg_emulator(engine='cwltool')
def test_hints_never_block(run):
    task, counts, log = run(dict(LINE_COUNT, hints=IN_ALPINE))
    assert task.status == TaskStatus.COMPLETED
    assert counts.content() == '3\n'


def test_the_fixture_simulates_unless_asked(sbg_emulator):
    assert sbg_emulator.engine_settings.engine == 'simulated'


@pytest.mark.parametrize('settings, error, message', [
    ({'engine': 'docker'}, ValueError,
     "engine must be one of auto, simulated, cwltool, not 'docker'."),
    ({'engine': 1}, TypeError, 'engine must be a string, not 1.'),
    ({'no_container': 'yes'}, TypeError,
     "no_container must be True or False, not 'yes'."),
    ({'max_parallel_runs': 0}, ValueError,
     'max_parallel_runs must be at least 1, not 0.'),
    ({'max_parallel_runs': 1.5}, TypeError,
     'max_parallel_runs must be a whole number, not 1.5.'),
    ({'instance_limit': 0}, ValueError,
     'instance_limit must be at least 1, not 0.'),
    ({'instance_limit': True}, TypeError,
     'instance_limit must be a whole number, not True.')])
def test_bad_engine_settings_are_refused_at_once(settings, error, message):
    with pytest.raises(error) as info:
        Emulator(**settings)
    assert str(info.value) == message


def test_the_cwltool_engine_needs_cwltool(monkeypatch):
    monkeypatch.setattr(engines, 'cwltool_installed', lambda: False)
    with pytest.raises(ValueError) as info:
        Emulator(engine='cwltool')
    assert str(info.value) == ("engine cwltool needs cwltool: pip install "
                               "'sevenbridges-python[emulator-cwl]'.")


def test_the_command_line_names_its_options(capsys):
    with pytest.raises(SystemExit):
        main(['--max-parallel-runs', '0'])
    assert '--max-parallel-runs must be at least 1, not 0.' in \
        capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(['--instance-limit', '0'])
    assert '--instance-limit must be at least 1, not 0.' in \
        capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(['--engine', 'rabix'])
    assert "argument --engine: invalid choice: 'rabix'" in \
        capsys.readouterr().err


def test_the_default_parallel_runs_are_the_cores(monkeypatch):
    monkeypatch.setattr(engines.os, 'cpu_count', lambda: 6)
    assert engines.EngineSettings().max_parallel_runs == 6
    assert Emulator(max_parallel_runs=2).engine_settings.max_parallel_runs \
        == 2


def test_the_instance_limit_is_the_platforms_unless_set():
    assert engines.EngineSettings().instance_limit == \
        engines.INSTANCE_LIMIT == 25
    assert Emulator(instance_limit=200).engine_settings.instance_limit == 200
