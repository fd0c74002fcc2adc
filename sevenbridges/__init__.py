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
