"""The storage listener's application: signed, expiring URLs only, and
never a request that carries the API token.

- ``PUT /parts/<upload id>/<part number>`` stores a part of a multipart
  upload and answers its ``ETag`` (the client reports
  it back; the complete step checks it);
- ``GET``/``HEAD /files/<file id>`` serve a file's bytes, whole (200) or
  one range (206 and ``Content-Range``; 416 and ``bytes */size`` past the
  end), with ``ETag`` and ``Last-Modified`` of the stored version;
  ``If-Range`` with another version serves the whole object.

It is served by a small threaded server of its own
(:class:`~sevenbridges.emulator.http.storage_server.StorageServer`)
rather than WSGI: bodies go out with ``sendfile`` and come in through one
buffer per part, so that 16-32 parallel transfers move as fast as one. The
fault rules of listener ``storage`` and the request log apply as on the API
listener, and a
:class:`~sevenbridges.emulator.http.network.StorageProfile` paces the
bytes.
"""
import email.utils
import logging
import os
import time
from urllib.parse import parse_qs

from sevenbridges.emulator.http.faults import (
    error_body,
    error_headers,
    log_entry,
)
from sevenbridges.emulator.http.messages import (
    Answer,
    Body,
    error_answer,
    json_answer,
)
from sevenbridges.emulator.http.network import StorageProfile
from sevenbridges.emulator.state.errors import ApiError

logger = logging.getLogger(__name__)

OCTETS = ('Content-Type', 'application/octet-stream')


def parse_range(value, size):
    """The ``(start, end)`` (inclusive) a ``Range`` header asks of ``size``
    bytes: ``None`` to serve the whole object (no header, or one this
    listener does not read), ``()`` when it cannot be satisfied. Of several
    ranges the first is served."""
    if not value or not value.startswith('bytes='):
        return None
    first = value[len('bytes='):].split(',')[0].strip()
    start_text, dash, end_text = first.partition('-')
    if not dash or not (start_text or end_text) or \
            not all(text.isdigit() for text in (start_text, end_text)
                    if text):
        return None
    if not start_text:  # the last N bytes
        suffix = int(end_text)
        if suffix == 0 or size == 0:
            return ()
        return max(size - suffix, 0), size - 1
    start = int(start_text)
    if end_text and int(end_text) < start:
        return None
    if start >= size:
        return ()
    return start, min(int(end_text) if end_text else size - 1, size - 1)


def version_of(stat):
    """The ``ETag`` and ``Last-Modified`` of a stored object's version: the
    ETag changes whenever the bytes are stored anew (it is made of the
    file's identity, modification time and size; no byte is hashed)."""
    etag = f'"{stat.st_ino:x}-{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    return etag, email.utils.formatdate(stat.st_mtime, usegmt=True)


class StorageService:
    """What the storage listener answers, request by request.

    :param uploads: the :class:`~sevenbridges.emulator.state.uploads.Uploads`
        parts go to.
    :param files: the :class:`~sevenbridges.emulator.state.files.Files`
        served.
    :param signer: the
        :class:`~sevenbridges.emulator.state.signing.UrlSigner` that
        checks URLs.
    :param faults: the :class:`~sevenbridges.emulator.http.faults.Faults`.
    :param log: the request log (a list).
    :param profile: the network profile.
    """

    def __init__(self, uploads, files, signer, faults, log, profile=None):
        self.uploads = uploads
        self.files = files
        self.signer = signer
        self.faults = faults
        self.log = log
        self.profile = profile or StorageProfile()

    def handle(self, connection, request):
        """Answer one request; ``False`` when the connection must end."""
        self.log.append(log_entry('storage', request.method, request.path,
                                  request.query, request.header))
        rule = self.faults.take('storage', request.method, request.path)
        if rule is not None and rule.delay:
            time.sleep(rule.delay)
        body = Body(connection, request, self.profile.slicer())
        if rule is not None and rule.drop:
            # Read the request first: a client still sending its body would
            # otherwise wait for the server instead of seeing the drop.
            body.finish()
            connection.shut()
            return False
        if rule is not None and rule.status:
            answer = json_answer(rule.status, error_body(rule.status),
                                 error_headers(rule.status))
        else:
            self.profile.wait_first_byte()
            answer = self._answer(request, body)
        # A body left unread (an error came first) is read and forgotten.
        keep = body.finish() and request.keep_alive
        connection.send(answer, self.profile.slicer(), close=not keep,
                        truncate=rule is not None and rule.truncate,
                        head=request.method == 'HEAD')
        return keep and not (rule is not None and rule.truncate)

    def _answer(self, request, body):
        if request.header('X-SBG-Auth-Token') or \
                request.header('X-SBG-Session-Id') or \
                request.header('Authorization') or \
                request.header('X-SBG-Session-Id'):
            return error_answer(401, 'Storage URLs do not take API tokens.')
        query = parse_qs(request.query)
        if not self.signer.check(
                request.path, (query.get('expires') or [None])[0],
                (query.get('signature') or [None])[0]):
            return error_answer(403, 'The URL is expired or not signed.')
        parts = request.path.strip('/').split('/')
        try:
            if parts[0] == 'parts' and len(parts) == 3 and \
                    request.method == 'PUT':
                return self._store(request, body, parts[1], parts[2])
            if parts[0] == 'files' and len(parts) == 2 and \
                    request.method in ('GET', 'HEAD'):
                return self._serve(request, parts[1])
        except ApiError as error:
            return error_answer(error.status, error.message)
        except ConnectionError:
            raise  # the client left: no one to answer
        except OSError as error:
            logger.exception('Storage request failed')
            return error_answer(500, f'Storage failed: {error}')
        return error_answer(404, 'No such storage object.')

    def _store(self, request, body, upload_id, number):
        if request.chunked:
            return error_answer(411, 'A part needs a Content-Length.')
        if not number.isdigit() or int(number) < 1:
            return error_answer(400, f'Bad part number {number!r}.')
        etag = self.uploads.store_part(upload_id, int(number), body,
                                       request.content_length)
        return Answer(200, [('ETag', f'"{etag}"')])

    def _serve(self, request, file_id):
        try:
            handle = open(self.files.blob_path(file_id), 'rb')
        except OSError:
            return error_answer(404, 'No such storage object.')
        try:
            stat = os.fstat(handle.fileno())
            size = stat.st_size
            etag, modified = version_of(stat)
            headers = [OCTETS, ('ETag', etag), ('Last-Modified', modified),
                       ('Accept-Ranges', 'bytes')]
            wanted = parse_range(request.header('Range'), size)
            if request.header('If-Range', etag) not in (etag, modified):
                wanted = None  # another version: the whole object
            if wanted == ():
                handle.close()
                return Answer(416, headers + [
                    ('Content-Range', f'bytes */{size}')])
            if wanted is None:
                return Answer(200, headers, (handle, 0, size), size)
            start, end = wanted
            headers.append(('Content-Range', f'bytes {start}-{end}/{size}'))
            return Answer(206, headers, (handle, start, end - start + 1),
                          end - start + 1)
        except BaseException:
            handle.close()
            raise
