"""Fault injection and the request log of the emulator.

Rules disturb matching requests of a listener (``api`` or ``storage``):
answer a status (``503`` gets the maintenance body, ``429`` the rate-limit
body, both with ``Retry-After``; ``html=True`` answers a proxy's HTML page
instead, e.g. a 502 or a 504), add a delay, drop the connection, or cut the
body of the answer in half. A status or a drop comes before the platform
acts, unless ``late=True``: then the request is carried out and its answer
lost (a gateway that times out after the work is done). Set them at start
(``--faults FILE``, a JSON list of rules), from Python
(``emu.faults.add(...)``) or over HTTP on the API listener
(``POST /_emulator/faults`` with a rule, ``DELETE`` to clear, ``GET`` to
list).

A storm is a few rules with a ``probability`` and no limit of ``times``::

    emu.faults.add(status=429, probability=0.1, times=None, retry_after=0)
    emu.faults.add(method='GET|PUT|PATCH|DELETE', status=502, html=True,
                   probability=0.05, times=None)

On the API listener the request log (``emu.requests``) tells for each
request the ``status`` answered (``None`` for a dropped connection) and,
for a disturbed one, the ``fault`` (``'status 429'``, ``'drop'``,
``'status 502 late'``, ``'drop late'``, ``'truncate'``, ``'delay'``).

:class:`Middleware` applies them to the API listener (WSGI); the storage
listener (:mod:`sevenbridges.emulator.api.storage`) applies the same rules to
its own connections, with :func:`log_entry` and :func:`error_body`.
"""
import json
import random
import re
import threading
import time

from sevenbridges.emulator.http.connections import CONNECTION

LOGGED_HEADERS = ('X-SBG-Auth-Token', 'Authorization', 'X-SBG-Session-Id',
                  'X-Sbg-Advance-Access', 'Range', 'Content-Type',
                  'Content-Length', 'User-Agent')
SECRET_HEADERS = ('X-SBG-Auth-Token', 'Authorization', 'X-SBG-Session-Id')
ADMIN_PREFIX = '/_emulator/'


class Rule:
    """One fault: which requests, how often, and what happens.

    :param listener: ``api`` or ``storage``.
    :param method: an HTTP method or several (``'GET|PUT'``), or any.
    :param path: a regular expression searched in the path, or any.
    :param status: answer this status instead.
    :param times: how many requests to disturb (``None``: no limit).
    :param probability: the chance that a matching request is disturbed.
    :param delay: seconds to wait before answering.
    :param drop: close the connection without an answer.
    :param truncate: send half of the answer's body.
    :param html: answer the status with a proxy's HTML page (API listener).
    :param retry_after: the ``Retry-After`` of a 429 or 503 answer, seconds
        (default 1; API listener).
    :param late: carry the request out first, then answer the ``status`` or
        drop the connection instead of its answer (API listener).
    """
    FIELDS = ('listener', 'method', 'path', 'status', 'times', 'probability',
              'delay', 'drop', 'truncate', 'html', 'retry_after', 'late')

    def __init__(self, listener='api', method=None, path=None, status=None,
                 times=1, probability=1.0, delay=0.0, drop=False,
                 truncate=False, html=False, retry_after=None, late=False):
        if listener not in ('api', 'storage'):
            raise ValueError(f'Unknown listener {listener!r}.')
        self.listener = listener
        self.method = method.upper() if method else None
        self._methods = re.compile(self.method) if method else None
        self.path = path
        self._pattern = re.compile(path) if path else None
        self.status = status
        self.times = times
        self.probability = probability
        self.delay = delay
        self.drop = drop
        self.truncate = truncate
        self.html = html
        self.retry_after = retry_after
        self.late = late

    def describe(self):
        """What the rule does to a request, for the request log."""
        late = ' late' if self.late else ''
        if self.drop:
            return 'drop' + late
        if self.status:
            return f'status {self.status}{late}'
        if self.truncate:
            return 'truncate'
        return 'delay'

    @classmethod
    def from_dict(cls, data):
        unknown = set(data) - set(cls.FIELDS)
        if unknown:
            raise ValueError(f'Unknown fault keys: {sorted(unknown)}')
        return cls(**data)

    def as_dict(self):
        return {field: getattr(self, field) for field in self.FIELDS}

    def matches(self, listener, method, path):
        return (self.listener == listener
                and (self._methods is None or
                     self._methods.fullmatch(method))
                and (self._pattern is None or self._pattern.search(path))
                and (self.times is None or self.times > 0))


class Faults:
    """The fault rules of an emulator."""

    def __init__(self):
        self._rules = []
        self._lock = threading.Lock()

    def add(self, **rule):
        """Add a rule (see :class:`Rule`); return it."""
        added = Rule.from_dict(rule)
        with self._lock:
            self._rules.append(added)
        return added

    def load(self, path):
        """Add the rules of a JSON file (a list of rule objects)."""
        with open(path, encoding='utf-8') as fp:
            for rule in json.load(fp):
                self.add(**rule)

    def clear(self):
        with self._lock:
            self._rules.clear()

    def rules(self):
        with self._lock:
            return [rule.as_dict() for rule in self._rules]

    def take(self, listener, method, path):
        """The rule that disturbs this request, if any (counted)."""
        with self._lock:
            for rule in self._rules:
                if rule.matches(listener, method, path) and \
                        random.random() < rule.probability:
                    if rule.times is not None:
                        rule.times -= 1
                    return rule
        return None


