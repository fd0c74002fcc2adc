"""The progress bar of transfers, in the units of the report: binary
(``57.2/57.2 MiB 127.2 MiB/s``, as the report's ``57.2 MiB (127.2
MiB/s)``), where rich's own columns count in decimal megabytes.

rich loads with this module, when a command shows progress."""
from __future__ import annotations

from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from sevenbridges.cli.output import human_size


class BinarySpeedColumn(ProgressColumn):
    """The speed in KiB/s, MiB/s, GiB/s (the report's :func:`human_size`)."""

    def render(self, task: Task) -> Text:
        speed = task.finished_speed or task.speed
        shown = '?' if speed is None else f'{human_size(int(speed))}/s'
        return Text(shown, style='progress.data.speed')


def transfer_progress(console: Console, enabled: bool) -> Progress:
    """A progress display of bytes and files on ``console``: description,
    bar, percentage, bytes done of the total, speed, time left."""
    return Progress(
        TextColumn('{task.description}'), BarColumn(),
        TextColumn('{task.percentage:>3.0f}%'),
        DownloadColumn(binary_units=True), BinarySpeedColumn(),
        TimeRemainingColumn(), console=console, disable=not enabled,
        transient=False)
