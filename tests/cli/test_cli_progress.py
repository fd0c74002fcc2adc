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
    progress.tasks[task_id].finished_speed = 127.2 * 2 ** 20
    columns = shown(progress, task_id)
    assert '60.0/60.0 MiB' in columns
    assert '127.2 MiB/s' in columns
    assert not [text for text in columns if ' MB' in text]
    report = TransferReport('upload')
    report.add(FileOutcome('a.bin', 'moved', size))
    report.finish().elapsed = size / (127.2 * 2 ** 20)
    assert report.summary().startswith(
        'upload: 1 files moved (60.0 MiB), ')
    assert report.summary().endswith(' (127.2 MiB/s)')


def test_an_unknown_speed_is_a_question_mark():
    output = Output(progress=True)
    progress = output.transfer_progress()
    task_id = progress.add_task('download', total=None)
    assert '?' in shown(progress, task_id)
