"""Storms of faults and parallel scripts against the emulator: the default
client gets through without a single error, duplicate or 429."""
import random
import threading

import pytest

from sevenbridges import errors
from sevenbridges.emulator import Emulator
from sevenbridges.http.error_handlers import maintenance_sleeper
from sevenbridges.http.retry import RetryPolicy
from tests.e2e.test_reliability import RecordingClock

#: Every fault hits every method and path. Those after which the platform
#: may have acted (a gateway error, a dropped connection) are re-sent for
#: the methods safe to repeat and for folder creates, whose name is their
#: key; ``late`` gateway errors after folder creates (the folder made, the
#: answer lost) make the request sent again meet a 409.
STORM = [
    {'method': 'POST', 'path': '/files$', 'status': 502, 'html': True,
     'late': True, 'probability': 0.08},
    {'status': 429, 'probability': 0.10, 'retry_after': 0},
    {'status': 503, 'probability': 0.10, 'retry_after': 0},
    {'status': 502, 'html': True, 'probability': 0.05},
    {'drop': True, 'probability': 0.03},
]
THREADS = 8
ROUNDS = 12    # per thread, five calls each


def raise_storm(emulator):
    for rule in STORM:
        emulator.faults.add(listener='api', times=None, **rule)


def mixed_calls(api, project, rounds, prefix='folder'):
    """``5 * rounds`` calls: creations, reads, updates and deletions."""
    for number in range(rounds):
        folder = api.files.create_folder(name=f'{prefix}-{number}',
                                         project=project)
        folder = api.files.get(folder.id)
        folder.tags = [f'round-{number}']
        folder.save()
        folder.name = f'{prefix}-{number}-done'
        folder.save()
        if number % 2:
            api.files.query(project=project, limit=5)
        else:
            folder.delete()


def in_threads(api, project):
    """:func:`mixed_calls` in :data:`THREADS` threads; their errors."""
    failures = []

    def work(thread):
        try:
            mixed_calls(api, project, ROUNDS, prefix=f'folder-{thread}')
        except Exception as error:  # noqa: BLE001 (reported below)
            failures.append(error)

    workers = [threading.Thread(target=work, args=(thread,))
               for thread in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return failures


def setting_up(emulator):
    api = emulator.api()
    group = api.billing_groups.query()[0]
    return api.projects.create(name='storm', billing_group=group)


def test_a_storm_costs_no_error_and_no_duplicate(sbg_emulator):
    random.seed(17)
    project = setting_up(sbg_emulator)
    before = len(sbg_emulator.requests)
    raise_storm(sbg_emulator)
    recording = RecordingClock(cap=0.005)
    api = sbg_emulator.api(retry=RetryPolicy(clock=recording))
    assert api.error_handlers == [maintenance_sleeper]  # the default only
    assert in_threads(api, project) == []

    sbg_emulator.faults.clear()
    log = sbg_emulator.requests[before:]
    faults = [entry['fault'] for entry in log if entry.get('fault')]
    assert {'status 429', 'status 503', 'status 502', 'drop',
            'status 502 late'} <= set(faults)
    assert len(faults) > 0.15 * len(log)
    assert len(recording.sleeps) == len(faults)
    # A create sent again after its folder was made met a 409, and the
    # folder was then found by one look-up of its name.
    met_their_own = [entry for entry in log if entry['method'] == 'POST' and
                     entry['path'] == '/v2/files' and entry['status'] == 409]
    found = [entry for entry in log if entry['method'] == 'GET' and
             entry['path'] == '/v2/files' and entry['status'] == 200 and
             'name=' in entry['query']]
    assert met_their_own and len(found) == len(met_their_own)
    # One folder per create: no duplicate, none lost.
    names = sorted(folder.name for folder in
                   api.files.query(project=project).all())
    assert names == sorted(f'folder-{thread}-{number}-done'
                           for thread in range(THREADS)
                           for number in range(1, ROUNDS, 2))


def test_without_retries_the_first_fault_ends_the_script(sbg_emulator):
    random.seed(17)
    project = setting_up(sbg_emulator)
    before = len(sbg_emulator.requests)
    raise_storm(sbg_emulator)
    api = sbg_emulator.api(retry=False)
    # The default maintenance_sleeper would wait a maintenance 503 out (five
    # minutes a time, as in the reference): this client retries nothing.
    api.remove_error_handler(maintenance_sleeper)
    with pytest.raises(errors.SbgError) as info:
        mixed_calls(api, project, THREADS * ROUNDS)
    log = sbg_emulator.requests[before:]
    disturbed = [index for index, entry in enumerate(log)
                 if entry.get('fault')]
    # The fault that ended the script is the last request sent ...
    assert disturbed and disturbed[-1] == len(log) - 1
    if log[-1]['status'] is not None:
        assert info.value.status == log[-1]['status']
    # ... the connections dropped before it were re-sent by the adapter,
    # as the reference does (retry_count).
    for index in disturbed[:-1]:
        assert log[index]['fault'] == 'drop'
        again = log[index + 1]
        assert (again['method'], again['path']) == \
            (log[index]['method'], log[index]['path'])


def test_parallel_threads_stay_within_the_rate_limit():
    threads, calls_each = 16, 2   # two windows of 20 requests
    with Emulator(rate_limit=(20, 2)) as emulator:
        api = emulator.api()
        failures = []

        def work():
            try:
                for _ in range(calls_each):
                    api.users.me()
            except Exception as error:  # noqa: BLE001 (reported below)
                failures.append(error)

        workers = [threading.Thread(target=work) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        statuses = [entry.get('status') for entry in emulator.requests
                    if entry['path'] == '/v2/user']
    assert failures == []
    assert len(statuses) == threads * calls_each
    assert 429 not in statuses
