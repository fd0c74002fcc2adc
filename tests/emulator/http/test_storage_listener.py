"""The emulator's storage listener over HTTP: signed URLs, ranges, version
headers, part PUTs, keep-alive, faults, TLS and the network profile."""
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
import requests

from sevenbridges import errors
from sevenbridges.emulator import Emulator
from sevenbridges.emulator.__main__ import main as emulator_main

MIB = 1024 * 1024
DATA = bytes(range(256)) * 4096 + b'tail'  # 1 MiB and 4 bytes


@pytest.fixture
def project(sbg_api):
    group = sbg_api.billing_groups.query()[0]
    return sbg_api.projects.create(name='listener', billing_group=group)


def upload(api, project, tmp_path, data, name='object.bin', **kwargs):
    path = tmp_path / name
    path.write_bytes(data)
    return api.files.upload(str(path), project=project, file_name=name,
                            overwrite=True, **kwargs).result()


@pytest.fixture
def stored(sbg_api, project, tmp_path):
    """A stored file and a signed URL of its bytes."""
    file = upload(sbg_api, project, tmp_path, DATA)
    return file, file.download_info().url


def get(url, **headers):
    return requests.get(url, headers=headers)


def test_ranges_and_whole_objects(stored):
    _, url = stored
    size = len(DATA)
    whole = get(url)
    assert (whole.status_code, whole.content) == (200, DATA)
    assert whole.headers['Content-Length'] == str(size)
    assert whole.headers['Accept-Ranges'] == 'bytes'
    cases = {'bytes=0-0': (0, 0), 'bytes=10-19': (10, 19),
             f'bytes={size - 4}-': (size - 4, size - 1),
             'bytes=-4': (size - 4, size - 1),
             f'bytes=5-{size + 100}': (5, size - 1),
             'bytes=3-5,8-9': (3, 5)}
    for wanted, (start, end) in cases.items():
        answer = get(url, Range=wanted)
        assert answer.status_code == 206, wanted
        assert answer.headers['Content-Range'] == \
            f'bytes {start}-{end}/{size}'
        assert answer.headers['Content-Length'] == str(end - start + 1)
        assert answer.content == DATA[start:end + 1]
    for past in (f'bytes={size}-', 'bytes=-0'):
        refused = get(url, Range=past)
        assert refused.status_code == 416
        assert refused.headers['Content-Range'] == f'bytes */{size}'
        assert refused.headers['Content-Length'] == '0'
    for unreadable in ('bytes=9-2', 'items=0-1', 'bytes=x-'):
        ignored = get(url, Range=unreadable)
        assert (ignored.status_code, ignored.content) == (200, DATA)


def test_head_tells_the_length_without_a_body(stored):
    _, url = stored
    whole = requests.head(url)
    assert whole.status_code == 200 and whole.content == b''
    assert whole.headers['Content-Length'] == str(len(DATA))
    part = requests.head(url, headers={'Range': 'bytes=100-199'})
    assert part.status_code == 206
    assert part.headers['Content-Length'] == '100'
    assert part.headers['Content-Range'] == f'bytes 100-199/{len(DATA)}'


def test_etag_and_last_modified_name_the_stored_version(sbg_emulator,
                                                        stored, tmp_path):
    file, url = stored
    first = get(url, Range='bytes=0-9')
    etag, modified = first.headers['ETag'], first.headers['Last-Modified']
    assert etag.startswith('"') and etag.endswith('"')
    assert modified.endswith(' GMT')
    again = requests.head(url)
    assert (again.headers['ETag'], again.headers['Last-Modified']) == \
        (etag, modified)
    # The same version: If-Range keeps the range.
    assert get(url, Range='bytes=0-9', **{'If-Range': etag}).status_code \
        == 206
    # The bytes are stored anew under the same file: a new version.
    replacement = tmp_path / 'replacement'
    replacement.write_bytes(DATA[::-1])
    os.replace(replacement, sbg_emulator.state.files.blob_path(file.id))
    changed = get(url, Range='bytes=0-9', **{'If-Range': etag})
    assert changed.status_code == 200 and changed.content == DATA[::-1]
    assert changed.headers['ETag'] != etag


