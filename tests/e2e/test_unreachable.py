"""A wrong address fails within seconds with an error that names the URL;
rate limits and maintenance are waited out, each long wait logged at
WARNING (real sockets, the emulator and its fault rules)."""
import logging
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time

import pytest

import sevenbridges as sbg
from sevenbridges import errors
from sevenbridges.emulator import Emulator
from sevenbridges.http.retry import RetryPolicy
from tests.conftest import VirtualClock

#: A generous guard: the calls below end in about 2 s.
DEADLINE = 15.0

HINT = ('Check the API URL (Api(url=...), SB_API_ENDPOINT or the '
        'api_endpoint of the profile).')


def closed_port():
    """A loopback port where nothing listens (taken, then let go)."""
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return probe.getsockname()[1]


def call_with_deadline(call):
    """The exception ``call()`` raises (``None`` if none); fails the test
    when the call runs past :data:`DEADLINE` (a guard, not a measure)."""
    outcome = {}

    def run():
        try:
            call()
        except Exception as error:  # the error under test
            outcome['error'] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(DEADLINE)
    assert not worker.is_alive(), f'still waiting after {DEADLINE} s'
    return outcome.get('error')


def test_a_wrong_port_fails_within_seconds_naming_the_url():
    url = f'http://127.0.0.1:{closed_port()}/v2'
    api = sbg.Api(url=url, token='TOKEN')
    error = call_with_deadline(api.users.me)
    assert type(error) is errors.SbgError
    assert error.message.startswith(
        f'Cannot connect to {url}/user: connection refused (3 attempts in ')
    assert error.message.endswith(HINT)


def test_a_platform_gone_away_fails_within_seconds():
    with Emulator() as emulator:
        api = emulator.api()
        assert api.users.me().username == 'rfranklin'
    error = call_with_deadline(lambda: api.projects.query())
    assert error.message.startswith(
        f'Cannot connect to {emulator.url}/projects/: connection refused '
        f'(3 attempts in ')


def test_retry_count_bounds_the_attempts_to_connect(caplog):
    caplog.set_level(logging.INFO, logger='sevenbridges.http.retry')
    url = f'http://127.0.0.1:{closed_port()}/v2'
    api = sbg.Api(url=url, token='TOKEN', retry_count=1)
    error = call_with_deadline(api.users.me)
    assert '(2 attempts in ' in error.message
    first, last = [record.getMessage() for record in caplog.records]
    assert re.fullmatch(r'GET /v2/user: connection refused; next try in '
                        r'0\.\d\d s \(attempt 2\)', first)
    assert last == ('GET /v2/user: connection refused; giving up after 2 '
                    'attempts to connect')


def in_a_network_of_its_own():
    """Whether this machine can run a process in a network namespace of its
    own (where no name resolves and nothing leaves the machine)."""
    unshare = shutil.which('unshare')
    return unshare is not None and subprocess.run(
        [unshare, '-n', 'true'], capture_output=True).returncode == 0


UNRESOLVED = """
import sevenbridges as sbg
api = sbg.Api(url='https://no-such-host.invalid/v2', token='TOKEN')
try:
    api.users.me()
except sbg.SbgError as error:
    print(error.message)
"""


@pytest.mark.skipif(not in_a_network_of_its_own(),
                    reason='needs unshare -n (a network namespace)')
def test_an_unresolvable_name_fails_within_seconds_naming_the_url():
    # In a network namespace of its own, the name's lookup fails at once
    # and no query leaves the machine; the deadline is a guard.
    done = subprocess.run(
        ['unshare', '-n', sys.executable, '-c', UNRESOLVED],
        capture_output=True, text=True, timeout=DEADLINE,
        env=dict(os.environ))
    assert done.returncode == 0, done.stderr
    message = done.stdout.strip()
    assert message.startswith(
        'Cannot connect to https://no-such-host.invalid/v2/user: host name '
        'not resolved (3 attempts in ')
    assert message.endswith(HINT)


@pytest.mark.parametrize('fault,logged', [
    ({'status': 429, 'retry_after': 12},
     'GET /v2/user: rate limited (429); next try in 12 s (attempt 2)'),
    ({'status': 503, 'retry_after': 6},
     'GET /v2/user: platform under maintenance (503); next try in 6.0 s '
     '(attempt 2)')])
def test_a_long_wait_is_a_warning_and_is_waited_out(sbg_emulator, caplog,
                                                    fault, logged):
    caplog.set_level(logging.INFO, logger='sevenbridges.http.retry')
    sbg_emulator.faults.add(path='/user$', times=1, **fault)
    clock = VirtualClock(time.time())
    api = sbg_emulator.api(retry=RetryPolicy(clock=clock))
    assert api.users.me().username == 'rfranklin'
    assert clock.sleeps == [fault['retry_after']]
    assert [(record.levelname, record.getMessage())
            for record in caplog.records] == [('WARNING', logged)]
    assert [entry['status'] for entry in sbg_emulator.requests
            if entry['path'] == '/v2/user'] == [fault['status'], 200]


def test_a_short_wait_is_not_a_warning(sbg_emulator, caplog):
    caplog.set_level(logging.INFO, logger='sevenbridges.http.retry')
    sbg_emulator.faults.add(path='/user$', status=429, retry_after=5,
                            times=1)
    clock = VirtualClock(time.time())
    api = sbg_emulator.api(retry=RetryPolicy(clock=clock))
    assert api.users.me().username == 'rfranklin'
    assert [record.levelname for record in caplog.records] == ['INFO']
