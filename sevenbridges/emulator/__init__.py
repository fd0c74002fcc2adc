"""A local emulator of the Seven Bridges platform: a real HTTP server on
loopback with real state, so that scripts, notebooks and tests run offline.

Three ways to start it:

- ``python -m sevenbridges.emulator [--port 0] [--data-dir DIR] [--token T]``
  prints one JSON line (``url``, ``token``, ``session_id``,
  ``storage_url``, ``storage_profile``) and serves until interrupted;
- in Python::

      from sevenbridges.emulator import Emulator
      with Emulator() as emu:
          api = emu.api()
          print(api.users.me())

- in pytest, with the fixtures ``sbg_emulator`` and ``sbg_api`` (each test
  gets its own state).
"""
import logging
import os
import shutil
import tempfile
import threading

logger = logging.getLogger(__name__)

__all__ = ['Emulator']


class Emulator:
    """A running emulator: the API and the storage listeners, the state and
    the task runner.

    :param host: the loopback address to listen on.
    :param port: the API port (0 picks a free one).
    :param data_dir: keep the state here across restarts (default: a
        temporary folder removed on exit).
    :param token: the token of the default user ``rfranklin``.
    :param task_seconds: how long tasks stay queued, then running.
    :param rate_limit: ``(requests, seconds)`` allowed per token.
    :param faults: a JSON file of fault rules to start with.
    :param tls: serve https with a certificate made at start (its CA is
        :attr:`ca_cert`; :meth:`api` trusts it).
    :param preload: a JSON file (or a dict) of users, billing groups,
        projects, files and apps to create at start (see
        :mod:`sevenbridges.emulator.state.preload`).
    :param storage_rate: the storage listener's bandwidth per connection,
        MiB/s (default: no cap).
    :param storage_latency: milliseconds each storage request waits before
        its body is read and its answer starts (default: none).
    :param storage_aggregate_rate: the storage listener's bandwidth over all
        connections, MiB/s (default: no cap).
    :param engine: what runs tasks: ``'auto'`` (cwltool when it can run
        the app here, else the simulation), ``'simulated'`` or
        ``'cwltool'`` (see :mod:`sevenbridges.emulator.engines`).
    :param no_container: run tools that require a container on the host
        (by default they need a working docker, podman or singularity).
    :param max_parallel_runs: how many real runs at once (default: the
        number of cores).
    :param instance_limit: how many tasks a user runs at once, the
        platform's limit on parallel instances (default: 25); the others
        stay ``QUEUED``.
    :raises TypeError: a storage or engine setting of the wrong type.
    :raises ValueError: a storage rate that is not positive, a negative
        latency, an unknown engine (or ``cwltool`` when it is not
        installed), ``max_parallel_runs`` or ``instance_limit`` below 1.

    ``emu.storage_profile`` is the storage network profile
    (:class:`~sevenbridges.emulator.http.network.StorageProfile`).
    ``emu.faults`` takes fault rules
    (:mod:`sevenbridges.emulator.http.faults`);
    ``emu.requests`` is the log of every request (listener, method, path,
    query, selected headers with credentials masked; on the API listener
    also the ``status`` answered and the ``fault`` injected, if any).
    ``emu.task_failures`` takes rules of simulated task failures
    (:mod:`sevenbridges.emulator.engines.failures`).
    Once started, ``emu.state`` is the emulated platform, a service per
    family (:class:`~sevenbridges.emulator.wiring.State`).
    """

    def __init__(self, host='127.0.0.1', port=0, data_dir=None, token=None,
                 task_seconds=0.2, rate_limit=(10000, 300), faults=None,
                 tls=False, preload=None, storage_rate=None,
                 storage_latency=None, storage_aggregate_rate=None,
                 engine='auto', no_container=False, max_parallel_runs=None,
                 instance_limit=25):
        from sevenbridges.emulator.engines import EngineSettings
        from sevenbridges.emulator.engines.failures import TaskFailures
        from sevenbridges.emulator.http.faults import Faults
        from sevenbridges.emulator.http.network import StorageProfile
        from sevenbridges.emulator.state.common import DEFAULT_TOKEN
        self.storage_profile = StorageProfile(
            storage_rate, storage_latency, storage_aggregate_rate)
        self.engine_settings = EngineSettings(engine, no_container,
                                              max_parallel_runs,
                                              instance_limit)
        self.task_failures = TaskFailures()
        self.faults = Faults()
        if faults:
            self.faults.load(faults)
        self.requests = []
        self.rate_limit = rate_limit
        self.tls = tls
        self.ca_cert = None
        self.preload = preload
        self.host = host
        self.port = port
        self._own_dir = data_dir is None
        self.data_dir = data_dir
        self.token = token or DEFAULT_TOKEN
        self.task_seconds = task_seconds
        self._servers = []

    def start(self):
        """Start serving; returns the emulator."""
        from sevenbridges.emulator import wiring
        from sevenbridges.emulator.http.faults import Middleware
        from sevenbridges.emulator.http.storage_server import StorageServer
        from sevenbridges.emulator.http.wsgi import WsgiServer
        if self._own_dir:
            self.data_dir = tempfile.mkdtemp(prefix='sbg-emulator-')
        else:
            os.makedirs(self.data_dir, exist_ok=True)
        ssl_context = self._ssl_context() if self.tls else None
        scheme = 'https' if self.tls else 'http'
        try:
            self.state = wiring.build(self.data_dir, self.token,
                                      self.task_seconds,
                                      self.engine_settings, self.preload,
                                      self.task_failures)
        except Exception:
            if self._own_dir:
                shutil.rmtree(self.data_dir, ignore_errors=True)
            raise
        storage = StorageServer(
            self.host, 0, wiring.storage_service(
                self.state, self.faults, self.requests,
                self.storage_profile),
            ssl_context=ssl_context)
        self.storage_url = f'{scheme}://{self.host}:{storage.server_port}'
        api_app = wiring.api_app(self.state, self.storage_url, self.faults,
                                 self.rate_limit)
        api = WsgiServer(
            self.host, self.port,
            Middleware(api_app, 'api', self.faults, self.requests),
            ssl_context=ssl_context)
        self.url = f'{scheme}://{self.host}:{api.server_port}/v2'
        self._servers = [api, storage]
        for server in self._servers:
            # A short poll interval: stop() returns at once.
            threading.Thread(target=server.serve_forever, daemon=True,
                             kwargs={'poll_interval': 0.05},
                             name='emulator-http').start()
        self.state.runner.start()
        logger.info('Emulator serving %s (storage %s, %s)', self.url,
                    self.storage_url, self.storage_profile)
        return self

    def _ssl_context(self):
        """A server context with a certificate for the host, signed by a CA
        made now (written to :attr:`ca_cert`)."""
        import ssl

        import trustme
        authority = trustme.CA()
        certificate = authority.issue_cert(self.host, 'localhost')
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        certificate.configure_cert(context)
        self.ca_cert = os.path.join(self.data_dir, 'emulator-ca.pem')
        authority.cert_pem.write_to_path(self.ca_cert)
        return context

    def stop(self):
        """Stop serving; a temporary data directory is removed."""
        for server in self._servers:
            server.shutdown()
            server.server_close()
        self._servers = []
        self.state.runner.stop()
        self.state.close()
        if self._own_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def session_id(self, username='rfranklin'):
        """A session id of ``username``, as the platform gives code that
        runs inside it (Data Studio's ``SESSION_ID``): a client sends it
        as ``X-SBG-Session-Id`` when ``api._session_id`` is set. The same
        id each time, kept with the state.

        :raises ValueError: an unknown or disabled user.
        """
        from sevenbridges.emulator.state.errors import ApiError
        try:
            return self.state.users.session_id(username)
        except ApiError as error:
            raise ValueError(f'username: {error.message}') from None

    def api(self, token=None, **kwargs):
        """An :class:`~sevenbridges.api.Api` client of this emulator."""
        from sevenbridges.api import Api
        api = Api(url=self.url, token=token or self.token, **kwargs)
        if self.ca_cert:
            # Trust the emulator's CA (and not a CA bundle of the
            # environment, which requests would prefer).
            api.session.verify = self.ca_cert
            api.session.trust_env = False
        return api
