"""Where ``sbg`` finds its endpoint and token, and where each came from.

The sources are ``Api()``'s, in its order: a ``--profile`` of
``~/.sevenbridges/credentials`` when given; otherwise the environment
(``SB_API_ENDPOINT`` and ``SB_AUTH_TOKEN``, both needed), else the
``[default]`` profile. ``--url`` and ``--token`` replace the one setting they
name, whatever the source of the other.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sevenbridges.api import Api
from sevenbridges.config import Config
from sevenbridges.errors import SbgError

ENDPOINT_VARIABLE = 'SB_API_ENDPOINT'
TOKEN_VARIABLE = 'SB_AUTH_TOKEN'


@dataclass
class Setting:
    """One resolved setting and the place it came from."""
    value: Any
    source: str


@dataclass
class Settings:
    """The endpoint, token, proxies and advance-access mode ``sbg`` uses."""
    url: Setting
    token: Setting
    proxies: Setting
    advance_access: Setting
    profile: str | None = None
    problems: list[str] = field(default_factory=list)

    def api(self, **options: Any) -> Api:
        """A client with these settings.

        :raises SbgError: when the endpoint or the token is missing.
        """
        if self.problems:
            raise SbgError(self.problems[0])
        if not self.url.value:
            raise SbgError('No API endpoint: set SB_API_ENDPOINT, pass '
                           '--url or --profile, or add a [default] profile '
                           'to ~/.sevenbridges/credentials.')
        if not self.token.value:
            raise SbgError('No token: set SB_AUTH_TOKEN, pass --token or '
                           '--profile, or add a [default] profile to '
                           '~/.sevenbridges/credentials.')
        return Api(url=self.url.value, token=self.token.value,
                   proxies=_api_proxies(self.proxies.value),
                   advance_access=bool(self.advance_access.value),
                   **options)

    def describe(self) -> list[dict[str, Any]]:
        """Each setting with its source; the token only as set or not."""
        return [
            {'setting': 'url', 'value': self.url.value,
             'source': self.url.source},
            {'setting': 'token',
             'value': 'set' if self.token.value else 'not set',
             'source': self.token.source},
            {'setting': 'proxies',
             'value': {k: v for k, v in (self.proxies.value or {}).items()
                       if v} or None,
             'source': self.proxies.source},
            {'setting': 'advance_access',
             'value': bool(self.advance_access.value),
             'source': self.advance_access.source},
        ]


def _api_proxies(proxies: dict[str, Any] | None
                 ) -> dict[str, Any] | None:
    """:class:`Config`'s proxies (``{'http': ..., 'https': ...}``) in the
    shape ``Api(proxies=...)`` takes (``http_proxy``, ``https_proxy``)."""
    if not proxies:
        return None
    return {'http_proxy': proxies.get('http'),
            'https_proxy': proxies.get('https')}


def _profile_settings(profile: str) -> Settings | None:
    try:
        config = Config(profile)
    except Exception:  # a missing file or section: not this source
        return None
    where = f'profile [{profile}] of ~/.sevenbridges/credentials'
    return Settings(Setting(config.api_endpoint, where),
                    Setting(config.auth_token, where),
                    Setting(config.proxies, f'profile [{profile}]'),
                    Setting(config.advance_access, f'profile [{profile}]'),
                    profile=profile)


def _environment_settings() -> Settings | None:
    try:
        config = Config()
    except SbgError:  # a variable missing: not this source
        return None
    return Settings(Setting(config.api_endpoint,
                            f'environment {ENDPOINT_VARIABLE}'),
                    Setting(config.auth_token,
                            f'environment {TOKEN_VARIABLE}'),
                    Setting(config.proxies,
                            'environment HTTP_PROXY/HTTPS_PROXY'),
                    Setting(config.advance_access, 'default'))


def resolve(profile: str | None = None, url: str | None = None,
            token: str | None = None) -> Settings:
    """The settings from ``--profile``, ``--url`` and ``--token`` and the
    sources ``Api()`` reads."""
    problems = []
    if profile:
        base = _profile_settings(profile)
        if base is None:
            problems.append(f'profile [{profile}] not found in '
                            f'~/.sevenbridges/credentials')
    else:
        base = _environment_settings() or _profile_settings('default')
    if base is None:
        base = Settings(Setting(None, 'not set'), Setting(None, 'not set'),
                        Setting(None, 'not set'), Setting(False, 'default'),
                        profile=profile)
    if url:
        base.url = Setting(url, 'option --url')
    if token:
        base.token = Setting(token, 'option --token')
    base.problems = problems
    return base
