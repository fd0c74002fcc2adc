"""The HTTP client: one place where every API request is made.

:class:`HttpClient` resolves the endpoint and credentials, keeps one pooled
``requests`` session (``_session``), adds the auth, advance-access and
user-agent headers, throttles parallel requests, paces them within the rate
limit, runs the error handlers, retries what its
:class:`~sevenbridges.http.retry.RetryPolicy` retries, records rate-limit
headers and maps error statuses to exceptions.
"""
from __future__ import annotations

import contextlib
import copy
import functools
import ipaddress
import json
import logging
import os
import re
import ssl
import sys
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Callable, Dict, Iterator, List, Optional, Tuple, Union
from urllib.parse import urlsplit, urlunsplit

import requests
import urllib3
from requests.adapters import DEFAULT_POOLSIZE, HTTPAdapter
from requests.cookies import RequestsCookieJar
from requests.sessions import merge_hooks
from requests.structures import CaseInsensitiveDict
from urllib3.util.retry import Retry

from sevenbridges.config import Config, format_proxies
from sevenbridges.constants import RequestParameters
from sevenbridges.decorators import (
    _error_from_response,
    check_for_error,
    throttle,
)
from sevenbridges.errors import SbgError, URITooLong, ValidationError
from sevenbridges.http import direct
from sevenbridges.http.error_handlers import maintenance_sleeper
from sevenbridges.http.pacing import Pacer
from sevenbridges.http.retry import (
    Attempts,
    ResentConflict,
    RetryPolicy,
    is_connection_failure,
    resolve_policy,
    transport_failure,
)
from sevenbridges.version import __version__

logger = logging.getLogger(__name__)

if ssl.OPENSSL_VERSION_INFO < (1, 0, 1):  # pragma: no cover
    raise SbgError('OpenSSL version included in this python version must be '
                   'at least 1.0.1 or greater. Please update your environment '
                   'build.')

client_info = {
    'version': __version__,
    # what platform.system() and platform.python_version() say, without
    # importing platform
    'os': os.uname().sysname if hasattr(os, 'uname') else 'Windows',
    'python': sys.version.split()[0],
    'requests': requests.__version__,
    'urllib3': urllib3.__version__,
}

USER_AGENT = (
    'sevenbridges-python/{version} ({os}, Python/{python}; '
    'requests/{requests}; urllib3/{urllib3})'.format(**client_info)
)

#: Headers that carry credentials; they never leave for a foreign host.
AUTH_HEADERS = ('X-SBG-Auth-Token', 'Authorization', 'X-SBG-Session-Id')

#: The connection retries of the adapter while a retry policy is on: none
#: (the policy retries, so that the two never multiply).
NO_CONNECTION_RETRIES = Retry(0, read=False)

_MASK = '*****'

MISSING_URL_MESSAGE = (
    'URL is missing! Configuration may contain errors, or the url parameter '
    'is missing. Configure the client in one of three ways: '
    'Api(url=..., token=...); the environment variables SB_API_ENDPOINT and '
    'SB_AUTH_TOKEN; or a [default] profile with api_endpoint and auth_token '
    'in ~/.sevenbridges/credentials.'
)


class AAHeader:
    """The header that turns on advance access features."""
    key = 'X-Sbg-Advance-Access'
    value = 'Advance'


def _plain_session_class() -> type[requests.Session]:
    """``requests.Session`` as requests defines it, even when a library
    imported earlier replaced ``requests.Session`` with a subclass of its
    own (``requests_cache.install_cache()`` does): our sessions must never
    inherit such a class, which could store requests, tokens included."""
    for klass in requests.Session.__mro__:
        if (klass.__module__, klass.__qualname__) == \
                ('requests.sessions', 'Session'):
            return klass
    return requests.sessions.Session  # pragma: no cover


