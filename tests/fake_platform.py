"""A small real HTTP stand-in for the platform's upload/download protocol,
for the transfer tests (``tests/transfer``).

Why it stays beside the emulator (``tests/transfer/test_emulator_transfers
.py`` and the e2e tests run transfers against the emulator, with its
faults, request log and storage profile): these tests make the storage
misbehave in ways a faithful platform never does, and that the emulator
therefore has no switch for, while the SDK must survive each of them:
storage that ignores ``Range`` and sends the whole object
(``ignore_range``), objects without ``ETag`` and ``Last-Modified``
(``versioned``), an object replaced under the same id in the middle of a
download (``replace``), a platform that answers another part size than the
one asked (``suggested_part_size``), a raw body on a storage error
(``body``); they also read state that only a stand-in shows: the most
storage requests in flight (``peak_in_flight``, the bound of the part
window) and an upload's stored and reported parts (``uploads``). It
starts in milliseconds, once for every test, and every transfer test runs
twice (with and without ``os.pread``/``os.pwrite``). Tests that need only
what the real platform does belong with the emulator.

Two listeners on loopback: the API (``/v2/...``: multipart uploads, code
package uploads, download info) and the storage (signed, expiring part and
object URLs that refuse any request carrying the API token). Bytes live in
files in a folder, so large transfers use little memory. Faults can be
injected per storage method, and every request is logged. Objects are served
with an ``ETag`` and a ``Last-Modified`` (unless ``versioned`` is false);
``peak_in_flight`` counts the most storage requests served at once.
"""
import hashlib
import json
import os
import re
import shutil
import threading
import time
import uuid
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CHUNK = 1024 * 1024


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass  # clients that hang up (stopped transfers) are expected


