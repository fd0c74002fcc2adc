"""Rate limits, maintenance, injected faults and the request log.

The bundled sleepers are pinned on clients without a retry policy
(``retry=False``, as in the reference); the default client's own waits go
through a :class:`RecordingClock`."""
import json
import os
import time

import pytest
import requests

from sevenbridges import errors
from sevenbridges.emulator import Emulator
from sevenbridges.http import error_handlers
from sevenbridges.http.error_handlers import (
    maintenance_sleeper,
    rate_limit_sleeper,
)
from sevenbridges.http.retry import Clock, RetryPolicy
from sevenbridges.transfer import retries

MIB = 1024 * 1024


class HandlerClock:
    """Stands for the ``time`` module of the error handlers: records the
    sleeps and sleeps at most ``cap`` seconds for real."""

    def __init__(self, cap=0.0):
        self.cap = cap
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        time.sleep(min(seconds, self.cap))

    @staticmethod
    def time():
        return time.time()


class RecordingClock(Clock):
    """The clock of a retry policy: real time; each wait is recorded and
    slept for real, at most ``cap`` seconds of it (``None``: all)."""

    def __init__(self, cap=None):
        self.cap = cap
        self.sleeps = []

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        time.sleep(seconds if self.cap is None else min(seconds, self.cap))


@pytest.fixture(autouse=True)
def clock(monkeypatch):
    fake = HandlerClock()
    monkeypatch.setattr(error_handlers, 'time', fake)
    monkeypatch.setattr(retries, 'BASE_DELAY', 0.01)
    return fake


def answered(emulator, path):
    """The statuses the API answered to the requests of ``path``."""
    return [entry.get('status') for entry in emulator.requests
            if entry['listener'] == 'api' and entry['path'] == path]


def test_rate_limit_answers_429_and_the_sleeper_waits(clock):
    clock.cap = 1.5
    with Emulator(rate_limit=(3, 1)) as emulator:
        plain = emulator.api(retry=False)
        plain.error_handlers = []
        time.sleep(1 - time.time() % 1)  # start at the top of a window
        for _ in range(3):
            plain.users.me()
        with pytest.raises(errors.TooManyRequests):
            plain.users.me()
        patient = emulator.api(retry=False,
                               error_handlers=[rate_limit_sleeper])
        assert patient.users.me().username == 'rfranklin'
        assert clock.sleeps and all(0 <= wait <= 1 for wait in clock.sleeps)


def test_the_rate_limit_tells_when_to_retry():
    with Emulator(rate_limit=(2, 5)) as emulator:
        url = emulator.url + '/user'
        headers = {'X-SBG-Auth-Token': emulator.token}
        answers = [requests.get(url, headers=headers) for _ in range(3)]
    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert 1 <= int(answers[2].headers['Retry-After']) <= 5
    assert answers[2].headers['X-RateLimit-Remaining'] == '0'


def test_the_default_client_waits_out_the_rate_limit():
    recording = RecordingClock()
    with Emulator(rate_limit=(3, 1)) as emulator:
        api = emulator.api(retry=RetryPolicy(clock=recording))
        time.sleep(1 - time.time() % 1)  # start at the top of a window
        names = [api.users.me().username for _ in range(5)]
        statuses = answered(emulator, '/v2/user')
    assert names == ['rfranklin'] * 5
    # The client knew the window was spent: it waited, and asked no 429.
    assert statuses == [200] * 5
    assert len(recording.sleeps) == 1 and 0 < recording.sleeps[0] <= 1.1


def test_maintenance_is_waited_out(sbg_emulator, clock):
    sbg_emulator.faults.add(listener='api', path='/user$', status=503,
                            times=2)
    api = sbg_emulator.api(retry=False, error_handlers=[maintenance_sleeper])
    assert api.users.me().username == 'rfranklin'
    assert len([r for r in sbg_emulator.requests
                if r['path'] == '/v2/user']) == 3
    assert clock.sleeps == [300, 300]