class RequestSession(_plain_session_class()):  # type: ignore[misc]
    """A ``requests`` session that refuses URLs longer than
    :attr:`RequestParameters.MAX_URL_LENGTH` before sending them, and drops
    every credential header (:data:`AUTH_HEADERS`) when a redirect leads to
    another origin (scheme, host or port): requests itself drops only
    ``Authorization``.

    It prepares a request as requests does, with less work for the common
    case (see :meth:`prepare_request`); inside a
    :func:`reading_environment_once` block it reads the environment once
    per origin, and inside a :func:`lean_requests` block it sends the
    requests that qualify through a
    :class:`~sevenbridges.http.direct.DirectAdapter`."""

    #: Open :func:`reading_environment_once` blocks, and what they read.
    _environment_blocks = 0
    _environment: Dict[Any, Any] = {}
    #: Open :func:`lean_requests` blocks.
    _lean_blocks = 0

    def merge_environment_settings(self, url, proxies, stream, verify, cert):
        """requests' settings from the environment (proxies, ``NO_PROXY``,
        the CA bundle), read once per origin inside a
        :func:`reading_environment_once` block."""
        if not self._environment_blocks or not self.trust_env:
            return super().merge_environment_settings(url, proxies, stream,
                                                      verify, cert)
        try:
            key = (_origin_key(url), frozenset((proxies or {}).items()),
                   stream, verify, cert)
            settings = self._environment.get(key)
        except TypeError:  # a setting that is not hashable: no reuse
            return super().merge_environment_settings(url, proxies, stream,
                                                      verify, cert)
        if settings is None:
            settings = super().merge_environment_settings(
                url, proxies, stream, verify, cert)
            self._environment[key] = settings
        return dict(settings, proxies=dict(settings['proxies']))

    def prepare_request(self, request):
        """The :class:`requests.PreparedRequest` that requests' own
        ``Session.prepare_request`` makes, made with less work when
        neither the session nor the request has cookies or credentials
        and their headers and parameters are mappings (every API and
        storage request of the SDK): the settings are merged directly
        (requests converts each to a list first, testing it against a
        runtime protocol, and copies the cookie jar twice), and inside a
        :func:`reading_environment_once` block ``~/.netrc`` is looked up
        once per origin; an empty cookie jar is not asked for a
        ``Cookie`` header. Anything else goes to requests as it is."""
        if (request.cookies or request.auth is not None
                or self.auth is not None or len(self.cookies)
                or not isinstance(request.headers, Mapping)
                or not isinstance(self.headers, Mapping)
                or not isinstance(request.params, Mapping)
                or not isinstance(self.params, Mapping)):
            return super().prepare_request(request)
        headers = CaseInsensitiveDict(self.headers)
        headers.update(request.headers)
        params = OrderedDict(self.params)
        params.update(request.params)
        # PreparedRequest.prepare, step by step; no cookies: none to add
        # (requests would ask the empty jar for a Cookie header)
        prepared = requests.PreparedRequest()
        prepared.prepare_method(request.method.upper())
        params = _without_none(params)
        url = None if params else self._plain_url(request.url)
        if url is None:
            prepared.prepare_url(request.url, params)
        else:
            prepared.url = url
        prepared.prepare_headers(_without_none(headers))
        prepared._cookies = RequestsCookieJar()
        prepared.prepare_body(request.data, request.files, request.json)
        auth = self._netrc_auth(request.url) if self.trust_env else None
        if auth is not None or url is None:
            # (a plain URL has no credentials in it: with no netrc entry,
            # requests would parse it again to find none)
            prepared.prepare_auth(auth, request.url)
        prepared.prepare_hooks(merge_hooks(request.hooks, self.hooks))
        return prepared

    def _plain_url(self, url):
        """What requests' ``PreparedRequest.prepare_url(url, {})`` makes of
        ``url``, without its parsing and re-quoting, when that changes
        nothing after the origin (see :func:`_plain_url_patterns`): the origin as
        requests prepares it (worked out once per origin) and the rest as
        it is. ``None`` for any other URL (requests then prepares it)."""
        if type(url) is not str:
            return None
        plain, not_plain = _plain_url_patterns()
        match = plain.match(url)
        if match is None or not_plain.search(url, match.end('origin')):
            return None
        base = match.group('origin')
        known = _prepared_origins.get(base)
        if known is None:
            probe = requests.PreparedRequest()
            try:
                probe.prepare_url(base + '/', None)
            except (requests.RequestException, ValueError):
                return None  # requests raises its error for the whole URL
            known = probe.url
            if not known.endswith('/'):  # pragma: no cover
                return None
            if len(_prepared_origins) >= PooledAdapter.KEYS_KEPT:
                _prepared_origins.clear()
            _prepared_origins[base] = known
        return known[:-1] + url[match.end('origin'):]

    def _netrc_auth(self, url):
        """requests' credentials of ``url`` from ``~/.netrc`` (or
        ``$NETRC``), looked up once per origin inside a
        :func:`reading_environment_once` block."""
        read = requests.sessions.get_netrc_auth
        if not self._environment_blocks:
            return read(url)
        key = ('netrc', _origin_key(url))
        try:
            return self._environment[key]
        except KeyError:
            auth = self._environment[key] = read(url)
            return auth

    def send(self, request, **kwargs):
        if len(request.url) > RequestParameters.MAX_URL_LENGTH:
            raise URITooLong(message='Request url too large, likely too many '
                                     'query parameters provided.')
        return super().send(request, **kwargs)

    def get_adapter(self, url):
        """requests' adapter of ``url``; inside a :func:`lean_requests`
        block, when it is exactly one of the SDK's adapters (not mocked,
        not subclassed) and the session has no hooks and no cookies, the
        :class:`~sevenbridges.http.direct.DirectAdapter` in front of it
        (which sends through it what does not qualify)."""
        adapter = super().get_adapter(url)
        if self._lean_blocks and not any(self.hooks.values()) and \
                not len(self.cookies):
            return direct.direct_adapter(adapter) or adapter
        return adapter

    def rebuild_auth(self, prepared_request, response):
        super().rebuild_auth(prepared_request, response)
        if origin(prepared_request.url) == origin(response.request.url):
            return
        for header in AUTH_HEADERS:
            prepared_request.headers.pop(header, None)
        if any(header in response.request.headers for header in AUTH_HEADERS):
            logger.warning('Redirected to %s, another origin: credentials '
                           'are not sent there',
                           urlsplit(prepared_request.url).netloc)


