"""sevenbridges-python: the Python SDK of the Seven Bridges public API
(Seven Bridges Platform, Cancer Genomics Cloud, CAVATICA).

::

    import sevenbridges as sbg
    api = sbg.Api(url='https://api.sbgenomics.com/v2', token='<TOKEN>')
    print(api.users.me())

Importing the package loads the core client (its HTTP session class,
every model, single-file transfers), so that no library imported later
can slip in under it. What only one feature uses loads where that feature
is first used: folder trees, sync plans and reports (``api.folders``), the
HTML tables of Jupyter, profile files, and the local emulator
(:mod:`sevenbridges.emulator`), which is optional and has dependencies of
its own.
"""
import importlib
import logging

from sevenbridges.api import Api
from sevenbridges.config import Config
from sevenbridges.errors import (
    BadRequest,
    Conflict,
    ExecutionDetailsInvalidTaskType,
    Forbidden,
    LocalFileAlreadyExists,
    MethodNotAllowed,
    NotFound,
    PaginationError,
    ReadOnlyPropertyError,
    RequestTimeout,
    ResourceNotModified,
    SbgError,
    ServerError,
    ServiceUnavailable,
    TaskValidationError,
    TooManyRequests,
    Unauthorized,
    ValidationError,
)
from sevenbridges.models.app import App
from sevenbridges.models.async_jobs import AsyncJob
from sevenbridges.models.automation import (
    Automation,
    AutomationMember,
    AutomationPackage,
    AutomationRun,
)
from sevenbridges.models.billing_group import BillingGroup
from sevenbridges.models.bulk import BulkRecord
from sevenbridges.models.compound.projects.permissions import Permissions
from sevenbridges.models.compound.volumes.volume_object import VolumeObject
from sevenbridges.models.dataset import Dataset
from sevenbridges.models.division import Division
from sevenbridges.models.drs_import import DRSImportBulk
from sevenbridges.models.endpoints import Endpoints
from sevenbridges.models.enums import (
    AppCopyStrategy,
    AppRawFormat,
    AsyncFileOperations,
    AsyncJobStates,
    AutomationRunActions,
    AutomationStatus,
    DivisionRole,
    FileStorageType,
    ImportExportState,
    PartSize,
    TaskStatus,
    TransferState,
    VolumeAccessMode,
    VolumeType,
)
from sevenbridges.models.file import File
from sevenbridges.models.invoice import Invoice
from sevenbridges.models.marker import Marker
from sevenbridges.models.member import Member
from sevenbridges.models.project import Project
from sevenbridges.models.storage_export import Export
from sevenbridges.models.storage_import import Import
from sevenbridges.models.task import Task
from sevenbridges.models.team import Team
from sevenbridges.models.team_member import TeamMember
from sevenbridges.models.user import User
from sevenbridges.models.volume import Volume
from sevenbridges.version import __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())

__all__ = [
    'Api', 'AppCopyStrategy', 'AppRawFormat', 'AppCopyStrategy',
    'AsyncFileOperations', 'AsyncJobStates', 'AutomationRunActions',
    'AutomationStatus', 'DivisionRole', 'FileStorageType',
    'ImportExportState', 'PartSize', 'TaskStatus', 'TransferState',
    'VolumeAccessMode', 'VolumeType', 'SbgError', 'NotFound', 'Forbidden',
    'Unauthorized', 'BadRequest', 'Conflict', 'ServerError',
    'ServiceUnavailable', 'MethodNotAllowed', 'RequestTimeout',
    'TooManyRequests', 'ValidationError', 'TaskValidationError',
    'ReadOnlyPropertyError', 'ResourceNotModified', 'PaginationError',
    'LocalFileAlreadyExists', 'ExecutionDetailsInvalidTaskType', 'Config',
    'App', 'AsyncJob', 'Automation', 'AutomationMember', 'AutomationPackage',
    'AutomationRun', 'BillingGroup', 'BulkRecord', 'DRSImportBulk',
    'Dataset', 'Division', 'Endpoints', 'Export', 'File', 'Import',
    'Invoice', 'Marker', 'Member', 'Permissions', 'Project', 'Task', 'Team',
    'TeamMember', 'User', 'Volume', 'VolumeObject', '__version__',
]


def __getattr__(name):
    # The emulator is optional (it needs werkzeug): it loads when first
    # named, as ``sevenbridges.emulator`` or ``import sevenbridges.emulator``.
    if name == 'emulator':
        return importlib.import_module('sevenbridges.emulator')
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')
