"""What every ``sbg`` command shares: the settings, the client (made on
first use) and the output."""
from __future__ import annotations

from typing import Any, Callable, TypeVar, cast

import click

from sevenbridges.api import Api
from sevenbridges.cli import settings as settings_module
from sevenbridges.cli.output import Output

F = TypeVar('F', bound=Callable[..., Any])


class State:
    """The global options of one ``sbg`` run."""

    def __init__(self, profile: str | None, url: str | None,
                 token: str | None, as_json: bool,
                 progress: bool | None) -> None:
        self.profile, self.url, self.token = profile, url, token
        self.output = Output(as_json=as_json, progress=progress)
        self._api: Api | None = None

    @property
    def settings(self) -> settings_module.Settings:
        return settings_module.resolve(self.profile, self.url, self.token)

    @property
    def api(self) -> Api:
        """The client, made from the settings on first use."""
        if self._api is None:
            self._api = self.settings.api()
        return self._api


pass_state = click.make_pass_decorator(State)


def _set_json(ctx: click.Context, _param: Any, value: bool) -> bool:
    state = ctx.find_object(State)
    if value and state is not None:
        state.output.as_json = True
    return value


def json_option(command: F) -> F:
    """``--json``: print JSON for scripts (also a global option)."""
    return cast(F, click.option(
        '--json', 'as_json', is_flag=True, expose_value=False,
        callback=_set_json, help='Print JSON instead of a table.')(command))
