"""Requests made by ``Collection.all()``: it must be exactly
ceil(N / limit) for N items, counting the first query.

    python benchmarks/pagination.py [--items N] [--limit L]

The emulator (a child process, see ``_harness.ChildEmulator``) is
preloaded with a project of N files; the client counts the requests it
sends while it lists them all.
"""
import argparse
import json
import math
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import ChildEmulator, Measured  # noqa: E402

PROJECT = 'rfranklin/pages'


def preload(folder, items):
    """A preload file: one project of ``items`` empty files."""
    path = os.path.join(folder, 'preload.json')
    with open(path, 'w') as fp:
        json.dump({'projects': [{
            'id': PROJECT, 'name': 'pages',
            'files': [{'name': f'f{number:05d}.txt', 'content': ''}
                      for number in range(items)]}]}, fp)
    return path


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--items', type=int, default=1234)
    parser.add_argument('--limit', type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            ChildEmulator(preload=preload(folder, args.items),
                          rate_limit='10000000/300') as emulator:
        api = emulator.api()
        requests_seen = []
        api.session.hooks['response'].append(
            lambda response, *args, **kwargs: requests_seen.append(
                response.request.url))
        with Measured() as measured:
            names = [file.name for file in
                     api.files.query(project=PROJECT,
                                     limit=args.limit).all()]
    expected = max(1, math.ceil(args.items / args.limit))
    print(f'pagination: {len(names)} items, limit {args.limit}: '
          f'{len(requests_seen)} requests (expected ceil(N/limit) = '
          f'{expected}) in {measured.seconds * 1000:.0f} ms (client CPU '
          f'{measured.cpu * 1000:.0f} ms)')
    if len(names) != args.items or len(requests_seen) != expected:
        raise SystemExit('pagination made the wrong number of requests')


if __name__ == '__main__':
    main()