class FakePlatform:
    """Start with ``with FakePlatform(folder) as platform:``; then
    ``platform.url`` is the API base and ``platform.token`` the token."""

    def __init__(self, folder, token='TOKEN', part_size=None,
                 url_lifetime=300):
        self.folder = str(folder)
        self.token = token
        self.suggested_part_size = part_size
        self.url_lifetime = url_lifetime
        self.versioned = True
        self.in_flight = 0
        self.peak_in_flight = 0
        self.uploads = {}
        self.files = {}
        self.log = []
        self.faults = []
        self.lock = threading.Lock()
        self.secret = uuid.uuid4().hex
        os.makedirs(os.path.join(self.folder, 'objects'), exist_ok=True)
        os.makedirs(os.path.join(self.folder, 'parts'), exist_ok=True)

    # -- lifecycle -------------------------------------------------------------

    def __enter__(self):
        self.api_server = _Server(('127.0.0.1', 0), self._handler('api'))
        self.storage_server = _Server(('127.0.0.1', 0),
                                      self._handler('storage'))
        for server in (self.api_server, self.storage_server):
            threading.Thread(target=server.serve_forever, args=(0.05,),
                             daemon=True).start()
        self.url = f'http://127.0.0.1:{self.api_server.server_port}/v2'
        self.storage = f'http://127.0.0.1:{self.storage_server.server_port}'
        return self

    def __exit__(self, *exc):
        for server in (self.api_server, self.storage_server):
            server.shutdown()
            server.server_close()

    # -- helpers for tests ----------------------------------------------------------

    def add_file(self, name, content):
        """Store a file; return its id."""
        file_id = uuid.uuid4().hex[:24]
        self.files[file_id] = {'id': file_id, 'name': name}
        self.replace(file_id, content)
        return file_id

    def replace(self, file_id, content):
        """Store new bytes under an existing id (a new version)."""
        with open(self._object(file_id), 'wb') as fp:
            fp.write(content)
        self.files[file_id].update(size=len(content),
                                   etag=uuid.uuid4().hex,
                                   modified=time.time())

    def content(self, file_id):
        with open(self._object(file_id), 'rb') as fp:
            return fp.read()

    def fail(self, listener, method, path_pattern, status, times=1,
             delay=0.0, truncate=False, ignore_range=False, body=None):
        """Disturb the next ``times`` matching requests: answer ``status``
        (unless ``None``; with ``body`` as it is, if given), after
        ``delay`` seconds; storage downloads can send half their body
        (``truncate``) or the whole object whatever the range
        (``ignore_range``)."""
        with self.lock:
            self.faults.append({'listener': listener, 'method': method,
                                'pattern': re.compile(path_pattern),
                                'status': status, 'times': times,
                                'delay': delay, 'truncate': truncate,
                                'ignore_range': ignore_range, 'body': body})

    def requests(self, listener=None, method=None, pattern=''):
        return [entry for entry in self.log
                if (listener is None or entry['listener'] == listener)
                and (method is None or entry['method'] == method)
                and re.search(pattern, entry['path'])]

    # -- internals -----------------------------------------------------------------

    def _object(self, file_id):
        return os.path.join(self.folder, 'objects', file_id)

    def _part(self, upload_id, number):
        return os.path.join(self.folder, 'parts', upload_id, str(number))

    def _sign(self, path):
        expires = int(time.time()) + self.url_lifetime
        signature = hashlib.sha256(
            f'{self.secret}{path}{expires}'.encode()).hexdigest()[:20]
        return f'{self.storage}{path}?expires={expires}&sig={signature}'

    def _valid_signature(self, path, query):
        try:
            expires = int(query['expires'][0])
            signature = query['sig'][0]
        except (KeyError, ValueError):
            return False
        expected = hashlib.sha256(
            f'{self.secret}{path}{expires}'.encode()).hexdigest()[:20]
        return signature == expected and expires >= time.time()

    def _take_fault(self, listener, method, path):
        with self.lock:
            for fault in self.faults:
                if (fault['listener'] == listener and fault['method'] ==
                        method and fault['pattern'].search(path)
                        and fault['times'] > 0):
                    fault['times'] -= 1
                    return fault
        return None

    def _handler(self, listener):
        platform = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = 'HTTP/1.1'

            def log_message(self, *args):
                pass

            def _handle(self):
                if listener == 'api':
                    return self._answer()
                with platform.lock:
                    platform.in_flight += 1
                    platform.peak_in_flight = max(platform.peak_in_flight,
                                                  platform.in_flight)
                try:
                    return self._answer()
                finally:
                    with platform.lock:
                        platform.in_flight -= 1

            def _answer(self):
                parts = urlsplit(self.path)
                query = parse_qs(parts.query)
                platform.log.append({
                    'listener': listener, 'method': self.command,
                    'path': parts.path, 'query': query,
                    'headers': dict(self.headers)})
                fault = platform._take_fault(listener, self.command,
                                             parts.path)
                if fault:
                    time.sleep(fault['delay'])
                    if fault['status'] and fault['body'] is not None:
                        self._drain()
                        return self._raw(fault['status'], fault['body'])
                    if fault['status']:
                        self._drain()
                        return self._json(fault['status'],
                                          {'message': 'injected fault'})
                if listener == 'api':
                    return platform._api(self, parts.path, query)
                return platform._storage(self, parts.path, query, fault)

            do_GET = do_PUT = do_POST = do_DELETE = do_PATCH = _handle

            def _drain(self):
                length = int(self.headers.get('Content-Length') or 0)
                while length > 0:
                    length -= len(self.rfile.read(min(CHUNK, length)))

            def body(self):
                length = int(self.headers.get('Content-Length') or 0)
                raw = self.rfile.read(length) if length else b''
                return json.loads(raw) if raw else None

            def _raw(self, status, data):
                self.send_response(status)
                self.send_header('Content-Type', 'text/html')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _json(self, status, payload, headers=None):
                data = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                for key, value in (headers or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(data)

        return Handler

    # -- the API ---------------------------------------------------------------------

    def _api(self, handler, path, query):
        if handler.headers.get('X-SBG-Auth-Token') != self.token:
            handler._drain()
            return handler._json(401, {'message': 'Unauthorized'})
        body = handler.body()
        self.log[-1]['body'] = body
        match = re.fullmatch(r'/v2(/automation)?/upload(?:/multipart)?'
                             r'(?:/(\w+))?(?:/(part|complete))?/?(\d*)', path)
        info = re.fullmatch(r'/v2/files/(\w+)/download_info', path)
        if info and handler.command == 'GET':
            return handler._json(200, {'url': self._sign(
                f'/objects/{info.group(1)}')})
        if not match:
            return handler._json(404, {'message': f'No route {path}'})
        _, upload_id, action, number = match.groups()
        command = handler.command
        if upload_id is None and command == 'POST':
            return self._init(handler, body, query)
        upload = self.uploads.get(upload_id)
        if upload is None:
            return handler._json(404, {'message': 'Upload not found'})
        if action is None and command == 'GET':
            return handler._json(200, {'upload_id': upload_id,
                                       'name': upload['name']})
        if action is None and command == 'DELETE':
            self.uploads.pop(upload_id, None)
            shutil.rmtree(os.path.join(self.folder, 'parts', upload_id),
                          ignore_errors=True)
            return handler._json(200, {})
        if action == 'part' and command == 'GET' and number:
            return handler._json(200, {'url': self._sign(
                f'/parts/{upload_id}/{number}'), 'method': 'PUT'})
        if action == 'part' and command == 'POST' and not number:
            upload['reported'][body['part_number']] = \
                body['response']['headers']['ETag']
            return handler._json(200, {})
        if action == 'complete' and command == 'POST':
            return self._complete(handler, upload_id, upload)
        return handler._json(400, {'message': 'Bad request'})

    def _init(self, handler, body, query):
        upload_id = uuid.uuid4().hex
        part_size = self.suggested_part_size or body['part_size']
        self.uploads[upload_id] = dict(body, part_size=part_size,
                                       reported={}, stored={},
                                       overwrite=query.get('overwrite'))
        os.makedirs(os.path.join(self.folder, 'parts', upload_id))
        with open(self._part(upload_id, 'data'), 'wb') as fp:
            fp.truncate(body['size'])
        answer = {'upload_id': upload_id}
        if self.suggested_part_size:
            answer['part_size'] = self.suggested_part_size
        return handler._json(200, answer)

    def _complete(self, handler, upload_id, upload):
        size, part_size = upload['size'], upload['part_size']
        count = max(1, -(-size // part_size))
        for number in range(1, count + 1):
            stored = upload['stored'].get(number)
            if stored is None:
                return handler._json(400, {'message': f'part {number} '
                                                      f'missing'})
            if upload['reported'].get(number) != stored:
                return handler._json(400, {'message': f'ETag of part '
                                                      f'{number}'})
        data = self._part(upload_id, 'data')
        if os.path.getsize(data) != size:
            return handler._json(400, {'message': 'size mismatch'})
        file_id = uuid.uuid4().hex[:24]
        os.replace(data, self._object(file_id))
        self.files[file_id] = {'id': file_id, 'name': upload['name'],
                               'size': size, 'etag': uuid.uuid4().hex,
                               'modified': time.time()}
        self.uploads.pop(upload_id)
        return handler._json(200, {'id': file_id, 'name': upload['name'],
                                   'size': size, 'type': 'file',
                                   'project': upload.get('project')})

    # -- the storage -------------------------------------------------------------------

    def _storage(self, handler, path, query, fault):
        if handler.headers.get('X-SBG-Auth-Token') or \
                handler.headers.get('Authorization'):
            handler._drain()
            return handler._json(401, {'message': 'token sent to storage'})
        if not self._valid_signature(path, query):
            handler._drain()
            return handler._json(403, {'message': 'expired or bad URL'})
        part = re.fullmatch(r'/parts/(\w+)/(\d+)', path)
        if part and handler.command == 'PUT':
            upload_id, number = part.groups()
            upload = self.uploads.get(upload_id)
            if upload is None:
                handler._drain()
                return handler._json(404, {'message': 'no such upload'})
            length = int(handler.headers.get('Content-Length') or 0)
            offset = (int(number) - 1) * upload['part_size']
            digest = hashlib.md5()
            # seek and write: tests remove os.pwrite (see file_io)
            with open(self._part(upload_id, 'data'), 'r+b') as fp:
                fp.seek(offset)
                left = length
                while left > 0:
                    chunk = handler.rfile.read(min(CHUNK, left))
                    if not chunk:
                        break
                    fp.write(chunk)
                    left -= len(chunk)
                    digest.update(chunk)
            upload['stored'][int(number)] = digest.hexdigest()
            handler.send_response(200)
            handler.send_header('ETag', f'"{digest.hexdigest()}"')
            handler.send_header('Content-Length', '0')
            handler.end_headers()
            return None
        obj = re.fullmatch(r'/objects/(\w+)', path)
        if obj and handler.command == 'GET':
            return self._serve(handler, obj.group(1), fault)
        return handler._json(404, {'message': 'no such storage path'})

    def _serve(self, handler, file_id, fault):
        target = self._object(file_id)
        size = os.path.getsize(target)
        start, end = 0, size - 1
        status = 200
        wanted = re.fullmatch(r'bytes=(\d+)-(\d*)',
                              handler.headers.get('Range', ''))
        if fault and fault.get('ignore_range'):
            wanted = None
        if wanted:
            start = int(wanted.group(1))
            end = min(int(wanted.group(2) or size - 1), size - 1)
            if start >= size:
                handler.send_response(416)
                handler.send_header('Content-Range', f'bytes */{size}')
                handler.send_header('Content-Length', '0')
                self._version_headers(handler, file_id)
                handler.end_headers()
                return None
            status = 206
        length = end - start + 1
        handler.send_response(status)
        if status == 206:
            handler.send_header('Content-Range', f'bytes {start}-{end}/{size}')
        handler.send_header('Content-Length', str(length))
        self._version_headers(handler, file_id)
        handler.end_headers()
        if fault and fault.get('truncate'):
            length = length // 2
            handler.close_connection = True
        with open(target, 'rb') as fp:
            fp.seek(start)
            while length > 0:
                chunk = fp.read(min(CHUNK, length))
                handler.wfile.write(chunk)
                length -= len(chunk)
        return None

    def _version_headers(self, handler, file_id):
        known = self.files.get(file_id)
        if self.versioned and known:
            handler.send_header('ETag', f'"{known["etag"]}"')
            handler.send_header('Last-Modified',
                                formatdate(known['modified'], usegmt=True))
