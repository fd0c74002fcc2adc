"""The storage listener's server: a thread per connection, its requests
answered by the storage listener's application
(:class:`~sevenbridges.emulator.api.storage.StorageService`)."""
from sevenbridges.emulator.http.connections import ConnectionServer
from sevenbridges.emulator.http.messages import BadRequest, error_answer


class StorageServer(ConnectionServer):
    """The storage listener: a thread per connection.

    :param host: the address to listen on.
    :param port: the port (0 picks a free one).
    :param service: what answers requests: its ``handle(connection,
        request)`` answers one (``False`` when the connection must end),
        its ``profile`` paces the bytes.
    :param ssl_context: serve TLS with this server context.
    """

    def __init__(self, host, port, service, ssl_context=None):
        self.service = service
        super().__init__(host, port, ssl_context)

    def serve(self, connection):
        service = self.service
        keep = True
        while keep:
            try:
                request = connection.read_request()
                keep = request is not None and service.handle(connection,
                                                              request)
            except BadRequest as error:
                connection.send(error_answer(400, str(error)),
                                service.profile.slicer(), close=True)
                return