@functools.lru_cache(maxsize=None)
def _plain_url_patterns() -> Tuple[re.Pattern, re.Pattern]:
    """Compiled on the first request, not at ``import sevenbridges``
    (half a millisecond):

    - a URL whose path and query requests' preparation leaves as they are:
      ``http`` or ``https``, an origin, then a path that starts with one
      ``/`` and an optional query that is not empty, made of the characters
      that neither urllib3's parsing nor requests' re-quoting changes
      (unreserved, sub-delimiters, ``:``, ``@``, ``/``; ``?`` in the query)
      and of percent-encodings in capitals (a signed storage URL's): no
      fragment, no space, nothing outside ASCII;
    - what requests changes in such a URL: a ``.`` or ``..`` segment of
      the path (urllib3 removes it), or the percent-encoding of an
      unreserved character (requests decodes it).
    """
    plain = re.compile(
        r"(?P<origin>https?://[A-Za-z0-9.\-]+(?::[0-9]{1,5})?)"
        r"(?P<path>/(?!/)(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*)"
        r"(?:\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})+)?\Z")
    not_plain = re.compile(
        r'/\.\.?(?:/|\?|\Z)|%(?:[46][1-9A-F]|[57][0-9A]|3[0-9]|2[DE]|5F|7E)')
    return plain, not_plain


#: ``origin`` -> ``origin/`` as requests prepares it (the same for every
#: session: requests' preparation of a URL depends on nothing else).
_prepared_origins: Dict[str, str] = {}


def _origin_key(url: str) -> str:
    """``url`` up to the ``/`` that begins its path (all of it without
    one): a key as good as :func:`origin` for what is read once per origin
    (the origin is a function of it; two ways of writing one origin just
    make two keys), without parsing the URL."""
    end = url.find('/', url.find('://') + 3)
    return url if end < 0 else url[:end]


def _without_none(settings):
    """``settings`` without the keys whose value is ``None`` (as requests
    merges a request's settings with its session's)."""
    for key in [key for key, value in settings.items() if value is None]:
        del settings[key]
    return settings


_environment_lock = threading.Lock()
_foreign_origins_lock = threading.Lock()


@contextlib.contextmanager
def reading_environment_once(*sessions: requests.Session) -> Iterator[None]:
    """Within the block, ``sessions`` (those that are
    :class:`RequestSession`) read requests' settings from the environment
    once per origin instead of once per request: finding the proxies scans
    the whole environment, about a quarter of a small request's CPU, and
    looking for ``~/.netrc`` costs two more system calls; a folder
    transfer makes thousands of requests. Blocks may nest and
    overlap in threads; after the last one ends, every request reads the
    environment again.
    """
    ours = [session for session in sessions
            if isinstance(session, RequestSession)]
    with _environment_lock:
        for session in ours:
            if not session._environment_blocks:
                session._environment = {}
            session._environment_blocks += 1
    try:
        yield
    finally:
        with _environment_lock:
            for session in ours:
                session._environment_blocks -= 1
                if not session._environment_blocks:
                    session._environment = {}


@contextlib.contextmanager
def lean_requests(*sessions: requests.Session) -> Iterator[None]:
    """Within the block, ``sessions`` (those that are
    :class:`RequestSession`) send the requests that qualify through a
    :class:`~sevenbridges.http.direct.DirectAdapter`: kept-alive
    connections written to and read directly, about a third of the client
    CPU of a request through requests' adapter and urllib3 (see
    :mod:`sevenbridges.http.direct`). Folder transfers open one around
    their requests. Blocks may nest and overlap in threads; they hold for
    every thread while one is open.
    """
    ours = [session for session in sessions
            if isinstance(session, RequestSession)]
    with _environment_lock:
        for session in ours:
            session._lean_blocks += 1
    try:
        yield
    finally:
        with _environment_lock:
            for session in ours:
                session._lean_blocks -= 1


