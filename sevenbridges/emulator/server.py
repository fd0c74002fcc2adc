"""The emulator's API listener (``/v2``); the storage listener is
:mod:`sevenbridges.emulator.storage`."""
import json
import logging
import math
import threading
import time
import uuid

from werkzeug.exceptions import HTTPException
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from sevenbridges.emulator.bodies import describe
from sevenbridges.emulator.errors import ApiError

logger = logging.getLogger(__name__)

ROUTES: list = []
#: The documented maximum of ``limit`` on offset-paged lists: a larger
#: limit gets a page of this many.
MAX_PAGE_LIMIT = 100


def route(path, *methods):
    """Register an API handler ``handler(api, request, user, **args)``."""

    def register(handler):
        ROUTES.append(Rule('/v2' + path, methods=list(methods),
                           endpoint=handler))
        return handler

    return register


def credential(request):
    """What the request authenticates with: ``('token', T)`` for
    ``X-SBG-Auth-Token: T`` or ``Authorization: Bearer T`` (OAuth), else
    ``('session', S)`` for ``X-SBG-Session-Id: S``; ``('token', '')`` when
    it carries none."""
    token = request.headers.get('X-SBG-Auth-Token')
    if token:
        return 'token', token
    scheme, _, bearer = (request.headers.get('Authorization') or '') \
        .partition(' ')
    if scheme.lower() == 'bearer' and bearer.strip():
        return 'token', bearer.strip()
    session_id = request.headers.get('X-SBG-Session-Id')
    if session_id:
        return 'session', session_id
    return 'token', ''


def public(doc):
    """A stored document without its internal keys."""
    return {key: value for key, value in doc.items()
            if not key.startswith('_')}


class ApiApp:
    """The WSGI application of the API listener."""

    def __init__(self, platform, services, storage_url, faults=None,
                 rate_limit=(10000, 300)):
        self.platform = platform
        # apps, tasks, volumes, imports, exports, ...: see wiring.build
        for name, service in services.items():
            setattr(self, name, service)
        self.storage_url = storage_url
        self.faults = faults
        self.rate_limit, self.rate_window = rate_limit
        self.url_map = Map([rule.empty() for rule in ROUTES],
                           strict_slashes=False)
        self.calls = {}
        self._calls_lock = threading.Lock()

    def __call__(self, environ, start_response):
        request = Request(environ)
        response = self.dispatch(request)
        return response(environ, start_response)

    # -- plumbing -------------------------------------------------------------

    def base(self, request):
        return request.host_url.rstrip('/') + '/v2'

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
            user = self.platform.user_for_token(secret, kind)
            if request.method in ('GET', 'HEAD'):
                result = handler(self, request, user, **args)
            else:
                # One writer at a time: a change reads and writes atomically.
                with self.platform.store.transaction():
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

    def body(self, request, kind=dict):
        """The JSON body: an object (``{}`` when empty or null) unless
        ``kind`` says otherwise (``list``); a 400 when it is not valid JSON
        or not of that kind."""
        raw = request.get_data()
        try:
            value = json.loads(raw) if raw else None
        except ValueError:
            raise ApiError(400, 'The body is not valid JSON.', 9000) from None
        if value is None and kind is dict:
            return {}
        if not isinstance(value, kind):
            raise ApiError(400, f'The body must be {describe(kind)}.', 9000)
        return value

    def page(self, request, items, render):
        """One page of ``items`` as the platform lists resources."""
        try:
            offset = int(request.args.get('offset', 0))
            limit = int(request.args.get('limit', 50))
        except ValueError:
            raise ApiError(400, 'offset and limit must be numbers.',
                           9000) from None
        if limit <= 0 or offset < 0:
            raise ApiError(400, 'limit must be at least 1 and offset at '
                                'least 0.', 9000)
        limit = min(limit, MAX_PAGE_LIMIT)
        url = request.base_url
        links = []
        args = request.args.to_dict(flat=False)

        def href(new_offset):
            from urllib.parse import urlencode
            query = dict(args, offset=[str(new_offset)], limit=[str(limit)])
            return f'{url}?{urlencode(query, doseq=True)}'

        if offset + limit < len(items):
            links.append({'href': href(offset + limit), 'rel': 'next',
                          'method': 'GET'})
        if offset > 0:
            links.append({'href': href(max(offset - limit, 0)),
                          'rel': 'prev', 'method': 'GET'})
        body = {'href': href(offset),
                'items': [render(item) for item in
                          items[offset:offset + limit]],
                'links': links}
        return 200, body, {'X-Total-Matching-Query': str(len(items))}

    def bulk(self, request, key, fetch, render):
        """The answer of a bulk call on the ids listed under ``key`` of the
        body: a ``resource`` or an ``error`` per id, in order."""
        ids = self.body(request).get(key)
        if not isinstance(ids, list):
            raise ApiError(400, f'{key} (a list) is required.', 9000)
        items = []
        for item_id in ids:
            try:
                items.append({'resource': render(fetch(item_id))})
            except ApiError as error:
                items.append({'error': error.body()})
        return {'items': items}

    # -- renderers ------------------------------------------------------------

    def user_json(self, request, user):
        data = public(user)
        data.pop('id', None)
        data['href'] = f'{self.base(request)}/users/{user["username"]}'
        return data

    def project_json(self, request, project):
        return dict(public(project),
                    href=f'{self.base(request)}/projects/{project["id"]}')

    def file_json(self, request, file):
        return dict(public(file), href=f'{self.base(request)}/files/'
                                       f'{file["id"]}')

    def app_json(self, request, app, revision):
        raw = self.apps.raw_document(app, revision, self.base(request))
        return {'href': f'{self.base(request)}/apps/{app["id"]}/{revision}',
                'id': f'{app["id"]}/{revision}', 'project': app['project'],
                'name': raw.get('label') or app['name'],
                'revision': revision, 'raw': raw}

    def task_json(self, request, task):
        return dict(public(task),
                    href=f'{self.base(request)}/tasks/{task["id"]}')


from sevenbridges.emulator import (  # noqa: E402,F401 (they register)
    routes,
    routes_accounts,
    routes_automation,
    routes_storage,
)

