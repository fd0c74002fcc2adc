"""Pacing: requests spaced within the rate limit the platform announces."""
import logging

import pytest

import sevenbridges as sbg
from sevenbridges.http.pacing import Pacer
from sevenbridges.http.retry import (
    RESET_MARGIN,
    RetryPolicy,
    rate_limit_reset,
    retry_after,
)
from tests.conftest import BASE, TOKEN

URL = BASE + '/projects'


def rate(limit, remaining, reset):
    return {'X-RateLimit-Limit': str(limit),
            'X-RateLimit-Remaining': str(remaining),
            'X-RateLimit-Reset': str(int(reset))}


def sent_until(pacer, clock, moment):
    """Tickets taken until ``moment`` of the clock."""
    count = 0
    while True:
        pacer.acquire()
        if clock.now >= moment:
            return count
        count += 1


def test_without_rate_headers_requests_go_at_once(clock):
    pacer = Pacer(clock)
    assert [pacer.acquire() for _ in range(50)] == list(range(50))
    pacer.observe(0, 200, {})
    pacer.acquire()
    assert clock.sleeps == []


def test_plenty_left_goes_at_once(clock):
    pacer = Pacer(clock)
    pacer.observe(pacer.acquire(), 200, rate(1000, 900, clock.now + 60))
    for _ in range(700):
        pacer.acquire()
    assert clock.sleeps == []


def test_a_spent_window_waits_for_the_reset(clock):
    pacer = Pacer(clock)
    start = clock.now
    pacer.observe(pacer.acquire(), 200, rate(100, 0, start + 10))
    pacer.acquire()
    assert clock.sleeps == [pytest.approx(10 + RESET_MARGIN)]
    # The new window's budget is whole: the next requests go at once.
    for _ in range(50):
        pacer.acquire()
    assert len(clock.sleeps) == 1


def test_a_wait_longer_than_five_seconds_is_a_warning(clock, caplog):
    caplog.set_level(logging.DEBUG, logger='sevenbridges.http.pacing')
    pacer = Pacer(clock)
    start = clock.now
    pacer.observe(pacer.acquire(), 200, rate(100, 0, start + 30))
    pacer.acquire()                 # the window is spent: 30 s to wait
    pacer.observe(pacer.acquire(), 200, rate(100, 2, start + 60))
    pacer.acquire()                 # 2 left in 30 s: this one at once,
    pacer.acquire()                 # ... this one 15 s later
    assert [(record.levelname, record.getMessage())
            for record in caplog.records] == [
        ('WARNING', 'Rate limit budget spent: next try in 30 s'),
        ('WARNING', 'Pacing within the rate limit: next request in 15 s')]


def test_a_lone_client_spends_its_window_whole_at_once(clock):
    pacer = Pacer(clock)
    start = clock.now
    tickets = [pacer.acquire() for _ in range(8)]
    # Eight threads: the answers come back in another order than sent, and
    # each says what was left when its request arrived.
    for arrival, ticket in enumerate(reversed(tickets)):
        pacer.observe(ticket, 200, rate(20, 19 - arrival, start + 10))
    # Nothing is spread out: the twelve requests left go at once ...
    assert sent_until(pacer, clock, start + 10) == 12
    assert clock.sleeps == [pytest.approx(10 + RESET_MARGIN)]


def test_a_lone_client_counts_every_request_of_its_window(clock):
    pacer = Pacer(clock)
    start = clock.now
    first = pacer.acquire()
    later = [pacer.acquire() for _ in range(7)]
    # The first request's answer comes last; the platform had counted all
    # eight by then.
    for arrival, ticket in enumerate(later):
        pacer.observe(ticket, 200, rate(20, 19 - arrival, start + 10))
    pacer.observe(first, 200, rate(20, 12, start + 10))
    assert sent_until(pacer, clock, start + 10) == 12


def test_a_request_of_the_last_window_counted_in_the_next_is_ours(clock):
    pacer = Pacer(clock)
    start = clock.now
    pacer.observe(pacer.acquire(), 200, rate(100, 99, start + 10))
    late = pacer.acquire()          # sent just before the reset ...
    clock.sleep(10)
    first = pacer.acquire()         # ... and answered after it
    pacer.observe(first, 200, rate(100, 99, start + 20))
    pacer.observe(late, 200, rate(100, 98, start + 20))
    # Both of the platform's two requests are ours: the 98 left go at
    # once (another client's requests would spread the last 20).
    assert sent_until(pacer, clock, start + 20) == 98
    assert clock.sleeps == [10, pytest.approx(10 + RESET_MARGIN)]


def test_the_last_fifth_of_a_window_shared_is_spread_over_it(clock):
    pacer = Pacer(clock)
    start = clock.now
    # 90 requests of the window were spent, one of them ours: the token
    # is shared with another client.
    pacer.observe(pacer.acquire(), 200, rate(100, 10, start + 10))
    for _ in range(10):
        pacer.acquire()
    # Ten requests over the ten seconds left: one a second.
    assert clock.sleeps == [pytest.approx(1.0)] * 9
    pacer.acquire()
    assert clock.now == pytest.approx(start + 10 + RESET_MARGIN)


def test_requests_sent_after_an_answer_count_against_its_window(clock):
    pacer = Pacer(clock)
    start = clock.now
    tickets = [pacer.acquire() for _ in range(5)]
    # The first request's answer: 19 left of 20, but 4 more are out since.
    pacer.observe(tickets[0], 200, rate(20, 19, start + 60))
    assert sent_until(pacer, clock, start + 60) == 15


