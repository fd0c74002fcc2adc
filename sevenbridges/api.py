"""The entry point of the SDK: :class:`Api`."""
import importlib
import logging
from concurrent.futures import ThreadPoolExecutor

from requests.adapters import DEFAULT_POOLSIZE

from sevenbridges.http.client import HttpClient, check_url_security

logger = logging.getLogger(__name__)


class ResourceAttribute:
    """A resource class exposed on :class:`Api` (``api.files``, ...).

    The model module is imported on first use. Reading the attribute through
    an ``Api`` instance binds the class to that instance, so that
    ``api.files.query(...)`` runs with ``api``; reading it through the class
    (``Api.files``) returns the class unchanged.
    """

    def __init__(self, module, class_name):
        self.module = module
        self.class_name = class_name
        self._resource = None

    @property
    def resource(self):
        """The resource class, imported on first use."""
        if self._resource is None:
            module = importlib.import_module(f'sevenbridges.models.{self.module}')
            self._resource = getattr(module, self.class_name)
        return self._resource

    def __get__(self, instance, owner):
        return self.resource.__get__(instance, owner)


class Api(HttpClient):
    """A client of the Seven Bridges public API.

    ::

        import sevenbridges as sbg
        api = sbg.Api(url='https://api.sbgenomics.com/v2', token='<TOKEN>')
        for project in api.projects.query().all():
            print(project.id)

    Without arguments the client reads ``SB_API_ENDPOINT`` and
    ``SB_AUTH_TOKEN``, then the ``[default]`` profile of
    ``~/.sevenbridges/credentials``; ``config=sbg.Config(profile='cgc')``
    picks another profile. Plain ``http://`` is accepted only for loopback
    hosts (the local emulator).

    :param url: API base URL.
    :param token: authentication token.
    :param oauth_token: OAuth token (used when no token is given).
    :param config: a :class:`~sevenbridges.config.Config`.
    :param timeout: seconds to wait for each API response.
    :param download_max_workers: threads shared by downloads.
    :param upload_max_workers: threads shared by uploads.
    :param proxies: ``{'http_proxy': ..., 'https_proxy': ...}``.
    :param error_handlers: extra handlers run on every response.
    :param advance_access: turn on advance access features.
    :param pool_connections: connection pools to cache.
    :param pool_maxsize: connections per pool.
    :param pool_block: block when the pool is exhausted.
    :param max_parallel_requests: API requests in flight at once.
    :param retry_count: attempts on connection errors.
    :param backoff_factor: back-off factor between attempts.
    :param debug: accepted for compatibility; it has no effect.
    """
    actions = ResourceAttribute('actions', 'Actions')
    apps = ResourceAttribute('app', 'App')
    async_jobs = ResourceAttribute('async_jobs', 'AsyncJob')
    automations = ResourceAttribute('automation', 'Automation')
    automation_runs = ResourceAttribute('automation', 'AutomationRun')
    automation_packages = ResourceAttribute('automation', 'AutomationPackage')
    billing_groups = ResourceAttribute('billing_group', 'BillingGroup')
    datasets = ResourceAttribute('dataset', 'Dataset')
    divisions = ResourceAttribute('division', 'Division')
    drs_imports = ResourceAttribute('drs_import', 'DRSImportBulk')
    endpoints = ResourceAttribute('endpoints', 'Endpoints')
    exports = ResourceAttribute('storage_export', 'Export')
    files = ResourceAttribute('file', 'File')
    imports = ResourceAttribute('storage_import', 'Import')
    invoices = ResourceAttribute('invoice', 'Invoice')
    markers = ResourceAttribute('marker', 'Marker')
    projects = ResourceAttribute('project', 'Project')
    rate_limit = ResourceAttribute('rate_limit', 'RateLimit')
    tasks = ResourceAttribute('task', 'Task')
    teams = ResourceAttribute('team', 'Team')
    users = ResourceAttribute('user', 'User')
    volumes = ResourceAttribute('volume', 'Volume')

    def __init__(self, url=None, token=None, oauth_token=None, config=None,
                 timeout=None, download_max_workers=16, upload_max_workers=16,
                 proxies=None, error_handlers=None, advance_access=False,
                 pool_connections=DEFAULT_POOLSIZE, pool_maxsize=100,
                 pool_block=True, max_parallel_requests=100, retry_count=6,
                 backoff_factor=1, debug=False):
        if url is not None:
            check_url_security(url)
        super().__init__(
            url=url, token=token, oauth_token=oauth_token, config=config,
            timeout=timeout, proxies=proxies, error_handlers=error_handlers,
            advance_access=advance_access,
            pool_connections=pool_connections, pool_maxsize=pool_maxsize,
            pool_block=pool_block,
            max_parallel_requests=max_parallel_requests,
            retry_count=retry_count, backoff_factor=backoff_factor)
        self.download_pool = ThreadPoolExecutor(
            max_workers=download_max_workers)
        self.upload_pool = ThreadPoolExecutor(max_workers=upload_max_workers)
