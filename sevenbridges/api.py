"""The entry point of the SDK: :class:`Api`."""
from __future__ import annotations

import importlib
import logging
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Callable, Generic, TypeVar

from requests.adapters import DEFAULT_POOLSIZE

from sevenbridges.http.client import HttpClient, check_url_security

if TYPE_CHECKING:
    from sevenbridges.config import Config
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

logger = logging.getLogger(__name__)

ResourceT = TypeVar('ResourceT')


class ResourceAttribute(Generic[ResourceT]):
    """A resource class exposed on :class:`Api` (``api.files``, ...).

    The model module is imported on first use. Reading the attribute through
    an ``Api`` instance binds the class to that instance, so that
    ``api.files.query(...)`` runs with ``api``; reading it through the class
    (``Api.files``) returns the class unchanged.
    """

    def __init__(self, module: str, class_name: str) -> None:
        self.module = module
        self.class_name = class_name
        self._resource = None

    @property
    def resource(self) -> Any:
        """The resource class, imported on first use."""
        if self._resource is None:
            module = importlib.import_module(f'sevenbridges.models.{self.module}')
            self._resource = getattr(module, self.class_name)
        return self._resource

    def __get__(self, instance: Any, owner: Any) -> type[ResourceT]:
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
    actions: ResourceAttribute[Actions] = ResourceAttribute(
        'actions', 'Actions')
    apps: ResourceAttribute[App] = ResourceAttribute('app', 'App')
    async_jobs: ResourceAttribute[AsyncJob] = ResourceAttribute(
        'async_jobs', 'AsyncJob')
    automations: ResourceAttribute[Automation] = ResourceAttribute(
        'automation', 'Automation')
    automation_runs: ResourceAttribute[AutomationRun] = ResourceAttribute(
        'automation', 'AutomationRun')
    automation_packages: ResourceAttribute[AutomationPackage] = ResourceAttribute(
        'automation', 'AutomationPackage')
    billing_groups: ResourceAttribute[BillingGroup] = ResourceAttribute(
        'billing_group', 'BillingGroup')
    datasets: ResourceAttribute[Dataset] = ResourceAttribute(
        'dataset', 'Dataset')
    divisions: ResourceAttribute[Division] = ResourceAttribute(
        'division', 'Division')
    drs_imports: ResourceAttribute[DRSImportBulk] = ResourceAttribute(
        'drs_import', 'DRSImportBulk')
    endpoints: ResourceAttribute[Endpoints] = ResourceAttribute(
        'endpoints', 'Endpoints')
    exports: ResourceAttribute[Export] = ResourceAttribute(
        'storage_export', 'Export')
    files: ResourceAttribute[File] = ResourceAttribute('file', 'File')
    imports: ResourceAttribute[Import] = ResourceAttribute(
        'storage_import', 'Import')
    invoices: ResourceAttribute[Invoice] = ResourceAttribute(
        'invoice', 'Invoice')
    markers: ResourceAttribute[Marker] = ResourceAttribute('marker', 'Marker')
    projects: ResourceAttribute[Project] = ResourceAttribute(
        'project', 'Project')
    rate_limit: ResourceAttribute[RateLimit] = ResourceAttribute(
        'rate_limit', 'RateLimit')
    tasks: ResourceAttribute[Task] = ResourceAttribute('task', 'Task')
    teams: ResourceAttribute[Team] = ResourceAttribute('team', 'Team')
    users: ResourceAttribute[User] = ResourceAttribute('user', 'User')
    volumes: ResourceAttribute[Volume] = ResourceAttribute('volume', 'Volume')

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
            debug: bool = False) -> None:
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