def test_answers_lower_what_is_left(clock):
    pacer = Pacer(clock)
    start = clock.now
    first, second = pacer.acquire(), pacer.acquire()
    pacer.observe(second, 200, rate(20, 18, start + 60))
    # Another client of the same token spent most of the window: 17
    # requests counted when the first arrived, both of ours among them
    # (the second's answer said 2 when it arrived, before).
    pacer.observe(first, 200, rate(20, 3, start + 60))
    assert sent_until(pacer, clock, start + 60) == 3


def test_a_stale_answer_is_ignored(clock):
    pacer = Pacer(clock)
    start = clock.now
    ticket = pacer.acquire()
    pacer.observe(ticket, 200, rate(20, 0, start - 1))
    pacer.acquire()
    assert clock.sleeps == []


def test_a_429_holds_every_request_for_its_retry_after(clock):
    pacer = Pacer(clock)
    pacer.observe(pacer.acquire(), 429, {'Retry-After': '3'})
    pacer.acquire()
    assert clock.sleeps == [3.0]


def test_a_429_without_retry_after_holds_requests_until_the_reset(clock):
    pacer = Pacer(clock)
    start = clock.now
    pacer.observe(pacer.acquire(), 429, {'X-RateLimit-Reset':
                                         str(int(start) + 5)})
    pacer.acquire()
    assert clock.now == pytest.approx(start + 5 + RESET_MARGIN)


def test_a_new_window_ends_the_spacing_of_the_last(clock):
    pacer = Pacer(clock)
    start = clock.now
    pacer.observe(pacer.acquire(), 200, rate(100, 2, start + 100))
    ticket = pacer.acquire()                    # the next slot is 50 s away
    pacer.observe(ticket, 200, rate(100, 99, start + 200))
    pacer.acquire()
    assert clock.sleeps == []


@pytest.mark.parametrize('value', ['inf', '-inf', 'nan', '1e400'])
def test_a_header_that_is_no_finite_number_is_ignored(clock, value):
    assert retry_after({'Retry-After': value}, clock.now) is None
    assert rate_limit_reset({'X-RateLimit-Reset': value}, clock.now) is None
    pacer = Pacer(clock)
    pacer.observe(pacer.acquire(), 429, dict.fromkeys(
        ('Retry-After', 'X-RateLimit-Limit', 'X-RateLimit-Remaining',
         'X-RateLimit-Reset'), value))
    pacer.acquire()
    assert clock.sleeps == []
    # A finite value still counts.
    assert retry_after({'Retry-After': '2'}, clock.now) == 2.0
    pacer.observe(pacer.acquire(), 429, {'Retry-After': '3'})
    pacer.acquire()
    assert clock.sleeps == [3.0]


# -- in the client ------------------------------------------------------------

def test_the_client_paces_its_api_calls(clock, mocked):
    api = sbg.Api(url=BASE, token=TOKEN, retry=RetryPolicy(clock=clock))
    mocked.get(URL, json={}, headers=rate(100, 0, clock.now + 30))
    mocked.get('https://storage.test/file', body=b'x')
    api.get('/projects')
    # Storage URLs are not the API's: they do not wait for its window.
    api.get('https://storage.test/file', append_base=False, stream=True)
    assert clock.sleeps == []
    api.get('/projects')
    assert clock.sleeps == [pytest.approx(30 + RESET_MARGIN)]
    assert len(mocked.calls) == 3


@pytest.mark.parametrize('retry', [False, 'no pacing'])
def test_pacing_can_be_off(clock, mocked, retry):
    policy = RetryPolicy(clock=clock, pacing=False) if retry else retry
    api = sbg.Api(url=BASE, token=TOKEN, retry=policy)
    mocked.get(URL, json={}, headers=rate(100, 0, clock.now + 30))
    api.get('/projects')
    api.get('/projects')
    assert clock.sleeps == [] and len(mocked.calls) == 2


def test_a_server_clock_far_off_ours_is_corrected_for(clock):
    from email.utils import formatdate
    pacer = Pacer(clock)
    start = clock.now
    ahead = start + 3600           # the server's clock is an hour ahead
    headers = dict(rate(100, 0, ahead + 10), Date=formatdate(ahead,
                                                             usegmt=True))
    pacer.observe(pacer.acquire(), 200, headers)
    pacer.acquire()
    assert clock.sleeps == [pytest.approx(10 + RESET_MARGIN)]


def test_a_server_clock_a_little_off_is_trusted(clock):
    from email.utils import formatdate
    pacer = Pacer(clock)
    start = clock.now
    headers = dict(rate(100, 0, start + 10),
                   Date=formatdate(start + 2, usegmt=True))
    pacer.observe(pacer.acquire(), 200, headers)
    pacer.acquire()
    assert clock.sleeps == [pytest.approx(10 + RESET_MARGIN)]


def test_the_servers_date_moves_the_reset_and_is_parsed_once(monkeypatch):
    import email.utils

    from sevenbridges.http import retry
    parsed = []
    parse = email.utils.parsedate_to_datetime

    def counted(value):
        parsed.append(value)
        return parse(value)

    monkeypatch.setattr(email.utils, 'parsedate_to_datetime', counted)
    retry._parsed_http_date.cache_clear()
    date = 'Mon, 07 Dec 2026 20:00:00 GMT'
    server_now = parse(date).timestamp()
    headers = {'X-RateLimit-Reset': str(int(server_now) + 60), 'Date': date}
    for _ in range(3):  # the client's clock is 100 s behind the server's
        assert rate_limit_reset(headers, server_now - 100) == \
            server_now - 100 + 60
    assert parsed == [date]
    assert rate_limit_reset(dict(headers, Date='not a date'),
                            server_now) == server_now + 60
    assert rate_limit_reset({'X-RateLimit-Reset': '5'}, 0) == 5
