"""``sbg emulator``: the local platform, as ``python -m
sevenbridges.emulator``."""
from __future__ import annotations

import click


@click.command(context_settings={'ignore_unknown_options': True,
                                 'allow_interspersed_args': False,
                                 'help_option_names': []})
@click.argument('arguments', nargs=-1, type=click.UNPROCESSED)
def emulator(arguments: tuple[str, ...]) -> None:
    """Start the emulator of the platform (the options of python -m
    sevenbridges.emulator; sbg emulator --help lists them)."""
    from sevenbridges.emulator.__main__ import main  # heavy: on use only
    raise SystemExit(main(list(arguments)))


COMMANDS = [emulator]
