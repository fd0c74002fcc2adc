"""sevenbridges-python: the Python SDK of the Seven Bridges public API
(Seven Bridges Platform, Cancer Genomics Cloud, CAVATICA).

::

    import sevenbridges as sbg
    api = sbg.Api(url='https://api.sbgenomics.com/v2', token='<TOKEN>')
    print(api.users.me())

The public names below load on first use, so that importing the package is
fast; ``from sevenbridges import Api`` and ``sevenbridges.Api`` work as
usual.
"""
import importlib
import logging
from typing import TYPE_CHECKING

from sevenbridges.version import __version__

logging.getLogger(__name__).addHandler(logging.NullHandler())

_ENUMS = 'sevenbridges.models.enums'
_ERRORS = 'sevenbridges.errors'

#: Where each public name lives.
_EXPORTS = {
    'Api': 'sevenbridges.api',
    'Config': 'sevenbridges.config',
    'App': 'sevenbridges.models.app',
    'AsyncJob': 'sevenbridges.models.async_jobs',
    'Automation': 'sevenbridges.models.automation',
    'AutomationMember': 'sevenbridges.models.automation',
    'AutomationPackage': 'sevenbridges.models.automation',
    'AutomationRun': 'sevenbridges.models.automation',
    'BillingGroup': 'sevenbridges.models.billing_group',
    'BulkRecord': 'sevenbridges.models.bulk',
    'DRSImportBulk': 'sevenbridges.models.drs_import',
    'Dataset': 'sevenbridges.models.dataset',
    'Division': 'sevenbridges.models.division',
    'Endpoints': 'sevenbridges.models.endpoints',
    'Export': 'sevenbridges.models.storage_export',
    'File': 'sevenbridges.models.file',
    'Import': 'sevenbridges.models.storage_import',
    'Invoice': 'sevenbridges.models.invoice',
    'Marker': 'sevenbridges.models.marker',
    'Member': 'sevenbridges.models.member',
    'Permissions': 'sevenbridges.models.compound.projects.permissions',
    'Project': 'sevenbridges.models.project',
    'Task': 'sevenbridges.models.task',
    'Team': 'sevenbridges.models.team',
    'TeamMember': 'sevenbridges.models.team_member',
    'User': 'sevenbridges.models.user',
    'Volume': 'sevenbridges.models.volume',
    'VolumeObject': 'sevenbridges.models.compound.volumes.volume_object',
    'AppCopyStrategy': _ENUMS,
    'AppRawFormat': _ENUMS,
    'AsyncFileOperations': _ENUMS,
    'AsyncJobStates': _ENUMS,
    'AutomationRunActions': _ENUMS,
    'AutomationStatus': _ENUMS,
    'DivisionRole': _ENUMS,
    'FileStorageType': _ENUMS,
    'ImportExportState': _ENUMS,
    'PartSize': _ENUMS,
    'TaskStatus': _ENUMS,
    'TransferState': _ENUMS,
    'VolumeAccessMode': _ENUMS,
    'VolumeType': _ENUMS,
    'BadRequest': _ERRORS,
    'Conflict': _ERRORS,
    'ExecutionDetailsInvalidTaskType': _ERRORS,
    'Forbidden': _ERRORS,
    'LocalFileAlreadyExists': _ERRORS,
    'MethodNotAllowed': _ERRORS,
    'NotFound': _ERRORS,
    'PaginationError': _ERRORS,
    'ReadOnlyPropertyError': _ERRORS,
    'RequestTimeout': _ERRORS,
    'ResourceNotModified': _ERRORS,
    'SbgError': _ERRORS,
    'ServerError': _ERRORS,
    'ServiceUnavailable': _ERRORS,
    'TaskValidationError': _ERRORS,
    'TooManyRequests': _ERRORS,
    'Unauthorized': _ERRORS,
    'ValidationError': _ERRORS,
}

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

