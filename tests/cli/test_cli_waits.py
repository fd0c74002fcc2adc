"""``sbg`` shows a long wait on standard error as it happens, and a wrong
endpoint fails within seconds with an error that names the URL."""
import logging
import socket
import sys
import time

import pytest

from sevenbridges.http.retry import Clock
from tests.conftest import VirtualClock

pytest.importorskip('click')
pytest.importorskip('rich')

from click.testing import CliRunner  # noqa: E402

from sevenbridges.cli import exits  # noqa: E402
from sevenbridges.cli.app import cli  # noqa: E402


@pytest.fixture
def clock(monkeypatch):
    """The clock of every retry policy: virtual time that starts now; each
    wait also records what standard error showed when it began."""
    virtual = VirtualClock(time.time())
    virtual.shown = []

    def sleep(seconds):
        sys.stderr.flush()
        virtual.shown.append(sys.stderr.buffer.getvalue().decode())
        virtual.sleep(seconds)

    monkeypatch.setattr(Clock, '_time', staticmethod(virtual.time))
    monkeypatch.setattr(Clock, '_monotonic', staticmethod(virtual.monotonic))
    monkeypatch.setattr(Clock, '_sleep', staticmethod(sleep))
    return virtual


def test_a_rate_limit_wait_shows_as_it_happens(sbg, sbg_emulator, clock):
    sbg_emulator.faults.add(path='/user$', status=429, retry_after=12,
                            times=1)
    handlers = list(logging.getLogger('sevenbridges').handlers)
    result = sbg('whoami')
    notice = ('sbg: GET /v2/user: rate limited (429); next try in 12 s '
              '(attempt 2)\n')
    assert result.stderr == notice
    assert result.stdout.startswith('username:   rfranklin\n')
    # The notice was on the screen when the wait began.
    assert clock.sleeps == [12.0] and clock.shown == [notice]
    # ... and the run leaves no handler behind.
    assert logging.getLogger('sevenbridges').handlers == handlers


def test_a_short_wait_shows_nothing(sbg, sbg_emulator, clock):
    sbg_emulator.faults.add(path='/user$', status=503, retry_after=2,
                            times=1)
    result = sbg('whoami', '--json')
    assert result.stderr == '' and clock.sleeps == [2.0]


def test_a_wrong_port_fails_naming_the_url(sbg):
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        port = probe.getsockname()[1]
    url = f'http://127.0.0.1:{port}/v2'
    result = sbg('whoami', env={'SB_API_ENDPOINT': url}, code=exits.ERROR)
    assert result.stderr.startswith(
        f'sbg: error: Cannot connect to {url}/user: connection refused '
        f'(3 attempts in ')
    assert result.stdout == ''


@pytest.mark.parametrize('url', ['api.sbgenomics.com/v2', 'ftp://host/v2'])
def test_what_is_not_an_api_url_is_a_usage_error(url):
    done = CliRunner().invoke(cli, ['whoami'], env={
        'SB_API_ENDPOINT': url, 'SB_AUTH_TOKEN': 'TOKEN'})
    assert done.exit_code == exits.USAGE
    assert done.stderr == (
        f'sbg: error: The API URL must be an https URL with a host, like '
        f'https://api.sbgenomics.com/v2 (or http to a loopback host), '
        f'not {url!r}.\n')
