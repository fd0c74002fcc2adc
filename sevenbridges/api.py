"""The entry point of the SDK: :class:`Api`."""
from __future__ import annotations

import functools
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable

from requests.adapters import DEFAULT_POOLSIZE

from sevenbridges.http.client import HttpClient, check_url_security
from sevenbridges.http.retry import RetryPolicy
from sevenbridges.models.actions import Actions
from sevenbridges.models.app import App
from sevenbridges.models.async_jobs import AsyncJob
from sevenbridges.models.automation import (
    Automation,
    AutomationPackage,
    AutomationRun,
)
from sevenbridges.models.billing_group import BillingGroup
from sevenbridges.models.dataset import Dataset
from sevenbridges.models.division import Division
from sevenbridges.models.drs_import import DRSImportBulk
from sevenbridges.models.endpoints import Endpoints
from sevenbridges.models.file import File
from sevenbridges.models.invoice import Invoice
from sevenbridges.models.marker import Marker
from sevenbridges.models.project import Project
from sevenbridges.models.rate_limit import RateLimit
from sevenbridges.models.storage_export import Export
from sevenbridges.models.storage_import import Import
from sevenbridges.models.task import Task
from sevenbridges.models.team import Team
from sevenbridges.models.user import User
from sevenbridges.models.volume import Volume

if TYPE_CHECKING:
    from sevenbridges.batches import Batches
    from sevenbridges.config import Config
    from sevenbridges.transfer.folders import Folders

logger = logging.getLogger(__name__)


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
    picks another profile. The URL must be ``https://`` with a host (else
    :class:`~sevenbridges.errors.ValidationError`, before any request);
    plain ``http://`` is accepted only for loopback hosts (the local
    emulator).

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
    :param retry_count: retries at most of a connection that cannot be
        made (refused, host name not resolved, connect timeout); with the
        retry policy on it bounds the policy's ``connect_attempts`` (3
        requests within 10 s), with ``retry=False`` the connection layer
        retries that often, as in the reference.
    :param backoff_factor: back-off factor between the connection layer's
        retries (with ``retry=False``).
    :param debug: accepted for compatibility; it has no effect.
    :param retry: how calls are retried: a
        :class:`~sevenbridges.http.retry.RetryPolicy`, ``True`` (the default
        policy: rate limits, maintenance and gateway errors are waited out
        for up to 5 minutes per call, a connection that cannot be made is
        tried 3 times within about 10 seconds) or
        ``False`` (no policy, as in the reference); see :attr:`retry`.
    """
    # Read through an instance, each class is bound to it (``api.files`` is
    # ``File`` bound to ``api``, see :mod:`sevenbridges.meta.binding`); read
    # through the class (``Api.files``) it is the class itself.
    actions: type[Actions] = Actions
    apps: type[App] = App
    async_jobs: type[AsyncJob] = AsyncJob
    automations: type[Automation] = Automation
    automation_runs: type[AutomationRun] = AutomationRun
    automation_packages: type[AutomationPackage] = AutomationPackage
    billing_groups: type[BillingGroup] = BillingGroup
    datasets: type[Dataset] = Dataset
    divisions: type[Division] = Division
    drs_imports: type[DRSImportBulk] = DRSImportBulk
    endpoints: type[Endpoints] = Endpoints
    exports: type[Export] = Export
    files: type[File] = File
    imports: type[Import] = Import
    invoices: type[Invoice] = Invoice
    markers: type[Marker] = Marker
    projects: type[Project] = Project
    rate_limit: type[RateLimit] = RateLimit
    tasks: type[Task] = Task
    teams: type[Team] = Team
    users: type[User] = User
    volumes: type[Volume] = Volume

    @functools.cached_property
    def folders(self) -> Folders:
        """Folder trees: walk, upload, download and sync them (a
        :class:`~sevenbridges.transfer.folders.Folders` of this client)."""
        # folder trees, plans and reports load when first used
        from sevenbridges.transfer.folders import Folders
        return Folders(self)

    @functools.cached_property
    def batches(self) -> Batches:
        """Many tasks at once: launch an app over a manifest, watch,
        retry, collect and cost (a :class:`~sevenbridges.batches.Batches`
        of this client)."""
        # the batches package loads when first used
        from sevenbridges.batches import Batches
        return Batches(self)

    def __init__(
            self, url: str | None = None, token: str | None = None,
            oauth_token: str | None = None, config: Config | None = None,
            timeout: float | None = None, download_max_workers: int = 16,
            upload_max_workers: int = 16,
            proxies: dict[str, Any] | None = None,
            error_handlers: list[Callable[..., Any]] | None = None,
            advance_access: bool = False,
            pool_connections: int = DEFAULT_POOLSIZE, pool_maxsize: int = 100,
            pool_block: bool = True, max_parallel_requests: int = 100,
            retry_count: int = 6, backoff_factor: float = 1,
            debug: bool = False, *, retry: RetryPolicy | bool = True
            ) -> None:
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
        self.retry = retry
        self.download_pool = ThreadPoolExecutor(
            max_workers=download_max_workers)
        self.upload_pool = ThreadPoolExecutor(max_workers=upload_max_workers)
