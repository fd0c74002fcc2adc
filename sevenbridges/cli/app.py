"""The ``sbg`` command group, its global options, and how failures end a
run: one line on standard error and an exit status of
:mod:`sevenbridges.cli.exits`."""
from __future__ import annotations

import logging
from typing import Any, Sequence

import click

from sevenbridges.cli import exits
from sevenbridges.cli.commands import (
    account,
    apps,
    batch,
    browse,
    data,
    emulator,
    files,
    tasks,
)
from sevenbridges.cli.state import State
from sevenbridges.errors import SbgError
from sevenbridges.version import __version__


class SbgGroup(click.Group):
    """A group whose commands' errors become one line and an exit status."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except (SbgError, OSError, ValueError, TypeError) as error:
            state = ctx.find_object(State)
            if state is not None:
                state.output.error(exits.message_of(error))
            ctx.exit(exits.status_of(error))
        except KeyboardInterrupt:
            state = ctx.find_object(State)
            if state is not None:
                state.output.note('Interrupted. Run the same command again '
                                  'to resume its transfers.')
            ctx.exit(exits.INTERRUPTED)


@click.group(cls=SbgGroup, context_settings={
    'help_option_names': ['-h', '--help'], 'max_content_width': 100})
@click.option('--profile', metavar='NAME',
              help='Profile of ~/.sevenbridges/credentials.')
@click.option('--url', metavar='URL', help='API endpoint, e.g. '
              'https://api.sbgenomics.com/v2.')
@click.option('--token', metavar='TOKEN', help='Authentication token.')
@click.option('--json', 'as_json', is_flag=True,
              help='Print JSON instead of tables.')
@click.option('--progress/--no-progress', default=None,
              help='Show progress bars (default: on a terminal only).')
@click.version_option(__version__, prog_name='sbg')
@click.pass_context
def cli(ctx: click.Context, profile: str | None, url: str | None,
        token: str | None, as_json: bool, progress: bool | None) -> None:
    """The Seven Bridges platform from a shell: projects, files, apps,
    tasks, and a local emulator of the platform.

    Settings come from --profile, --url and --token, else SB_API_ENDPOINT
    and SB_AUTH_TOKEN, else the [default] profile of
    ~/.sevenbridges/credentials (as for Api()).
    """
    state = ctx.obj = State(profile, url, token, as_json, progress)
    # The SDK's warnings (long waits for the rate limit or maintenance)
    # show on standard error as they happen.
    sdk_logger = logging.getLogger('sevenbridges')
    notices = state.output.notices()
    sdk_logger.addHandler(notices)
    ctx.call_on_close(lambda: sdk_logger.removeHandler(notices))


for _module in (account, browse, data, files, apps, tasks, batch, emulator):
    for _command in _module.COMMANDS:
        cli.add_command(_command)


def run(argv: Sequence[str] | None = None) -> int:
    """Run ``sbg`` and return its exit status (never raises SystemExit)."""
    try:
        cli.main(args=list(argv) if argv is not None else None,
                 prog_name='sbg')
    except SystemExit as done:
        code = done.code
        return code if isinstance(code, int) else (0 if code is None else 1)
    return exits.OK
