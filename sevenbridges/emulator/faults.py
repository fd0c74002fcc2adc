"""Fault injection and the request log of the emulator.

Rules disturb matching requests of a listener (``api`` or ``storage``):
answer a status (``503`` gets the maintenance body, ``429`` the rate-limit
body), add a delay, drop the connection, or cut the body of the answer in
half. Set them at start (``--faults FILE``, a JSON list of rules), from
Python (``emu.faults.add(...)``) or over HTTP on the API listener (``POST
/_emulator/faults`` with a rule, ``DELETE`` to clear, ``GET`` to list).

:class:`Middleware` applies them to the API listener (WSGI); the storage
listener (:mod:`sevenbridges.emulator.storage`) applies the same rules to
its own connections, with :func:`log_entry` and :func:`error_body`.
"""
import json
import random
import re
import socket
import threading
import time

LOGGED_HEADERS = ('X-SBG-Auth-Token', 'Authorization', 'X-SBG-Session-Id',
                  'X-Sbg-Advance-Access', 'Range', 'Content-Type',
                  'Content-Length', 'User-Agent')
SECRET_HEADERS = ('X-SBG-Auth-Token', 'Authorization', 'X-SBG-Session-Id')
ADMIN_PREFIX = '/_emulator/'


class Rule:
    """One fault: which requests, how often, and what happens.

    :param listener: ``api`` or ``storage``.
    :param method: an HTTP method, or any.
    :param path: a regular expression searched in the path, or any.
    :param status: answer this status instead.
    :param times: how many requests to disturb (``None``: no limit).
    :param probability: the chance that a matching request is disturbed.
    :param delay: seconds to wait before answering.
    :param drop: close the connection without an answer.
    :param truncate: send half of the answer's body.
    """
    FIELDS = ('listener', 'method', 'path', 'status', 'times', 'probability',
              'delay', 'drop', 'truncate')

    def __init__(self, listener='api', method=None, path=None, status=None,
                 times=1, probability=1.0, delay=0.0, drop=False,
                 truncate=False):
        if listener not in ('api', 'storage'):
            raise ValueError(f'Unknown listener {listener!r}.')
        self.listener = listener
        self.method = method.upper() if method else None
        self.path = path
        self._pattern = re.compile(path) if path else None
        self.status = status
        self.times = times
        self.probability = probability
        self.delay = delay
        self.drop = drop
        self.truncate = truncate

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
                and (self.method is None or self.method == method)
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


def error_headers(status):
    """The extra headers of an injected ``status`` (a 429 tells when to
    retry)."""
    if status == 429:
        return [('X-RateLimit-Reset', str(int(time.time()) + 1))]
    return []


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

        self.log.append(log_entry(self.listener, method, path,
                                  environ.get('QUERY_STRING', ''), header))
        if path.startswith(ADMIN_PREFIX):
            return self.app(environ, start_response)
        rule = self.faults.take(self.listener, method, path)
        if rule is None:
            return self.app(environ, start_response)
        if rule.delay:
            time.sleep(rule.delay)
        if rule.drop:
            return self._drop(environ, start_response)
        if rule.status:
            self._discard_body(environ)
            body = json.dumps(error_body(rule.status)).encode()
            headers = [('Content-Type', 'application/json'),
                       ('Content-Length', str(len(body)))]
            headers += error_headers(rule.status)
            start_response(f'{rule.status} Injected', headers)
            return [body]
        if rule.truncate:
            return self._truncated(environ, start_response)
        return self.app(environ, start_response)

    @staticmethod
    def _discard_body(environ):
        length = int(environ.get('CONTENT_LENGTH') or 0)
        stream = environ['wsgi.input']
        while length > 0:
            chunk = stream.read(min(1 << 20, length))
            if not chunk:
                break
            length -= len(chunk)

    def _drop(self, environ, start_response):
        # Read the request first: a client still sending its body would
        # otherwise wait for the server instead of seeing the drop.
        self._discard_body(environ)
        connection = environ.get('werkzeug.socket')
        if connection is not None:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        start_response('500 Dropped', [('Content-Length', '0')])
        return []

    def _truncated(self, environ, start_response):
        captured = {}

        def capture(status, headers, exc_info=None):
            captured['status'], captured['headers'] = status, headers
            return lambda data: None

        body = b''.join(self.app(environ, capture))
        start_response(captured['status'], captured['headers'])
        connection = environ.get('werkzeug.socket')
        half = body[:len(body) // 2]

        def send():
            yield half
            if connection is not None:
                try:
                    connection.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        return send()
