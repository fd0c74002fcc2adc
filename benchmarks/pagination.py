"""Requests made by ``Collection.all()``: it must be exactly
ceil(N / limit) for N items, counting the first query.

    python benchmarks/pagination.py [--items N] [--limit L]

A small local HTTP server plays the list endpoint and counts requests.
"""
import argparse
import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import sevenbridges as sbg


def make_handler(total, counter):
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's naming)
            counter.append(self.path)
            query = parse_qs(urlsplit(self.path).query)
            offset = int(query.get('offset', ['0'])[0])
            limit = int(query.get('limit', ['50'])[0])
            base = f'http://127.0.0.1:{self.server.server_port}/v2/users'
            items = [{'username': f'user{i}', 'href': f'{base}/user{i}'}
                     for i in range(offset, min(offset + limit, total))]
            links = []
            if offset + limit < total:
                links.append({'rel': 'next', 'method': 'GET',
                              'href': f'{base}?offset={offset + limit}'
                                      f'&limit={limit}'})
            body = json.dumps({'href': base, 'items': items,
                               'links': links}).encode()
            self.send_response(200)
            self.send_header('Content-Type', 'application/json')
            self.send_header('X-Total-Matching-Query', str(total))
            self.send_header('Content-Length', str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    return Handler


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--items', type=int, default=1234)
    parser.add_argument('--limit', type=int, default=100)
    args = parser.parse_args()
    requests_seen = []
    server = ThreadingHTTPServer(('127.0.0.1', 0),
                                 make_handler(args.items, requests_seen))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        api = sbg.Api(url=f'http://127.0.0.1:{server.server_port}/v2',
                      token='benchmark')
        start = time.perf_counter()
        names = [user.username for user in
                 api.users.query(division='d', limit=args.limit).all()]
        elapsed = time.perf_counter() - start
    finally:
        server.shutdown()
    expected = max(1, math.ceil(args.items / args.limit))
    print(f'pagination: {len(names)} items, limit {args.limit}: '
          f'{len(requests_seen)} requests (expected ceil(N/limit) = '
          f'{expected}) in {elapsed * 1000:.0f} ms')
    if len(names) != args.items or len(requests_seen) != expected:
        raise SystemExit('pagination made the wrong number of requests')


if __name__ == '__main__':
    main()
