"""The rate limit as the platform answers it: when its window resets (the SDK
and raw HTTP against the real emulator)."""
import datetime
import time


def test_rate_limit_tells_when_the_window_resets(sbg_api, http):
    before = time.time()
    limits = sbg_api.rate_limit.get()
    reset = limits.rate.reset
    assert isinstance(reset, datetime.datetime)
    epoch = reset.replace(tzinfo=datetime.timezone.utc).timestamp()
    assert before < epoch <= before + 300
    answer = http('GET', '/rate_limit')
    assert answer.json()['rate']['reset'] == \
        int(answer.headers['X-RateLimit-Reset'])
    assert answer.json()['rate']['remaining'] == \
        int(answer.headers['X-RateLimit-Remaining'])
