"""What ``sbg`` prints: tables for people, JSON for scripts, progress bars
on a terminal only.

Tables and progress bars are rich's; results go to standard output and
everything else (progress, notes, errors) to standard error, so that
``sbg ... --json | jq`` reads clean JSON.
"""
from __future__ import annotations

import json
import logging
import sys
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:
    from rich.progress import Progress


def _plain(value: Any) -> Any:
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


class Output:
    """The command's output.

    :param as_json: print JSON instead of tables.
    :param progress: show progress bars: ``None`` on a terminal only.
    """

    def __init__(self, as_json: bool = False, progress: bool | None = None):
        # rich loads when a command runs, not for ``sbg --help``
        from rich.console import Console
        self.as_json = as_json
        self.out = Console(soft_wrap=True, highlight=False)
        self.err = Console(stderr=True, highlight=False, soft_wrap=True)
        self.show_progress = self.err.is_terminal if progress is None \
            else progress

    def json(self, data: Any) -> None:
        sys.stdout.write(json.dumps(_plain(data), indent=2,
                                    ensure_ascii=False) + '\n')
        sys.stdout.flush()

    def table(self, rows: Sequence[dict[str, Any]],
              columns: Iterable[str], title: str | None = None) -> None:
        """``rows`` as a table of ``columns`` (or JSON: the rows)."""
        if self.as_json:
            self.json(list(rows))
            return
        from rich.table import Table
        columns = list(columns)
        table = Table(title=title, box=None, header_style='bold',
                      pad_edge=False)
        for column in columns:
            table.add_column(column.upper().replace('_', ' '),
                             overflow='fold')
        for row in rows:
            table.add_row(*('' if row.get(c) is None else str(row[c])
                            for c in columns))
        self.out.print(table)

    def record(self, data: dict[str, Any]) -> None:
        """One object as ``key: value`` lines (or JSON)."""
        if self.as_json:
            self.json(data)
            return
        width = max((len(key) for key in data), default=0)
        for key, value in data.items():
            if isinstance(value, (dict, list)):
                value = json.dumps(_plain(value), ensure_ascii=False)
            self.out.print(f'{key + ":":<{width + 1}} '
                           f'{"" if value is None else value}',
                           markup=False)

    def text(self, text: str) -> None:
        """Plain text on standard output, as it is."""
        sys.stdout.write(text)
        sys.stdout.flush()

    def note(self, message: str) -> None:
        """A line for people on standard error (not in JSON mode's way)."""
        self.err.print(message, markup=False)

    def error(self, message: str) -> None:
        self.err.print(f'sbg: error: {message}', markup=False,
                       style='red' if self.err.is_terminal else None)

    def notices(self) -> logging.Handler:
        """A logging handler that shows each warning of the SDK as a note
        when it happens: a wait for the rate limit or for maintenance
        (``rate limited (429); next try in 12 s``), a redirect to another
        host."""
        return _Notices(self)

    def transfer_progress(self) -> Progress:
        """A progress display of bytes and files (disabled off a
        terminal unless asked), in the report's binary units."""
        from sevenbridges.cli.progress import transfer_progress
        return transfer_progress(self.err, enabled=self.show_progress)


class _Notices(logging.Handler):
    """Warnings of the SDK as notes of an :class:`Output` (above its
    progress bars, if any)."""

    def __init__(self, output: Output) -> None:
        super().__init__(logging.WARNING)
        self.output = output

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.output.note(f'sbg: {record.getMessage()}')
        except Exception:  # a broken stream must not break the command
            self.handleError(record)