def test_parallel_ranges_reassemble_the_object(sbg_api, project, tmp_path):
    data = os.urandom(3 * MIB + 17)
    url = upload(sbg_api, project, tmp_path, data).download_info().url
    step = len(data) // 32 + 1
    session = requests.Session()
    session.mount('http://', requests.adapters.HTTPAdapter(pool_maxsize=32))

    def fetch(start):
        end = min(start + step, len(data)) - 1
        answer = session.get(url, headers={'Range': f'bytes={start}-{end}'})
        assert answer.status_code == 206
        return answer.content

    with ThreadPoolExecutor(32) as pool:
        pieces = list(pool.map(fetch, range(0, len(data), step)))
    assert b''.join(pieces) == data


def test_one_connection_serves_several_requests(stored):
    _, url = stored
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    target = f'{parts.path}?{parts.query}'
    try:
        connection.request('GET', target, headers={'Range': 'bytes=0-3'})
        first_socket = connection.sock
        assert connection.getresponse().read() == DATA[:4]
        connection.request('HEAD', target)
        head = connection.getresponse()
        assert head.getheader('Content-Length') == str(len(DATA))
        assert head.read() == b''
        connection.request('GET', target, headers={'Range': 'bytes=-4'})
        assert connection.getresponse().read() == b'tail'
        assert connection.sock is first_socket
    finally:
        connection.close()


def test_only_signed_urls_without_tokens(sbg_emulator, stored):
    file, url = stored
    assert get(url, **{'X-SBG-Auth-Token': sbg_emulator.token}) \
        .status_code == 401
    assert get(url, Authorization='Bearer x').status_code == 401
    unsigned = url.split('?')[0]
    assert get(unsigned).status_code == 403
    assert get(url.replace('signature=', 'signature=0')).status_code == 403
    other = sbg_emulator.state.signer.sign(sbg_emulator.storage_url,
                                       '/files/no-such-file')
    missing = get(other)
    assert missing.status_code == 404
    assert missing.json()['message'] == 'No such storage object.'
    logged = [entry for entry in sbg_emulator.requests
              if entry['listener'] == 'storage'
              and 'X-SBG-Auth-Token' in entry['headers']]
    assert [entry['headers']['X-SBG-Auth-Token'] for entry in logged] == \
        ['*****']


def start_upload(api, project, size, part_size):
    init = api.post('/upload/multipart', data={
        'name': 'raw.bin', 'size': size, 'part_size': part_size,
        'project': project.id}).json()
    return init['upload_id']


def part_url(api, upload_id, number):
    return api.get(f'/upload/multipart/{upload_id}/part/{number}').json()[
        'url']


def report(api, upload_id, number, etag):
    api.post(f'/upload/multipart/{upload_id}/part/', data={
        'part_number': number, 'response': {'headers': {'ETag': etag}}})


def test_part_puts_answer_the_etag_the_complete_step_checks(sbg_api,
                                                            project):
    data = os.urandom(2 * 5 * MIB)
    upload_id = start_upload(sbg_api, project, len(data), 5 * MIB)
    etags = []
    for number in (1, 2):
        body = data[(number - 1) * 5 * MIB:number * 5 * MIB]
        # A client that waits for 100 Continue before its body.
        answer = requests.put(part_url(sbg_api, upload_id, number),
                              data=body, headers={'Expect': '100-continue'})
        assert answer.status_code == 200
        etags.append(answer.headers['ETag'].strip('"'))
    again = requests.put(part_url(sbg_api, upload_id, 2),
                         data=data[5 * MIB:])
    assert again.headers['ETag'].strip('"') not in etags  # a new version
    report(sbg_api, upload_id, 1, etags[0])
    report(sbg_api, upload_id, 2, etags[1])
    complete = f'/upload/multipart/{upload_id}/complete'
    with pytest.raises(errors.BadRequest, match='ETag of part 2'):
        sbg_api.post(complete)
    report(sbg_api, upload_id, 2, again.headers['ETag'].strip('"'))
    file_id = sbg_api.post(complete).json()['id']
    url = sbg_api.files.get(file_id).download_info().url
    assert requests.get(url).content == data