if TYPE_CHECKING:  # the names above, for type checkers and IDEs
    from sevenbridges.api import Api as Api
    from sevenbridges.config import Config as Config
    from sevenbridges.errors import (
        BadRequest as BadRequest,
    )
    from sevenbridges.errors import (
        Conflict as Conflict,
    )
    from sevenbridges.errors import (
        ExecutionDetailsInvalidTaskType as ExecutionDetailsInvalidTaskType,
    )
    from sevenbridges.errors import (
        Forbidden as Forbidden,
    )
    from sevenbridges.errors import (
        LocalFileAlreadyExists as LocalFileAlreadyExists,
    )
    from sevenbridges.errors import (
        MethodNotAllowed as MethodNotAllowed,
    )
    from sevenbridges.errors import (
        NotFound as NotFound,
    )
    from sevenbridges.errors import (
        PaginationError as PaginationError,
    )
    from sevenbridges.errors import (
        ReadOnlyPropertyError as ReadOnlyPropertyError,
    )
    from sevenbridges.errors import (
        RequestTimeout as RequestTimeout,
    )
    from sevenbridges.errors import (
        ResourceNotModified as ResourceNotModified,
    )
    from sevenbridges.errors import (
        SbgError as SbgError,
    )
    from sevenbridges.errors import (
        ServerError as ServerError,
    )
    from sevenbridges.errors import (
        ServiceUnavailable as ServiceUnavailable,
    )
    from sevenbridges.errors import (
        TaskValidationError as TaskValidationError,
    )
    from sevenbridges.errors import (
        TooManyRequests as TooManyRequests,
    )
    from sevenbridges.errors import (
        Unauthorized as Unauthorized,
    )
    from sevenbridges.errors import (
        ValidationError as ValidationError,
    )
    from sevenbridges.models.app import App as App
    from sevenbridges.models.async_jobs import AsyncJob as AsyncJob
    from sevenbridges.models.automation import (
        Automation as Automation,
    )
    from sevenbridges.models.automation import (
        AutomationMember as AutomationMember,
    )
    from sevenbridges.models.automation import (
        AutomationPackage as AutomationPackage,
    )
    from sevenbridges.models.automation import (
        AutomationRun as AutomationRun,
    )
    from sevenbridges.models.billing_group import BillingGroup as BillingGroup
    from sevenbridges.models.bulk import BulkRecord as BulkRecord
    from sevenbridges.models.compound.projects.permissions import (
        Permissions as Permissions,
    )
    from sevenbridges.models.compound.volumes.volume_object import (
        VolumeObject as VolumeObject,
    )
    from sevenbridges.models.dataset import Dataset as Dataset
    from sevenbridges.models.division import Division as Division
    from sevenbridges.models.drs_import import DRSImportBulk as DRSImportBulk
    from sevenbridges.models.endpoints import Endpoints as Endpoints
    from sevenbridges.models.enums import (
        AppCopyStrategy as AppCopyStrategy,
    )
    from sevenbridges.models.enums import (
        AppRawFormat as AppRawFormat,
    )
    from sevenbridges.models.enums import (
        AsyncFileOperations as AsyncFileOperations,
    )
    from sevenbridges.models.enums import (
        AsyncJobStates as AsyncJobStates,
    )
    from sevenbridges.models.enums import (
        AutomationRunActions as AutomationRunActions,
    )
    from sevenbridges.models.enums import (
        AutomationStatus as AutomationStatus,
    )
    from sevenbridges.models.enums import (
        DivisionRole as DivisionRole,
    )
    from sevenbridges.models.enums import (
        FileStorageType as FileStorageType,
    )
    from sevenbridges.models.enums import (
        ImportExportState as ImportExportState,
    )
    from sevenbridges.models.enums import (
        PartSize as PartSize,
    )
    from sevenbridges.models.enums import (
        TaskStatus as TaskStatus,
    )
    from sevenbridges.models.enums import (
        TransferState as TransferState,
    )
    from sevenbridges.models.enums import (
        VolumeAccessMode as VolumeAccessMode,
    )
    from sevenbridges.models.enums import (
        VolumeType as VolumeType,
    )
    from sevenbridges.models.file import File as File
    from sevenbridges.models.invoice import Invoice as Invoice
    from sevenbridges.models.marker import Marker as Marker
    from sevenbridges.models.member import Member as Member
    from sevenbridges.models.project import Project as Project
    from sevenbridges.models.storage_export import Export as Export
    from sevenbridges.models.storage_import import Import as Import
    from sevenbridges.models.task import Task as Task
    from sevenbridges.models.team import Team as Team
    from sevenbridges.models.team_member import TeamMember as TeamMember
    from sevenbridges.models.user import User as User
    from sevenbridges.models.volume import Volume as Volume

_SUBMODULES = frozenset({
    'api', 'config', 'decorators', 'errors', 'http', 'meta', 'models',
    'transfer', 'emulator', 'version',
})


def __getattr__(name):
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    if name in _SUBMODULES:
        return importlib.import_module(f'{__name__}.{name}')
    raise AttributeError(f'module {__name__!r} has no attribute {name!r}')


def __dir__():
    return sorted(set(globals()) | set(_EXPORTS) | _SUBMODULES)