def test_the_default_client_waits_out_maintenance_once(sbg_emulator, clock):
    sbg_emulator.faults.add(listener='api', path='/user$', status=503,
                            times=2, retry_after=0.05)
    recording = RecordingClock()
    api = sbg_emulator.api(retry=RetryPolicy(clock=recording))
    assert api.error_handlers == [maintenance_sleeper]
    assert api.users.me().username == 'rfranklin'
    assert answered(sbg_emulator, '/v2/user') == [503, 503, 200]
    assert recording.sleeps == [0.05, 0.05]
    assert clock.sleeps == []


def test_a_proxy_page_is_an_error_of_its_status(sbg_emulator):
    faults = sbg_emulator.faults
    faults.add(path='/user$', status=502, html=True, times=1)
    with pytest.raises(errors.BadGateway) as info:
        sbg_emulator.api(retry=False).users.me()
    assert (info.value.status, info.value.message) == (502,
                                                       '502 Bad Gateway')
    assert isinstance(info.value, errors.NonJSONResponseError)
    faults.add(path='/user$', status=504, html=True, times=2)
    recording = RecordingClock(cap=0)
    api = sbg_emulator.api(retry=RetryPolicy(clock=recording))
    assert api.users.me().username == 'rfranklin'
    assert answered(sbg_emulator, '/v2/user') == [502, 504, 504, 200]
    assert len(recording.sleeps) == 2


def test_faults_pick_methods_and_the_log_tells_them(sbg_emulator):
    sbg_emulator.faults.add(path='/user$', method='post|get', status=500,
                            times=1)
    sbg_emulator.faults.add(path='/user$', drop=True, times=1)
    api = sbg_emulator.api(retry=False, retry_count=1)
    with pytest.raises(errors.ServerError):
        api.users.me()
    assert api.users.me().username == 'rfranklin'   # the adapter re-sent
    user_calls = [(entry['status'], entry.get('fault'))
                  for entry in sbg_emulator.requests
                  if entry['path'] == '/v2/user']
    assert user_calls == [(500, 'status 500'), (None, 'drop'), (200, None)]


def test_faults_over_http(sbg_emulator):
    admin = sbg_emulator.url.replace('/v2', '/_emulator/faults')
    answer = requests.post(admin, data=json.dumps(
        {'listener': 'api', 'path': '/user$', 'status': 500, 'times': 1}))
    assert answer.status_code == 201 and answer.json()[0]['status'] == 500
    api = sbg_emulator.api()
    with pytest.raises(errors.ServerError):
        api.users.me()
    assert api.users.me().username == 'rfranklin'
    assert requests.post(admin, data='{"bogus": 1}').status_code == 400
    requests.delete(admin)
    assert requests.get(admin).json() == []


def test_faults_file_at_start(tmp_path):
    rules = tmp_path / 'faults.json'
    rules.write_text(json.dumps([{'listener': 'api', 'path': '/user$',
                                  'status': 500, 'times': 1}]))
    with Emulator(faults=str(rules)) as emulator:
        with pytest.raises(errors.ServerError):
            emulator.api().users.me()


def test_transfers_survive_storage_faults(sbg_api, sbg_emulator, tmp_path):
    group = sbg_api.billing_groups.query()[0]
    project = sbg_api.projects.create(name='faults', billing_group=group)
    source = tmp_path / 'data.bin'
    source.write_bytes(os.urandom(3 * 5 * MIB + 11))
    faults = sbg_emulator.faults
    faults.add(listener='storage', method='PUT', path='/parts/.*/2$',
               status=500, times=2)
    faults.add(listener='storage', method='PUT', path='/parts/.*/3$',
               drop=True, times=1)
    uploaded = sbg_api.files.upload(str(source), project=project,
                                    part_size=5 * MIB).result()
    faults.add(listener='storage', method='GET', path='/files/',
               truncate=True, times=2)
    faults.add(listener='storage', method='GET', path='/files/',
               status=503, times=1)
    target = tmp_path / 'back.bin'
    uploaded.download(str(target), chunk_size=5 * MIB)
    assert target.read_bytes() == source.read_bytes()


