"""Routers: the endpoints of one URL family each, handed to the API
application (:class:`~sevenbridges.emulator.api.app.ApiApp`) by
:mod:`~sevenbridges.emulator.wiring`; and what handlers read of a request
(its JSON body) and answer (pages of a list, bulk results).

A handler is ``handler(api, request, user, **url_values)``: ``api`` is the
application (its services by family: ``api.files``, ``api.tasks``...),
``request`` the werkzeug request, ``user`` who called. It answers a JSON
value (200), ``(status, value)`` or ``(status, value, headers)``.
"""
import json
from urllib.parse import urlencode

from sevenbridges.emulator.state.checks import describe
from sevenbridges.emulator.state.errors import ApiError, outcome

PREFIX = '/v2'
#: The documented maximum of ``limit`` on offset-paged lists: a larger
#: limit gets a page of this many.
MAX_PAGE = 100


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


class Router:
    """The endpoints of one URL family.

    :param module: the name of the family's module (``__name__``), where
        the route table says its endpoints are.
    """

    def __init__(self, module):
        self.module = module
        #: ``(path, methods, handler)`` of each endpoint, paths under
        #: ``/v2``.
        self.rules = []

    def route(self, path, *methods):
        """Register ``handler`` for ``path`` (under ``/v2``) and
        ``methods`` (a decorator)."""

        def register(handler):
            self.rules.append((PREFIX + path, methods, handler))
            return handler

        return register


def body(request, kind=dict):
    """The JSON body: an object (``{}`` when empty or null) unless
    ``kind`` says otherwise (``list``); a 400 when it is not valid JSON or
    not of that kind."""
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


def page(request, items, render):
    """One page (``offset``, ``limit``) of ``items`` (a sequence; only the
    page is read of it) as the platform lists resources."""
    try:
        offset = int(request.args.get('offset', 0))
        limit = int(request.args.get('limit', 50))
    except ValueError:
        raise ApiError(400, 'offset and limit must be numbers.',
                       9000) from None
    if limit <= 0 or offset < 0:
        raise ApiError(400, 'limit must be at least 1 and offset at '
                            'least 0.', 9000)
    limit = min(limit, MAX_PAGE)
    args = request.args.to_dict(flat=False)

    def href(new_offset):
        query = dict(args, offset=[str(new_offset)], limit=[str(limit)])
        return f'{request.base_url}?{urlencode(query, doseq=True)}'

    links = []
    if offset + limit < len(items):
        links.append({'href': href(offset + limit), 'rel': 'next',
                      'method': 'GET'})
    if offset > 0:
        links.append({'href': href(max(offset - limit, 0)),
                      'rel': 'prev', 'method': 'GET'})
    answer = {'href': href(offset),
              'items': [render(item) for item in
                        items[offset:offset + limit]],
              'links': links}
    return 200, answer, {'X-Total-Matching-Query': str(len(items))}


def bulk(request, key, fetch, render):
    """The answer of a bulk call on the ids listed under ``key`` of the
    body: a ``resource`` or an ``error`` per id, in order."""
    ids = body(request).get(key)
    if not isinstance(ids, list):
        raise ApiError(400, f'{key} (a list) is required.', 9000)
    return outcomes(ids, fetch, render)


def outcomes(entries, action, render):
    """``{"items": [...]}``: for each entry ``{"resource":
    render(action(entry))}``, or ``{"error": ...}`` when the platform
    refuses it."""
    return {'items': [outcome(lambda item: render(action(item)), entry)
                      for entry in entries]}
