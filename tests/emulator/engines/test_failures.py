"""Simulated failures: a rule picks tasks by name; a picked task fails as a
real run does, with a failed job and the rule's lines at the end of its
stderr, which the SDK's job-log reading finds."""
import pytest

from sevenbridges.emulator.engines.failures import (
    DEFAULT_STDERR,
    TaskFailures,
    asked_by_inputs,
)
from sevenbridges.models.enums import TaskStatus

APP = 'admin/sbg-public-data/file-report'


@pytest.mark.parametrize('arguments, error, message', [
    ({'name': 7}, TypeError, 'name must be a string, not 7.'),
    ({'name': 'x', 'times': 0}, ValueError,
     'times must be at least 1 or None, not 0.'),
    ({'name': 'x', 'stderr': 'boom'}, TypeError,
     "stderr must be a list of lines (strings), not 'boom'."),
    ({'name': 'x', 'exit_code': 0}, ValueError,
     'exit_code must be from 1 to 255, not 0.'),
    ({'name': '('}, ValueError, 'name is not a regular expression: '),
])
def test_a_bad_rule_is_refused(arguments, error, message):
    failures = TaskFailures()
    with pytest.raises(error) as raised:
        failures.add(**arguments)
    assert str(raised.value).startswith(message)
    assert failures.rules == []


def test_a_rule_matches_whole_names_as_many_times_as_it_says():
    failures = TaskFailures()
    failures.add(name=r'row-\d', times=2, stderr=['no'], exit_code=3)
    assert failures.take('row-10') is None          # the whole name
    assert failures.take('row-1') == {'stderr': ['no'], 'exit_code': 3}
    assert failures.take('row-2') == {'stderr': ['no'], 'exit_code': 3}
    assert failures.take('row-3') is None
    assert failures.rules == []


def test_a_chosen_task_fails_with_its_job_and_stderr(sbg_emulator, sbg_api):
    project = sbg_api.projects.create(name='Failures')
    sbg_emulator.task_failures.add(
        name='sample-07', times=1, exit_code=2,
        stderr=['reading s07.bam', '[E::bgzf_read] truncated file'])
    stored = sbg_emulator.state.projects.find(project.id)
    file = sbg_emulator.state.files.add_file(
        project.id, stored['root_folder'], 's07.bam', content=b'BAM')
    inputs = {'input_files': [sbg_api.files.get(file['id'])]}
    failed = sbg_api.tasks.create('sample-07', project, APP, inputs=inputs,
                                  run=True)
    failed.wait(period=0.05, timeout=60)
    assert failed.status == TaskStatus.FAILED
    assert failed.execution_status.message == (
        'Job file-report failed (exit code 2): [E::bgzf_read] truncated '
        'file')
    [job] = failed.get_execution_details().jobs
    assert job.status == 'FAILED'
    assert job.read_log('stderr').splitlines()[-2:] == [
        'reading s07.bam', '[E::bgzf_read] truncated file']
    assert failed.price.amount == 0.0057
    # The rule failed one task: the same task again completes.
    again = failed.clone(run=True)
    again.wait(period=0.05, timeout=60)
    assert again.status == TaskStatus.COMPLETED


def test_an_input_asks_for_a_failure():
    assert asked_by_inputs({'title': 'emulator-fail: no reads in s03'}) == \
        {'stderr': ['no reads in s03'], 'exit_code': 1}
    assert asked_by_inputs({'tags': ['x', 'emulator-fail:']}) == \
        {'stderr': [DEFAULT_STDERR[0]], 'exit_code': 1}
    assert asked_by_inputs({'title': 'fail', 'n': 3,
                            'reads': {'class': 'File', 'path': 'f'}}) is None


def test_a_task_whose_input_asks_fails_each_time(sbg_emulator, sbg_api):
    project = sbg_api.projects.create(name='Failures')
    stored = sbg_emulator.state.projects.find(project.id)
    file = sbg_emulator.state.files.add_file(
        project.id, stored['root_folder'], 's03.fq', content=b'')
    inputs = {'input_files': [sbg_api.files.get(file['id'])],
              'title': 'emulator-fail: no reads in s03.fq'}
    for name in ('s03', 's03'):
        task = sbg_api.tasks.create(name, project, APP, inputs=inputs,
                                    run=True)
        task.wait(period=0.05, timeout=60)
        assert task.status == TaskStatus.FAILED
        assert task.execution_status.message == (
            'Job file-report failed (exit code 1): no reads in s03.fq')
        assert task.read_log('stderr') == 'no reads in s03.fq\n'