def test_no_storage_request_ever_carries_the_token(sbg_api, sbg_emulator,
                                                   tmp_path):
    group = sbg_api.billing_groups.query()[0]
    project = sbg_api.projects.create(name='leaks', billing_group=group)
    source = tmp_path / 'data.bin'
    source.write_bytes(os.urandom(2 * 5 * MIB + 1))
    uploaded = sbg_api.files.upload(str(source), project=project,
                                    part_size=5 * MIB).result()
    uploaded.download(str(tmp_path / 'back.bin'))
    storage = [r for r in sbg_emulator.requests
               if r['listener'] == 'storage']
    assert len(storage) >= 4
    assert all('X-SBG-Auth-Token' not in r['headers']
               and 'Authorization' not in r['headers'] for r in storage)
    api_calls = [r for r in sbg_emulator.requests if r['listener'] == 'api']
    assert all(r['headers'].get('X-SBG-Auth-Token') == '*****'
               for r in api_calls)


def test_tls(tmp_path):
    import sevenbridges as sbg
    with Emulator(tls=True) as emulator:
        assert emulator.url.startswith('https://127.0.0.1:')
        assert os.path.exists(emulator.ca_cert)
        api = emulator.api()
        assert api.users.me().username == 'rfranklin'
        group = api.billing_groups.query()[0]
        project = api.projects.create(name='tls', billing_group=group)
        source = tmp_path / 'data.bin'
        source.write_text('over https')
        uploaded = api.files.upload(str(source), project=project).result()
        assert uploaded.content() == 'over https'
        untrusting = sbg.Api(url=emulator.url, token=emulator.token,
                             retry_count=1)
        untrusting.session.trust_env = False
        with pytest.raises(errors.SbgError, match='CERTIFICATE_VERIFY_FAILED'):
            untrusting.users.me()


PRELOAD = os.path.join(os.path.dirname(__file__), '..', '..', 'examples',
                       'emulator_preload.json')


def test_preload_creates_the_described_state():
    with Emulator(preload=PRELOAD) as emulator:
        alice = emulator.api(token='alice-token')
        project = alice.projects.get('alice/cohort-study')
        assert project.tags == ['cohort']
        names = {f.name for f in alice.files.query(project=project).all()}
        assert names == {'samples.tsv', 'reads'}
        manifest = alice.files.query(project=project,
                                     names=['samples.tsv'])[0]
        assert manifest.content().startswith('sample\tsex')
        root = alice.files.get(project.root_folder)
        assert sorted((f.name, f.size) for f in root.walk()) == [
            ('S1_R1.fastq', 1024), ('samples.tsv', 21)]
        assert alice.apps.get('alice/cohort-study/report').revision == 0
        assert emulator.api().projects.get(project.id).name == \
            'cohort-study'
        volume = emulator.api().volumes.get('alice/sequencer_out')
        assert volume.access_mode == 'RO'
        assert volume.service['prefix'] == 'runs'
        run = volume.list(prefix='run42/')
        assert [o.location for o in run] == ['run42/S1_R1.fastq',
                                             'run42/S1_R2.fastq']
        assert os.path.getsize(os.path.join(
            emulator.data_dir, 'buckets', 'alice-sequencer', 'runs',
            'run42', 'S1_R2.fastq')) == 2048


def test_preload_errors_name_the_key_and_leave_nothing(tmp_path):
    from sevenbridges.emulator.state.preload import PreloadError
    with pytest.raises(PreloadError, match='unknown key "colour"'):
        Emulator(preload={'projects': [{'owner': 'rfranklin',
                                        'name': 'x',
                                        'colour': 'red'}]}).start()
    state = tmp_path / 'state'
    document = {'users': [{'username': 'carol', 'token': 'carol-token'}],
                'projects': [{'id': 'admin/sbg-public-data', 'files': [
                    {'name': 'chrM_fragment.fasta', 'content': '>x'}]}]}
    with pytest.raises(PreloadError, match='conflicts.*chrM_fragment'):
        Emulator(data_dir=str(state), preload=document).start()
    clash = {'volumes': [{'owner': 'rfranklin', 'name': 'v', 'bucket': 'b',
                          'objects': [{'location': 'a.txt', 'content': '1'},
                                      {'location': 'a.txt', 'content': '2'}]}]}
    with pytest.raises(PreloadError, match='a.txt exists'):
        Emulator(data_dir=str(state), preload=clash).start()
    assert not (state / 'buckets' / 'b' / 'a.txt').exists()
    with Emulator(data_dir=str(state)) as emulator:
        with pytest.raises(errors.Unauthorized):
            emulator.api(token='carol-token').users.me()
