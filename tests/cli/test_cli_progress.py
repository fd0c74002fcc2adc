"""The progress bar counts in the report's units: binary (KiB, MiB, GiB),
for the bytes and for the speed."""
import io

import pytest

pytest.importorskip('rich')

from rich.console import Console  # noqa: E402

from sevenbridges.cli.output import Output  # noqa: E402
from sevenbridges.transfer.report import (  # noqa: E402
    FileOutcome,
    TransferReport,
)


def shown(progress, task_id):
    """The text of each column of a task, as the bar shows them."""
    task = progress.tasks[task_id]
    return [str(column(task)) for column in progress.columns]


def test_the_bar_and_the_report_say_mib():
    output = Output(progress=True)
    output.err = Console(file=io.StringIO(), force_terminal=True,
                         width=200)
    progress = output.transfer_progress()
    size = 60 * 2 ** 20
    task_id = progress.add_task('upload 1/1 files', total=size)
    progress.update(task_id, completed=size)
    # the bar's speed is the report's: bytes over the time since the start
    progress.tasks[task_id].finished_time = size / (127.2 * 2 ** 20)
    columns = shown(progress, task_id)
    assert '60.0 MiB/60.0 MiB' in columns
    assert '127.2 MiB/s' in columns
    assert not [text for text in columns if ' MB' in text]
    report = TransferReport('upload')
    report.add(FileOutcome('a.bin', 'moved', size))
    report.finish().elapsed = size / (127.2 * 2 ** 20)
    assert report.summary().startswith(
        'upload: 1 files moved (60.0 MiB), ')
    assert report.summary().endswith(' (127.2 MiB/s)')


def test_the_speed_before_the_first_byte_is_a_question_mark():
    output = Output(progress=True)
    progress = output.transfer_progress()
    task_id = progress.add_task('download', total=None)
    assert '?' in shown(progress, task_id)
    progress.update(task_id, total=10 ** 6, completed=5 * 2 ** 10)
    task = progress.tasks[task_id]
    task.stop_time = task.start_time + 2   # 2 s since the start
    assert '2.5 KiB/s' in shown(progress, task_id)


def test_the_bar_counts_the_bytes_that_move(sbg, project, tmp_path):
    a, b = tmp_path / 'a.bin', tmp_path / 'b.bin'
    a.write_bytes(b'a' * 3000)
    b.write_bytes(b'b' * 2048)
    sbg('upload', a, project.id)
    shown = sbg('--progress', 'upload', a, b, project.id).stderr
    assert 'upload 2/2 files' in shown
    assert '100% 2.0 KiB/2.0 KiB' in shown   # a.bin, skipped, is not counted
    again = sbg('--progress', 'upload', a, b, project.id).stderr
    assert '100% 0 B ' in again and 'B/s' not in again   # nothing moved


def test_a_tree_with_nothing_to_move_ends_full(sbg, project, tmp_path):
    tree = tmp_path / 'run1'
    tree.mkdir()
    (tree / 'a.txt').write_text('a')
    sbg('upload', '-r', tree, project.id)
    again = sbg('--progress', 'upload', '-r', tree, project.id).stderr
    assert 'upload run1 1/1 files' in again and '100% 0 B ' in again
