"""Where the SDK finds its endpoint, token, proxies and advance-access mode.

Three sources, tried by ``Api()`` in this order when it is given nothing:

1. the environment: ``SB_API_ENDPOINT`` and ``SB_AUTH_TOKEN`` (both needed),
   ``HTTP_PROXY`` / ``HTTPS_PROXY`` for proxies;
2. the ``[default]`` profile of ``~/.sevenbridges/credentials``;
3. nothing: ``Api()`` then raises an :class:`~sevenbridges.errors.SbgError`
   that says how to configure it.

A profile file looks like::

    [default]
    api_endpoint = https://api.sbgenomics.com/v2
    auth_token = <TOKEN>

    [cgc]
    api_endpoint = https://cgc-api.sbgenomics.com/v2
    auth_token = <TOKEN>

and ``~/.sevenbridges/sevenbridges-python/config`` may hold ``[proxies]``
(``http_proxy``, ``https_proxy``) and ``[mode]`` (``advance_access``).
"""
import logging
import os
from typing import Any, Dict, Optional

from sevenbridges.errors import SbgError

logger = logging.getLogger(__name__)

_HOME = os.path.expanduser('~')


def format_proxies(proxies: Optional[Dict[str, Any]]) -> Dict[str, Any]:
    """Turn ``{'http_proxy': ..., 'https_proxy': ...}`` into the mapping
    ``requests`` expects (``{'http': ..., 'https': ...}``); a falsy value
    gives ``{}``."""
    if proxies:
        return {
            'http': proxies.get('http_proxy'),
            'https': proxies.get('https_proxy'),
        }
    return {}


class UserProfile:
    """One profile of the credentials file, with the settings of the
    SDK's config file.

    :param profile: name of a section of ``~/.sevenbridges/credentials``.
    :raises SbgError: when the credentials file does not exist.
    :raises configparser.NoSectionError: when the profile does not exist.
    """
    CREDENTIALS = os.path.join(_HOME, '.sevenbridges', 'credentials')
    CONFIG = os.path.join(_HOME, '.sevenbridges', 'sevenbridges-python',
                          'config')

    def __init__(self, profile: str):
        import configparser  # profiles only: not loaded with the package
        if not os.path.isfile(self.CREDENTIALS):
            raise SbgError('Missing credentials file.')
        self.profile = profile
        no_defaults: Dict[str, Any] = {'auth_token': None,
                                       'api_endpoint': None}
        self.credentials_parser = configparser.ConfigParser(
            no_defaults, allow_no_value=True)
        self.credentials_parser.read(self.CREDENTIALS)
        self.config_parser: Optional[configparser.ConfigParser] = None
        if os.path.isfile(self.CONFIG):
            config_defaults: Dict[str, Any] = {
                'http_proxy': None, 'https_proxy': None,
                'advance_access': False}
            self.config_parser = configparser.ConfigParser(
                config_defaults, allow_no_value=True)
            self.config_parser.read(self.CONFIG)
        else:
            logger.info('No config file found at %s', self.CONFIG)

    @property
    def api_endpoint(self) -> Optional[str]:
        return self.credentials_parser.get(self.profile, 'api_endpoint')

    @property
    def auth_token(self) -> Optional[str]:
        return self.credentials_parser.get(self.profile, 'auth_token')

    @property
    def proxies(self) -> Dict[str, Any]:
        if self.config_parser is None:
            return {'http_proxy': None, 'https_proxy': None}
        import configparser
        try:
            return {
                'http_proxy': self.config_parser.get('proxies', 'http_proxy'),
                'https_proxy': self.config_parser.get(
                    'proxies', 'https_proxy'),
            }
        except (KeyError, configparser.NoSectionError):
            return {}

    @property
    def advance_access(self) -> Any:
        """The raw ``[mode] advance_access`` value of the config file (a
        string when read from a file), or ``False``."""
        if self.config_parser is None:
            return False
        import configparser
        try:
            return self.config_parser.get('mode', 'advance_access')
        except (KeyError, configparser.NoSectionError):
            return False


class Config:
    """Resolved client settings: ``api_endpoint``, ``auth_token``,
    ``proxies`` and ``advance_access``.

    :param profile: a profile of ``~/.sevenbridges/credentials``; without
        one, settings come from the environment.
    :param proxies: ``{'http_proxy': ..., 'https_proxy': ...}``, overriding
        the profile's or environment's proxies.
    :param advance_access: turn on advance access features.
    :raises SbgError: when a required setting is missing.
    """

    def __init__(self, profile: Optional[str] = None,
                 proxies: Optional[Dict[str, Any]] = None,
                 advance_access: Optional[bool] = None):
        self.profile = profile
        user_profile = None
        if not profile:
            self.auth_token = os.environ.get('SB_AUTH_TOKEN')
            self.api_endpoint = os.environ.get('SB_API_ENDPOINT')
            self.proxies = {
                'http': os.environ.get('HTTP_PROXY'),
                'https': os.environ.get('HTTPS_PROXY'),
            }
            if not self.auth_token:
                logger.warning('SB_AUTH_TOKEN is not set')
                raise SbgError('Missing SB_AUTH_TOKEN')
            if not self.api_endpoint:
                logger.warning('SB_API_ENDPOINT is not set')
                raise SbgError('Missing SB_API_ENDPOINT')
            self.advance_access = advance_access or False
        else:
            user_profile = UserProfile(profile)
            self.auth_token = user_profile.auth_token
            self.api_endpoint = user_profile.api_endpoint
            self.advance_access = user_profile.advance_access

        if proxies:
            self.proxies = format_proxies(proxies)
        elif user_profile is not None:
            self.proxies = format_proxies(user_profile.proxies)
        if advance_access:
            self.advance_access = advance_access

        logger.info('Client settings: [url=%s] [token=*****] [proxy=%s]',
                    self.api_endpoint, self.proxies)

    def __repr__(self) -> str:
        return (f'<Config: profile={self.profile}, url={self.api_endpoint}, '
                f'token=*****>')
