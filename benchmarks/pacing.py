"""Pacing: threads of one client against the emulator's rate limit, with
no 429 answered and close to the time the limit allows.

    python benchmarks/pacing.py [--threads 8] [--calls 300]
                                [--limit 100] [--window 10] [--runs 1]

Each run starts at the top of a rate-limit window. The ideal time is when
the last call may go at the earliest: ``floor((calls - 1) / limit)``
windows later. ``--runs`` repeats the run (a loaded machine spreads the
times) and prints the least, the median and the most. ``--no-pacing``
(retries only) and ``--no-retry`` (neither) show what the same run meets
without pacing. The emulator runs in a child process (the harness's), so
that it takes none of the client's CPU; the client counts the answers it
gets, 429s included, with a response hook of its session.
"""
import argparse
import os
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import ChildEmulator  # noqa: E402

from sevenbridges.http.retry import RetryPolicy  # noqa: E402


def run(api, threads, calls):
    """Make ``calls`` calls over ``threads`` threads; their errors."""
    remaining = iter(range(calls))
    lock = threading.Lock()
    errors = []

    def work():
        while True:
            with lock:
                if next(remaining, None) is None:
                    return
            try:
                api.users.me()
            except Exception as error:  # noqa: BLE001 (counted)
                errors.append(error)

    workers = [threading.Thread(target=work) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return errors


def measure(args, policy):
    """One run: ``(seconds, requests sent, 429 answered, errors)``."""
    with ChildEmulator(rate_limit=f'{args.limit}/{args.window}') as emulator:
        api = emulator.api()
        api.retry = policy
        statuses = []
        api.session.hooks['response'].append(
            lambda response, *rest, **options:
            statuses.append(response.status_code))
        time.sleep(args.window - time.time() % args.window)
        started = time.time()
        errors = run(api, args.threads, args.calls)
        elapsed = time.time() - started
    return elapsed, len(statuses), statuses.count(429), len(errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--threads', type=int, default=8)
    parser.add_argument('--calls', type=int, default=300)
    parser.add_argument('--limit', type=int, default=100)
    parser.add_argument('--window', type=int, default=10)
    parser.add_argument('--runs', type=int, default=1)
    parser.add_argument('--no-pacing', action='store_true',
                        help='a client that retries but does not pace')
    parser.add_argument('--no-retry', action='store_true',
                        help='a client without retries nor pacing')
    args = parser.parse_args()
    policy = False if args.no_retry else \
        RetryPolicy(pacing=not args.no_pacing)
    ideal = (args.calls - 1) // args.limit * args.window
    print(f'{args.calls} calls, {args.threads} threads, limit '
          f'{args.limit}/{args.window} s, ideal {ideal} s')
    times = []
    for number in range(1, args.runs + 1):
        elapsed, sent, limited, errors = measure(args, policy)
        times.append(elapsed)
        ratio = elapsed / ideal if ideal else float('nan')
        print(f'  run {number}: {elapsed:6.2f} s ({ratio:.3f}x ideal), '
              f'{sent} requests sent, {limited} answered 429, '
              f'{errors} errors raised')
    if len(times) > 1:
        print(f'  time: least {min(times):.2f} s, median '
              f'{statistics.median(times):.2f} s, most {max(times):.2f} s')


if __name__ == '__main__':
    main()