def log_entry(listener, method, path, query, header):
    """One entry of the request log; ``header(name)`` gives a request
    header's value or ``None``. Credentials are masked."""
    headers = {}
    for name in LOGGED_HEADERS:
        value = header(name)
        if value is not None:
            headers[name] = '*****' if name in SECRET_HEADERS else value
    return {'listener': listener, 'method': method, 'path': path,
            'query': query, 'headers': headers, 'time': time.time()}


def error_headers(status, retry_after=None):
    """The extra headers of an injected ``status``: a 429 tells when the
    limit resets, a 429 and a 503 when to retry (``retry_after`` seconds,
    default 1)."""
    headers = []
    if status == 429:
        headers.append(('X-RateLimit-Reset', str(int(time.time()) + 1)))
    if status in (429, 503):
        seconds = 1 if retry_after is None else retry_after
        headers.append(('Retry-After', f'{seconds:g}'))
    return headers


def error_body(status):
    """The JSON body of an injected ``status``."""
    if status == 503:
        return {'status': 503, 'code': 0,
                'message': 'The platform is under maintenance.',
                'more_info': ''}
    if status == 429:
        return {'status': 429, 'code': 0,
                'message': 'Too many requests.', 'more_info': ''}
    return {'status': status, 'code': status * 10 + 9,
            'message': 'Injected fault.', 'more_info': ''}


def html_body(status):
    """The HTML page a proxy in front of the platform answers with
    ``status``."""
    from http import HTTPStatus
    try:
        title = f'{status} {HTTPStatus(status).phrase}'
    except ValueError:
        title = str(status)
    return (f'<html>\r\n<head><title>{title}</title></head>\r\n<body>\r\n'
            f'<center><h1>{title}</h1></center>\r\n'
            f'<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n')


class Middleware:
    """Log every request and apply the fault rules of one listener."""

    def __init__(self, app, listener, faults, log):
        self.app = app
        self.listener = listener
        self.faults = faults
        self.log = log

    def __call__(self, environ, start_response):
        method = environ.get('REQUEST_METHOD', 'GET')
        path = environ.get('PATH_INFO', '')

        def header(name):
            key = name.upper().replace('-', '_')
            value = environ.get('HTTP_' + key)
            if value is None and name in ('Content-Type', 'Content-Length'):
                value = environ.get(key)
            return value

        entry = log_entry(self.listener, method, path,
                          environ.get('QUERY_STRING', ''), header)
        self.log.append(entry)

        def logged_start_response(status, headers, exc_info=None):
            entry['status'] = int(status.split()[0])
            return start_response(status, headers, exc_info)

        if path.startswith(ADMIN_PREFIX):
            return self.app(environ, logged_start_response)
        rule = self.faults.take(self.listener, method, path)
        if rule is None:
            return self.app(environ, logged_start_response)
        entry['fault'] = rule.describe()
        if rule.delay:
            time.sleep(rule.delay)
        if rule.late and (rule.drop or rule.status):
            self._carry_out(environ)
        if rule.drop:
            entry['status'] = None
            return self._drop(environ, start_response)
        if rule.status:
            self._discard_body(environ)
            if rule.html:
                body = html_body(rule.status).encode()
                content_type = 'text/html'
            else:
                body = json.dumps(error_body(rule.status)).encode()
                content_type = 'application/json'
            headers = [('Content-Type', content_type),
                       ('Content-Length', str(len(body)))]
            headers += error_headers(rule.status, rule.retry_after)
            logged_start_response(f'{rule.status} Injected', headers)
            return [body]
        if rule.truncate:
            return self._truncated(environ, logged_start_response)
        return self.app(environ, logged_start_response)

    def _carry_out(self, environ):
        """Let the platform act on the request; its answer is lost."""
        answer = self.app(environ, lambda status, headers, exc_info=None:
                          lambda data: None)
        try:
            for _ in answer:
                pass
        finally:
            close = getattr(answer, 'close', None)
            if close is not None:
                close()

    @staticmethod
    def _discard_body(environ):
        # wsgi.input ends where the body does (a chunked one too, which
        # has no CONTENT_LENGTH).
        stream = environ['wsgi.input']
        while stream.read(1 << 20):
            pass

    def _drop(self, environ, start_response):
        # Read the request first: a client still sending its body would
        # otherwise wait for the server instead of seeing the drop.
        self._discard_body(environ)
        _end_connection(environ)
        start_response('500 Dropped', [('Content-Length', '0')])
        return []

    def _truncated(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured['status'], captured['headers'] = status, headers
            return lambda data: None

        body = b''.join(self.app(environ, capture))
        start_response(captured['status'], captured['headers'])
        half = body[:len(body) // 2]

        def send():
            yield half
            _end_connection(environ)

        return send()


def _end_connection(environ):
    """End the request's connection at once (the server sends nothing more
    on it)."""
    connection = environ.get(CONNECTION)
    if connection is not None:
        connection.shut()