class PooledAdapter(HTTPAdapter):
    """requests' HTTP adapter, which works out the connection pool of an
    origin once: requests parses each request's URL again and, when the
    CA bundle is a path (``REQUESTS_CA_BUNDLE``), asks the file system
    whether it is a folder, for every request."""

    #: Origins remembered at most (then forgotten all at once).
    KEYS_KEPT = 64

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self._pool_keys: Dict[Any, Any] = {}
        super().__init__(*args, **kwargs)

    def build_connection_pool_key_attributes(self, request, verify,
                                             cert=None):
        """requests' ``(host parameters, pool parameters)`` of the pool
        for ``request``, worked out once per origin, ``verify`` and
        ``cert`` (each call gets its own copies)."""
        url = request.url
        end = url.find('/', url.find('://') + 3)
        try:
            key = (url if end < 0 else url[:end], verify, cert)
            found = self._pool_keys.get(key)
        except TypeError:  # a setting that is not hashable: no reuse
            key = found = None
        if found is None:
            found = super().build_connection_pool_key_attributes(
                request, verify, cert)
            if key is not None:
                if len(self._pool_keys) >= self.KEYS_KEPT:
                    self._pool_keys.clear()
                self._pool_keys[key] = found
        return dict(found[0]), dict(found[1])

    def close(self):
        """Close the pools, and the connections of the
        :class:`~sevenbridges.http.direct.DirectAdapter` in front."""
        super().close()
        lean = self.__dict__.get('_direct_adapter')
        if lean is not None:
            lean.close()


direct.DIRECT_ADAPTER_CLASSES.add(PooledAdapter)


def generate_session(pool_connections, pool_maxsize, pool_block, proxies=None,
                     retry_count=None, backoff_factor=None):
    """Build the pooled session of a client: one HTTP adapter with a retry
    policy mounted on ``http://`` and ``https://``.

    :param pool_connections: number of connection pools to cache.
    :param pool_maxsize: connections kept per pool.
    :param pool_block: block when no connection is free.
    :param proxies: ``{'http': ..., 'https': ...}``.
    :param retry_count: attempts on connection errors (default 6).
    :param backoff_factor: back-off between attempts (default 1).
    """
    session = RequestSession()
    retry = Retry(
        total=retry_count or RequestParameters.DEFAULT_RETRY_COUNT,
        backoff_factor=(backoff_factor
                        or RequestParameters.DEFAULT_BACKOFF_FACTOR),
    )
    adapter = PooledAdapter(
        pool_connections=pool_connections or DEFAULT_POOLSIZE,
        pool_maxsize=pool_maxsize or DEFAULT_POOLSIZE,
        pool_block=pool_block,
        max_retries=retry,
    )
    session.mount('http://', adapter)
    session.mount('https://', adapter)
    session.proxies = proxies if proxies is not None else {}
    return session


def config_vars(profiles, advance_access):
    """Settings of the first of ``profiles`` that resolves (``None`` meaning
    the environment): ``(api_endpoint, auth_token, proxies,
    advance_access)``, or four ``None`` when none does."""
    for profile in profiles:
        try:
            config = Config(profile, advance_access=advance_access)
        except Exception:  # any broken source just means "not this one"
            continue
        return (config.api_endpoint, config.auth_token, config.proxies,
                config.advance_access)
    return None, None, None, None


def mask_secrets(request_data):
    """A copy of ``request_data`` (``verb``, ``url``, ``headers``, ...) fit
    for logging: credential headers are replaced by ``*****``."""
    masked = copy.deepcopy(request_data)
    headers = masked.setdefault('headers', {})
    headers['X-SBG-Auth-Token'] = _MASK
    headers['X-SBG-Session-Id'] = _MASK
    if 'Authorization' in headers:
        headers['Authorization'] = _MASK
    return masked


