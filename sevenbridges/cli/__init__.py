"""The ``sbg`` command: the platform from a shell, over the public SDK.

Its libraries (click for the command line, rich for tables and progress
bars) come with the ``cli`` extra: ``pip install
'sevenbridges-python[cli]'``. Without them ``sbg`` says so and exits with
status 1, rather than failing with an import error.
"""
from __future__ import annotations

import sys
from typing import Sequence

#: What ``sbg`` needs beyond the SDK, by import name.
REQUIRED = ('click', 'rich')

INSTALL_HINT = ("sbg needs the command line's libraries: "
                "pip install 'sevenbridges-python[cli]'")


def missing_libraries() -> list[str]:
    """The libraries of the ``cli`` extra that are not installed."""
    import importlib.util
    return [name for name in REQUIRED
            if importlib.util.find_spec(name) is None]


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``sbg`` with ``argv`` (default: the process's arguments) and
    return its exit status."""
    missing = missing_libraries()
    if missing:
        sys.stderr.write(f'{INSTALL_HINT} (missing: {", ".join(missing)})\n')
        return 1
    from sevenbridges.cli.app import run
    return run(argv)


def console() -> None:
    """The ``sbg`` console script."""
    sys.exit(main())