def test_bad_part_puts(sbg_emulator, sbg_api, project):
    upload_id = start_upload(sbg_api, project, 10, 5 * MIB)
    url = part_url(sbg_api, upload_id, 1)

    def chunks():
        yield b'12345'

    assert requests.put(url, data=chunks()).status_code == 411
    assert requests.put(url, data=b'12345', headers={
        'X-SBG-Auth-Token': sbg_emulator.token}).status_code == 401
    gone = sbg_emulator.state.signer.sign(sbg_emulator.storage_url,
                                      '/parts/no-such-upload/1')
    assert requests.put(gone, data=b'12345').status_code == 404
    bad = sbg_emulator.state.signer.sign(sbg_emulator.storage_url,
                                     f'/parts/{upload_id}/zero')
    assert requests.put(bad, data=b'1').status_code == 400
    # After a refused body, the connection still serves the next request.
    session = requests.Session()
    assert session.put(gone, data=os.urandom(MIB)).status_code == 404
    assert session.put(url, data=b'12345').status_code == 200


def test_storage_faults_disturb_raw_requests(sbg_emulator, stored):
    _, url = stored
    faults = sbg_emulator.faults
    faults.add(listener='storage', method='GET', status=429, times=1)
    limited = get(url)
    assert limited.status_code == 429
    assert limited.json()['message'] == 'Too many requests.'
    assert 'X-RateLimit-Reset' in limited.headers
    faults.add(listener='storage', method='GET', truncate=True, times=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        get(url)
    faults.add(listener='storage', method='HEAD', drop=True, times=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.head(url)
    faults.add(listener='storage', path='/files/', probability=0.0,
               status=500, times=None)
    faults.add(listener='storage', delay=0.01, times=1)
    assert get(url).content == DATA
    storage = [(entry['method'], entry['path'])
               for entry in sbg_emulator.requests
               if entry['listener'] == 'storage']
    path = urlsplit(url).path
    assert storage[-4:] == [('GET', path), ('GET', path), ('HEAD', path),
                            ('GET', path)]


def test_stop_ends_open_connections(tmp_path):
    emulator = Emulator().start()
    url = emulator.state.signer.sign(emulator.storage_url, '/files/none')
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port)
    connection.request('GET', f'{parts.path}?{parts.query}')
    assert connection.getresponse().read()  # the 404 body; kept alive
    emulator.stop()
    connection.sock.settimeout(5)
    assert connection.sock.recv(1) == b''
    connection.close()


def test_tls_with_a_data_dir_that_does_not_exist_yet(tmp_path):
    state = tmp_path / 'new' / 'state'
    data = os.urandom(6 * MIB + 3)
    with Emulator(tls=True, data_dir=str(state)) as emulator:
        assert emulator.storage_url.startswith('https://')
        assert os.path.dirname(emulator.ca_cert) == str(state)
        api = emulator.api()
        group = api.billing_groups.query()[0]
        project = api.projects.create(name='tls', billing_group=group)
        uploaded = upload(api, project, tmp_path, data,
                          part_size=5 * MIB)
        target = tmp_path / 'back.bin'
        uploaded.download(str(target), chunk_size=5 * MIB)
        assert target.read_bytes() == data
        answer = requests.get(uploaded.download_info().url,
                              headers={'Range': 'bytes=-3'},
                              verify=emulator.ca_cert)
        assert (answer.status_code, answer.content) == (206, data[-3:])


def test_network_profile_keeps_bytes_identical(tmp_path):
    data = os.urandom(3 * 5 * MIB + 5)
    with Emulator(storage_rate=256, storage_latency=5,
                  storage_aggregate_rate=512.5) as emulator:
        assert emulator.storage_profile.as_dict() == {
            'rate_mib_s': 256.0, 'latency_ms': 5.0,
            'aggregate_rate_mib_s': 512.5}
        api = emulator.api()
        group = api.billing_groups.query()[0]
        project = api.projects.create(name='paced', billing_group=group)
        uploaded = upload(api, project, tmp_path, data, part_size=5 * MIB)
        target = tmp_path / 'back.bin'
        uploaded.download(str(target), chunk_size=5 * MIB)
        assert target.read_bytes() == data


@pytest.mark.parametrize('settings, error, message', [
    ({'storage_rate': 0}, ValueError, 'storage_rate must be a finite number '
                                      'more than 0, not 0'),
    ({'storage_rate': float('inf')}, ValueError, 'storage_rate must be'),
    ({'storage_aggregate_rate': -5}, ValueError, 'storage_aggregate_rate'),
    ({'storage_latency': -1}, ValueError, 'storage_latency must be a finite '
                                          'number at least 0, not -1'),
    ({'storage_rate': '64'}, TypeError, "storage_rate must be a number, not "
                                        "'64'"),
    ({'storage_latency': True}, TypeError, 'storage_latency must be a '
                                           'number'),
])
def test_network_profile_settings_are_checked(settings, error, message):
    with pytest.raises(error, match=message):
        Emulator(**settings)


def test_command_line_profile_errors_name_the_option(capsys):
    with pytest.raises(SystemExit) as exited:
        emulator_main(['--storage-aggregate-rate', '0'])
    assert exited.value.code == 2
    assert '--storage-aggregate-rate must be a finite number more than 0' \
        in capsys.readouterr().err


def test_command_line_reports_the_profile(tmp_path):
    process = subprocess.Popen(
        [sys.executable, '-m', 'sevenbridges.emulator', '--storage-rate',
         '64', '--storage-latency', '25', '--data-dir', str(tmp_path)],
        stdout=subprocess.PIPE, text=True)
    try:
        reader = threading.Thread(target=lambda: lines.append(
            process.stdout.readline()), daemon=True)
        lines = []
        reader.start()
        reader.join(60)
        ready = json.loads(lines[0])
    finally:
        process.terminate()
        process.wait(30)
    assert ready['storage_profile'] == {'rate_mib_s': 64.0,
                                       'latency_ms': 25.0,
                                       'aggregate_rate_mib_s': None}
    assert ready['storage_url'].startswith('http://127.0.0.1:')


def test_without_sendfile_nor_pwrite(monkeypatch, tmp_path):
    """Where ``os.sendfile`` and ``os.pwrite`` do not exist (Windows), bodies
    go through buffers."""
    monkeypatch.delattr(os, 'sendfile')
    monkeypatch.delattr(os, 'pwrite')
    data = os.urandom(2 * 5 * MIB + 7)
    with Emulator() as emulator:
        api = emulator.api()
        group = api.billing_groups.query()[0]
        project = api.projects.create(name='portable', billing_group=group)
        uploaded = upload(api, project, tmp_path, data, part_size=5 * MIB)
        url = uploaded.download_info().url
        assert requests.get(url).content == data
        answer = requests.get(url, headers={'Range': f'bytes={5 * MIB}-'})
        assert answer.content == data[5 * MIB:]


def raw_exchange(emulator, request_bytes):
    """Send raw bytes to the storage listener; everything it answers until
    it closes the connection."""
    parts = urlsplit(emulator.storage_url)
    with socket.create_connection((parts.hostname, parts.port), 10) as sock:
        sock.sendall(request_bytes)
        answer = b''
        while True:
            chunk = sock.recv(65536)
            if not chunk:
                return answer
            answer += chunk


def test_malformed_requests_get_400_and_the_connection_ends(sbg_emulator):
    for request_bytes in (b'NOT HTTP\r\n\r\n',
                          b'GET /files/x HTTP/2.0\r\n\r\n',
                          b'PUT /parts/x/1 HTTP/1.1\r\nContent-Length: ten'
                          b'\r\n\r\n',
                          b'GET /files/x HTTP/1.1\r\nNo colon here\r\n\r\n'):
        answer = raw_exchange(sbg_emulator, request_bytes)
        head, _, body = answer.partition(b'\r\n\r\n')
        assert head.startswith(b'HTTP/1.1 400 Bad Request\r\n')
        assert b'Connection: close' in head
        assert json.loads(body)['status'] == 400


def test_connection_close_is_honoured(sbg_emulator, stored):
    _, url = stored
    parts = urlsplit(url)
    request_bytes = (f'GET {parts.path}?{parts.query} HTTP/1.1\r\n'
                     f'Range: bytes=0-3\r\nConnection: close\r\n\r\n')
    answer = raw_exchange(sbg_emulator, request_bytes.encode())
    head, _, body = answer.partition(b'\r\n\r\n')
    assert head.startswith(b'HTTP/1.1 206 Partial Content\r\n')
    assert b'Connection: close' in head and body == DATA[:4]