def is_loopback(host: Optional[str]) -> bool:
    """Whether ``host`` names this machine (``localhost``, ``127.0.0.0/8``,
    ``::1``)."""
    if not host:
        return False
    if host.lower() == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url_form(url: str) -> None:
    """Refuse what cannot be an API URL: it needs the scheme ``http`` or
    ``https``, a host, and a port that is a number when one is written.

    :raises ValidationError: naming ``url``.
    """
    parts = urlsplit(url) if isinstance(url, str) else None
    try:
        fit = parts is not None and \
            parts.scheme.lower() in ('http', 'https') and \
            bool(parts.hostname) and (parts.port is None or parts.port > 0)
    except ValueError:  # a port that is not a number, or out of range
        fit = False
    if not fit:
        raise ValidationError(
            f'The API URL must be an https URL with a host, like '
            f'https://api.sbgenomics.com/v2 (or http to a loopback host), '
            f'not {url!r}.')


def check_url_security(url: str) -> None:
    """Refuse plain http except to loopback hosts (the local emulator).

    :raises SbgError: for an ``http://`` URL of another host.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() == 'http' and not is_loopback(parts.hostname):
        raise SbgError(
            f'Seven Bridges api client requires https, cannot initialize '
            f'with url {url} (plain http is allowed only for loopback hosts)')


_DEFAULT_PORTS = {'http': 80, 'https': 443}


def url_without_secrets(url: str) -> str:
    """``url`` fit for a message: scheme, host, port and path, without
    user, password or query (a signed storage URL's signature)."""
    parts = urlsplit(url)
    host = parts.hostname or ''
    if ':' in host:
        host = f'[{host}]'
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f'{host}:{port}' if port else host
    return urlunsplit((parts.scheme, netloc, parts.path, '', ''))


def origin(url: str) -> Tuple[str, str, Optional[int]]:
    """The origin of ``url``: scheme, host and port (the scheme's default
    port when none is written)."""
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number: an origin of its own
        port = None
    return (scheme, (parts.hostname or '').lower(),
            port or _DEFAULT_PORTS.get(scheme))


class HttpClient:
    """Authenticated access to the Seven Bridges public API.

    Configuration comes from the arguments (``url`` and ``token`` or
    ``oauth_token``), from a :class:`~sevenbridges.config.Config`, or, when
    nothing is given, from the environment and then the ``[default]``
    profile of ``~/.sevenbridges/credentials``.

    :param url: API base URL, e.g. ``https://api.sbgenomics.com/v2``.
    :param token: authentication token.
    :param oauth_token: OAuth token, used when no token is given.
    :param config: a :class:`~sevenbridges.config.Config`.
    :param timeout: seconds to wait for each API response (``None``: wait).
    :param proxies: ``{'http_proxy': ..., 'https_proxy': ...}``.
    :param error_handlers: handlers to run on every response, after the
        default :func:`~sevenbridges.http.error_handlers.maintenance_sleeper`.
    :param advance_access: send the advance access header.
    :param pool_connections: connection pools to cache.
    :param pool_maxsize: connections per pool.
    :param pool_block: block when the pool is exhausted.
    :param max_parallel_requests: requests in flight at once, per client.
    :param retry_count: retries at most of a connection that cannot be
        made (refused, host name not resolved, connect timeout): with the
        retry policy on (:attr:`retry`) it bounds the policy's own
        ``connect_attempts`` (the lower limit wins); with it off the
        connection layer retries failed connections this many times, as in
        the reference. ``None`` or 0: 6.
    :param backoff_factor: back-off factor between the connection layer's
        retries (retry policy off).

    Every call goes through the :class:`~sevenbridges.http.retry.RetryPolicy`
    of :attr:`retry` (the default policy unless it is set otherwise).
    """

    def __init__(
            self, url: str | None = None, token: str | None = None,
            oauth_token: str | None = None, config: Config | None = None,
            timeout: float | None = None,
            proxies: dict[str, Any] | None = None,
            error_handlers: list[Callable[..., Any]] | None = None,
            advance_access: bool = False, pool_connections: int | None = None,
            pool_maxsize: int | None = None, pool_block: bool = True,
            max_parallel_requests: int | None = None,
            retry_count: int | None = None, backoff_factor: float | None = None
            ) -> None:
        if url is None and token is None and config is None:
            url, token, proxies, advance_access = config_vars(
                [None, 'default'], advance_access)
        elif config is not None:
            url = config.api_endpoint
            token = config.auth_token
            proxies = config.proxies
            advance_access = advance_access or config.advance_access
        else:
            proxies = format_proxies(proxies)

        if not url:
            raise SbgError(MISSING_URL_MESSAGE)
        check_url_form(url)
        check_url_security(url)
        self.url = url.rstrip('/')
        self.token = token
        self.oauth_token = oauth_token
        self.timeout = timeout
        self.pool_connections = pool_connections
        self.pool_maxsize = pool_maxsize
        self.pool_block = pool_block
        self._session = generate_session(
            pool_connections, pool_maxsize, pool_block, proxies=proxies,
            retry_count=retry_count, backoff_factor=backoff_factor)

        self.headers: Dict[str, str] = {
            'Content-Type': 'application/json',
            'User-Agent': USER_AGENT,
        }
        if token:
            self.headers['X-SBG-Auth-Token'] = token
        elif oauth_token:
            self.headers['Authorization'] = f'Bearer {oauth_token}'
        else:
            raise SbgError('Required authorization model not selected!. '
                           'Please provide at least one token value.')

        self.aa = advance_access
        if self.aa:
            logger.warning('Advance access features are enabled: they are '
                           'subject to change without notice.')

        #: Other origins a link named, each logged once.
        self._foreign_origins: set = set()
        #: Whether the error handlers run in the client's chain, per thread
        #: (see
        #: :func:`~sevenbridges.http.error_handlers.rate_limit_sleeper`).
        self._in_chain = threading.local()
        self._throttle_limit = (threading.Semaphore(max_parallel_requests)
                                if max_parallel_requests else None)
        self._limit = None
        self._remaining = None
        self._reset = None
        self._request_id = None
        self._last_response_time = None

        self.error_handlers: List[Callable] = [maintenance_sleeper]
        if isinstance(error_handlers, list):
            for handler in error_handlers:
                if handler not in self.error_handlers:
                    self.error_handlers.append(handler)

        # Without a policy, failed connections are retried by the adapter
        # (retry_count, backoff_factor) but no answer is: those are the
        # error handlers' to wait out.
        adapter = self._session.get_adapter(self.url)
        self._connection_retries = adapter.max_retries.new(
            respect_retry_after_header=False)
        self._retry: Optional[RetryPolicy] = None
        self._pacer: Optional[Pacer] = None
        self.retry = True

    # -- properties ---------------------------------------------------------

    @property
    def session(self) -> requests.Session:
        """The pooled ``requests`` session (stored at ``_session``)."""
        return self._session

    @property
    def limit(self) -> Optional[int]:
        """The rate limit (requests per window); asks the server."""
        self._rate_limit()
        return int(self._limit) if self._limit else self._limit

    @property
    def remaining(self) -> Optional[int]:
        """Requests left in the current window; asks the server."""
        self._rate_limit()
        return int(self._remaining) if self._remaining else self._remaining

    @property
    def reset_time(self) -> Optional[datetime]:
        """When the window resets (local time); asks the server."""
        self._rate_limit()
        if self._reset:
            return datetime.fromtimestamp(float(self._reset))
        return self._reset

    @property
    def request_id(self) -> Optional[str]:
        """``X-Request-Id`` of the last response (quote it to support)."""
        return self._request_id

    # -- retries and pacing -------------------------------------------------

    @property
    def retry(self) -> Optional[RetryPolicy]:
        """The :class:`~sevenbridges.http.retry.RetryPolicy` of every call,
        or ``None`` when retries are off. Set it to a policy, to ``True``
        (the default policy) or to ``False`` (off: failed connections are
        retried ``retry_count`` times, as in the reference, and answers
        only by the error handlers).

        :raises ValidationError: for any other value.
        """
        return self._retry

    @retry.setter
    def retry(self, value: Union[RetryPolicy, bool]) -> None:
        policy = resolve_policy(value)
        connection_retries = self._connection_retries \
            if policy is None else NO_CONNECTION_RETRIES
        for adapter in self._session.adapters.values():
            adapter.max_retries = connection_retries
        self._pacer = Pacer(policy.clock) \
            if policy is not None and policy.pacing else None
        self._retry = policy

    # -- error handlers -----------------------------------------------------

    def add_error_handler(self, handler: Callable) -> None:
        """Append ``handler`` to the error handlers (once)."""
        if callable(handler) and handler not in self.error_handlers:
            self.error_handlers.append(handler)

    def remove_error_handler(self, handler: Callable) -> None:
        """Remove ``handler`` from the error handlers, if present."""
        if callable(handler) and handler in self.error_handlers:
            self.error_handlers.remove(handler)

    # -- requests -----------------------------------------------------------

    def _rate_limit(self):
        self._request('GET', url='/rate_limit', append_base=True)

    def _request_headers(self, headers: Optional[Dict[str, str]]):
        own = self.headers
        if hasattr(self, '_session_id'):
            if 'X-SBG-Auth-Token' in own:
                del own['X-SBG-Auth-Token']
            elif 'Authorization' in own:
                del own['Authorization']
            if own.get('X-SBG-Session-Id') != self._session_id:
                own['X-SBG-Session-Id'] = self._session_id
        if self.aa:
            if own.get(AAHeader.key) != AAHeader.value:
                own[AAHeader.key] = AAHeader.value
        elif AAHeader.key in own:
            own.pop(AAHeader.key, None)

        merged = dict(headers) if headers else {}
        merged.update(own)
        return merged

    def _on_api_origin(self, url: str) -> str:
        """``url`` as it is when it is on the API's origin; else its path
        and query on the API's origin (scheme, host and port of
        :attr:`url`): a link or href that names another host (a proxy or an
        alias in front of the platform) is followed on the API's own host,
        so that the credentials never go to the other one. Each other origin
        is logged once, at ``WARNING``."""
        if self._on_api_host(url):
            return url
        foreign = origin(url)
        with _foreign_origins_lock:
            first = foreign not in self._foreign_origins
            self._foreign_origins.add(foreign)
        if first:
            logger.warning('A link names %s, not the API host %s: it is '
                           'followed on the API host', urlsplit(url).netloc,
                           urlsplit(self.url).netloc)
        parts = urlsplit(url)
        api = urlsplit(self.url)
        return parts._replace(scheme=api.scheme, netloc=api.netloc).geturl()

    def _on_api_host(self, url: str) -> bool:
        """Whether ``url`` is on the API's origin: at once when it starts
        with :attr:`url` (then a path, query or nothing follows), else by
        comparing the origins."""
        base = self.url
        if url.startswith(base) and url[len(base):len(base) + 1] in \
                ('', '/', '?', '#'):
            return True
        return origin(url) == origin(base)

    def _handle_response(self, response):
        handlers = self.error_handlers
        restart = bool(handlers)
        outer = getattr(self._in_chain, 'active', False)
        self._in_chain.active = True
        try:
            while restart:
                restart = False
                for handler in list(handlers):
                    result = handler(self, response)
                    if hasattr(handler, 'is_repeatable'):
                        if result is not response:
                            response = result
                            restart = True
                            break
                    else:
                        response = result
            return response
        finally:
            self._in_chain.active = outer

    def _policy_of_handlers(self) -> Optional[RetryPolicy]:
        """The retry policy the error handlers run under in this thread:
        the client's, while it runs them on an answer it sent; ``None`` when
        a handler is called directly, outside the client."""
        if getattr(self._in_chain, 'active', False):
            return self._retry
        return None

    def _record_response(self, response):
        headers = response.headers
        if 'X-RateLimit-Limit' in headers:
            self._limit = headers['X-RateLimit-Limit']
        if 'X-RateLimit-Remaining' in headers:
            self._remaining = headers['X-RateLimit-Remaining']
        if 'X-RateLimit-Reset' in headers:
            self._reset = headers['X-RateLimit-Reset']
        if 'X-Request-Id' in headers:
            self._request_id = headers['X-Request-Id']
        elapsed = getattr(response, 'elapsed', None)
        if elapsed is not None:
            self._last_response_time = elapsed.total_seconds()

    @check_for_error
    def _request(self, verb, url, headers=None, params=None, data=None,
                 append_base=False, stream=False, natural_key=False):
        """Send one API call through the retry policy and return its
        answer (see :func:`~sevenbridges.decorators.check_for_error`).

        ``natural_key``: the call creates something whose name is unique
        in its container. It is then retried like an idempotent request,
        and a 409 answered after a failure that may have let an earlier
        request through raises
        :class:`~sevenbridges.http.retry.ResentConflict`.
        """
        if not url:
            raise SbgError(message='Request url must be provided')
        if append_base:
            url = self.url + url
        elif not stream:
            url = self._on_api_origin(url)
        request_headers = self._request_headers(headers)
        raw_body = isinstance(data, bytes)
        if raw_body and headers and 'Content-Type' in headers:
            # A body sent as it is keeps the content type it was given.
            request_headers['Content-Type'] = headers['Content-Type']
        if not self.token and not self.oauth_token:
            raise SbgError(message='Api instance must be authenticated.')

        if logger.isEnabledFor(logging.DEBUG):
            request_data = {'verb': verb, 'url': url,
                            'headers': request_headers, 'params': params}
            if stream:
                logger.debug('Stream Request %s', mask_secrets(request_data))
            else:
                request_data['data'] = data
                logger.debug('Request %s', mask_secrets(request_data))

        if stream:
            send = functools.partial(
                self._session.request, verb, url, params=params, stream=True,
                allow_redirects=True)
        else:
            send = functools.partial(
                self._session.request, verb, url, params=params,
                data=data if raw_body else json.dumps(data),
                headers=request_headers, timeout=self.timeout, stream=False)
        response = self._send_with_retries(verb, url, send, natural_key)
        if logger.isEnabledFor(logging.DEBUG):
            elapsed = getattr(response, 'elapsed', None)
            logger.debug('Response %s to %s %s in %.3f s (request id %s)',
                         response.status_code, verb, url,
                         elapsed.total_seconds() if elapsed else 0.0,
                         response.headers.get('X-Request-Id'))
        return response

    def _send_with_retries(self, verb, url, send, natural_key=False):
        """Send until the retry policy is satisfied (once without one); the
        waits happen outside the throttle, so that they hold no slot."""
        policy = self._retry
        if policy is None:
            return self._attempt(send)
        # retry_count bounds the connection retries of the policy too.
        retries = self._connection_retries.total
        attempts = policy.start(
            verb, urlsplit(url).path,
            connect_attempts=retries + 1 if isinstance(retries, int)
            else None,
            idempotent=True if natural_key else None)
        pacer = self._pacer if self._on_api_host(url) else None
        while True:
            ticket = pacer.acquire() if pacer is not None else None
            attempts.sent()
            try:
                response = self._attempt(send)
            except requests.RequestException as error:
                wait = attempts.after_error(error)
                if wait is None:
                    if is_connection_failure(error):
                        raise self._unreachable(url, error,
                                                attempts) from error
                    raise
            else:
                if pacer is not None:
                    pacer.observe(ticket, response.status_code,
                                  response.headers)
                wait = attempts.after_response(response)
                if wait is None:
                    if natural_key and response.status_code == 409 and \
                            attempts.may_have_acted:
                        raise ResentConflict.of(
                            _error_from_response(response))
                    return response
                response.close()
            policy.clock.sleep(wait)

    def _unreachable(self, url: str, error: requests.RequestException,
                     attempts: Attempts) -> requests.RequestException:
        """The error of a call whose connection could not be made: the
        same class as ``error`` (a ``requests.ConnectionError``), with a
        message that names the URL, what failed and how often."""
        failure = transport_failure(error)
        what = failure[1] if failure else 'no connection'
        tries = attempts.count
        message = (f'Cannot connect to {url_without_secrets(url)}: {what} '
                   f'({tries} attempt{"" if tries == 1 else "s"} in '
                   f'{attempts.elapsed():.1f} s).')
        if origin(url) == origin(self.url):
            message += (' Check the API URL (Api(url=...), SB_API_ENDPOINT '
                        'or the api_endpoint of the profile).')
        return type(error)(message, request=error.request,
                           response=error.response)

    @throttle
    def _attempt(self, send):
        """One request and its error handlers, within the throttle."""
        response = self._handle_response(send())
        self._record_response(response)
        return response

    def get(
            self, url: str, headers: dict[str, str] | None = None,
            params: dict[str, Any] | None = None, data: Any = None,
            append_base: bool = True, stream: bool = False
            ) -> requests.Response:
        """Send a GET; ``url`` is a path below the base URL unless
        ``append_base`` is false."""
        return self._request('GET', url=url, headers=headers, params=params,
                             data=data, append_base=append_base,
                             stream=stream)

    def post(
            self, url: str, headers: dict[str, str] | None = None,
            params: dict[str, Any] | None = None, data: Any = None,
            append_base: bool = True) -> requests.Response:
        """Send a POST with ``data`` as its JSON body (``bytes`` are sent
        as they are, with the caller's ``Content-Type``)."""
        return self._request('POST', url=url, headers=headers, params=params,
                             data=data, append_base=append_base)

    def put(
            self, url: str, headers: dict[str, str] | None = None,
            params: dict[str, Any] | None = None, data: Any = None,
            append_base: bool = True) -> requests.Response:
        """Send a PUT with ``data`` as its JSON body."""
        return self._request('PUT', url=url, headers=headers, params=params,
                             data=data, append_base=append_base)

    def patch(
            self, url: str, headers: dict[str, str] | None = None,
            params: dict[str, Any] | None = None, data: Any = None,
            append_base: bool = True) -> requests.Response:
        """Send a PATCH with ``data`` as its JSON body."""
        return self._request('PATCH', url=url, headers=headers,
                             params=params, data=data,
                             append_base=append_base)

    def delete(
            self, url: str, headers: dict[str, str] | None = None,
            params: dict[str, Any] | None = None, append_base: bool = True
            ) -> requests.Response:
        """Send a DELETE (with the JSON body ``{}``)."""
        return self._request('DELETE', url=url, headers=headers,
                             params=params, data={}, append_base=append_base)

    def __repr__(self) -> str:
        return f'<API({self.url}) - "{_MASK}">'

    __str__ = __repr__
