"""The progress bar of transfers, in the units of the report: binary
(``57.2 MiB/57.2 MiB 127.2 MiB/s``, as the report's ``57.2 MiB (127.2
MiB/s)``), where rich's own columns count in decimal megabytes.

rich loads with this module, when a command shows progress."""
from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from sevenbridges.cli.sizes import NOTHING_MOVES, human_size


class BinaryBytesColumn(ProgressColumn):
    """Bytes done of the total, as the report writes sizes
    (``12.5 MiB/60.0 MiB``)."""

    def render(self, task: Task) -> Text:
        if task.fields.get(NOTHING_MOVES):
            return Text('0 B', style='progress.download')
        total = '?' if task.total is None else human_size(int(task.total))
        return Text(f'{human_size(int(task.completed))}/{total}',
                    style='progress.download')


class BinarySpeedColumn(ProgressColumn):
    """The speed in KiB/s, MiB/s, GiB/s (the report's :func:`human_size`):
    the bytes done over the time since the bar started, as the report
    counts it, so that the last figure of the bar is the report's (rich's
    own estimate, over the last updates, jumps when a transfer reports
    its bytes in bursts)."""

    def render(self, task: Task) -> Text:
        if task.fields.get(NOTHING_MOVES):
            return Text('')
        elapsed = task.finished_time if task.finished else task.elapsed
        if not elapsed or not task.completed:
            return Text('?', style='progress.data.speed')
        speed = task.completed / elapsed
        return Text(f'{human_size(int(speed))}/s',
                    style='progress.data.speed')


def transfer_progress(console: Console, enabled: bool) -> Progress:
    """A progress display of bytes and files on ``console``: description,
    bar, percentage, bytes done of the total, speed, time left."""
    return Progress(
        TextColumn('{task.description}'), BarColumn(),
        TextColumn('{task.percentage:>3.0f}%'),
        BinaryBytesColumn(), BinarySpeedColumn(),
        TimeRemainingColumn(), console=console, disable=not enabled,
        transient=False)
