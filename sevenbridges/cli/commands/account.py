"""``sbg whoami`` and ``sbg config``."""
from __future__ import annotations

import click

from sevenbridges.cli.state import State, json_option, pass_state


@click.command()
@json_option
@pass_state
def whoami(state: State) -> None:
    """The user the token belongs to, and the endpoint."""
    user = state.api.users.me()
    state.output.record({
        'username': user.username, 'email': user.email,
        'first_name': user.first_name, 'last_name': user.last_name,
        'url': state.api.url})


@click.command()
@json_option
@pass_state
def config(state: State) -> None:
    """The settings in use and where each came from (never the token)."""
    settings = state.settings
    rows = settings.describe()
    if state.output.as_json:
        state.output.json({row['setting']: {'value': row['value'],
                                             'source': row['source']}
                           for row in rows})
    else:
        state.output.table(rows, ['setting', 'value', 'source'])
    for problem in settings.problems:
        state.output.note(f'note: {problem}')


COMMANDS = [whoami, config]
