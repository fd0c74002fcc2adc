"""Two clients of two accounts, used at once from many threads, each
answer as their own account (over real HTTP, against the emulator)."""
from concurrent.futures import ThreadPoolExecutor

from sevenbridges.emulator.state.common import SECOND_TOKEN

THREADS = 16
CALLS_PER_THREAD = 100


def test_two_clients_in_sixteen_threads_never_cross_accounts(sbg_emulator):
    clients = {'rfranklin': sbg_emulator.api(),
               'jwatson': sbg_emulator.api(token=SECOND_TOKEN)}

    def calls(number):
        crossed = 0
        for call in range(CALLS_PER_THREAD):
            expected = ('rfranklin', 'jwatson')[(number + call) % 2]
            api = clients[expected]
            # The two ways users reach the class: fresh, and kept aside.
            users = api.users
            answer = users.me() if call % 3 else api.users.get(expected)
            crossed += answer.username != expected
        return crossed

    with ThreadPoolExecutor(THREADS) as pool:
        crossed = sum(pool.map(calls, range(THREADS)))
    assert crossed == 0
    requests = [entry for entry in sbg_emulator.requests
                if entry['listener'] == 'api']
    assert len(requests) == THREADS * CALLS_PER_THREAD
