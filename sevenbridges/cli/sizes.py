"""Sizes as the command line writes them, in binary units (the
transfer report's): shared by tables, the progress bar and the report."""
from __future__ import annotations

#: The field of a progress task that says no byte is to move (all
#: skipped, or empty files): its bar shows full, its bytes ``0 B`` and no
#: speed.
NOTHING_MOVES = 'nothing_moves'


def human_size(size: int | None) -> str:
    """``1536`` -> ``'1.5 KiB'``; ``None`` -> ``''``."""
    from sevenbridges.transfer.report import size_text
    return '' if size is None else size_text(float(size))
