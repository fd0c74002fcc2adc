"""The emulator's API application (``/v2``): authentication, the rate
limit, one writer at a time, error bodies, and the endpoints of the
routers it is handed; the storage listener's is
:mod:`sevenbridges.emulator.api.storage`."""
import json
import logging
import math
import threading
import time
import uuid

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from sevenbridges.emulator.api.routing import credential
from sevenbridges.emulator.state.errors import ApiError

logger = logging.getLogger(__name__)


class ApiApp:
    """The WSGI application of the API listener.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`
        (a change is one transaction).
    :param services: the services handlers call, by name (``users``,
        ``files``, ``tasks``...: attributes of the application).
    :param routers: the :class:`~.routing.Router` of each URL family.
    :param storage_url: the storage listener's URL.
    :param faults: the :class:`~sevenbridges.emulator.http.faults.Faults`
        that ``/_emulator/faults`` changes.
    :param rate_limit: ``(requests, seconds)`` allowed per token.
    """

    def __init__(self, store, services, routers, storage_url, faults=None,
                 rate_limit=(10000, 300)):
        self.store = store
        for name, service in services.items():
            setattr(self, name, service)
        self.storage_url = storage_url
        self.faults = faults
        self.rate_limit, self.rate_window = rate_limit
        self.routers = list(routers)
        self.url_map = Map([Rule(path, methods=list(methods),
                                 endpoint=handler)
                            for router in self.routers
                            for path, methods, handler in router.rules],
                           strict_slashes=False)
        self.calls = {}
        self._calls_lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    def route_table(self):
        """Every endpoint: ``(path, methods, the module of its family,
        its handler's name)``."""
        return [(path, tuple(methods), router.module, handler.__qualname__)
                for router in self.routers
                for path, methods, handler in router.rules]

    def dispatch(self, request):
        started = time.time()
        if request.path.startswith('/_emulator/faults'):
            return self._admin_faults(request)
        kind, secret = credential(request)
        remaining, reset = self._count_call(secret, started)
        try:
            if remaining < 0:
                raise ApiError(429, 'Rate limit exceeded: wait for the '
                                    'window to reset.', code=0)
            adapter = self.url_map.bind_to_environ(request.environ)
            handler, args = adapter.match()
            user = self.users.for_token(secret, kind)
            if request.method in ('GET', 'HEAD'):
                result = handler(self, request, user, **args)
            else:
                # One writer at a time: a change reads and writes atomically.
                with self.store.transaction():
                    result = handler(self, request, user, **args)
            status, body, headers = self._answer(result)
        except ApiError as error:
            status, body, headers = error.status, error.body(), {}
            if status == 429:
                headers = {'Retry-After': str(max(1, math.ceil(
                    reset - time.time())))}
        except HTTPException as error:
            status = error.code
            body = ApiError(error.code, error.description).body()
            headers = {}
        except Exception:  # an emulator bug: still the platform's body
            logger.exception('%s %s failed', request.method, request.path)
            status, headers = 500, {}
            body = ApiError(500, 'Internal emulator error.', 0).body()
        response = Response(b'' if status == 204 else json.dumps(body),
                            status=status, content_type='application/json')
        for key, value in headers.items():
            response.headers[key] = value
        response.headers['X-RateLimit-Limit'] = str(self.rate_limit)
        response.headers['X-RateLimit-Remaining'] = str(max(remaining, 0))
        response.headers['X-RateLimit-Reset'] = str(reset)
        response.headers['X-Request-Id'] = uuid.uuid4().hex
        return response

    def _count_call(self, token, started):
        """Count a call of ``token``: what remains of its window (negative
        past the limit) and when the window resets."""
        window = int(started // self.rate_window) * self.rate_window
        with self._calls_lock:
            start, count = self.calls.get(token, (window, 0))
            if start != window:
                start, count = window, 0
            count += 1
            self.calls[token] = (start, count)
        return self.rate_limit - count, window + self.rate_window

    def quota(self, token):
        """What remains of ``token``'s current window, and when it resets
        (epoch seconds)."""
        window = int(time.time() // self.rate_window) * self.rate_window
        with self._calls_lock:
            start, count = self.calls.get(token, (window, 0))
        if start != window:
            count = 0
        return max(self.rate_limit - count, 0), window + self.rate_window

    def _admin_faults(self, request):
        if self.faults is None:
            return Response('{}', status=404)
        status = 200
        if request.method == 'POST':
            try:
                self.faults.add(**json.loads(request.get_data() or b'{}'))
            except (TypeError, ValueError) as e:
                return Response(json.dumps({'message': str(e)}), status=400,
                                content_type='application/json')
            status = 201
        elif request.method == 'DELETE':
            self.faults.clear()
        return Response(json.dumps(self.faults.rules()), status=status,
                        content_type='application/json')

    def _answer(self, result):
        if isinstance(result, tuple):
            if len(result) == 3:
                return result
            return result[0], result[1], {}
        return 200, result, {}
