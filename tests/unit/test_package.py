"""The package: public names, lazy imports, signatures of the surface."""
import inspect
import logging
import subprocess
import sys

import pytest

import sevenbridges

TOP_LEVEL = [
    'Api', 'App', 'AppCopyStrategy', 'AppCopyStrategy', 'AppRawFormat',
    'AsyncFileOperations', 'AsyncJob', 'AsyncJobStates', 'Automation',
    'AutomationMember', 'AutomationPackage', 'AutomationRun',
    'AutomationRunActions', 'AutomationStatus', 'BadRequest', 'BillingGroup',
    'BulkRecord', 'Config', 'Conflict', 'DRSImportBulk', 'Dataset',
    'Division', 'DivisionRole', 'Endpoints',
    'ExecutionDetailsInvalidTaskType', 'Export', 'File', 'FileStorageType',
    'Forbidden', 'Import', 'ImportExportState', 'Invoice',
    'LocalFileAlreadyExists', 'Marker', 'Member', 'MethodNotAllowed',
    'NotFound', 'PaginationError', 'PartSize', 'Permissions', 'Project',
    'ReadOnlyPropertyError', 'RequestTimeout', 'ResourceNotModified',
    'SbgError', 'ServerError', 'ServiceUnavailable', 'Task', 'TaskStatus',
    'TaskValidationError', 'Team', 'TeamMember', 'TooManyRequests',
    'TransferState', 'Unauthorized', 'User', 'ValidationError', 'Volume',
    'VolumeAccessMode', 'VolumeObject', 'VolumeType', '__version__',
]


def test_all_lists_the_public_names():
    assert sorted(sevenbridges.__all__) == sorted(TOP_LEVEL)
    for name in ('NonJSONResponseError', 'AdvanceAccessError', 'URITooLong',
                 'RequestParameters', 'FileApiFormats', 'FeedbackType'):
        assert name not in sevenbridges.__all__


def test_available_names_resolve_to_their_modules():
    from sevenbridges import errors
    from sevenbridges.api import Api
    from sevenbridges.models import enums
    assert sevenbridges.Api is Api
    assert sevenbridges.NotFound is errors.NotFound
    assert sevenbridges.TaskStatus is enums.TaskStatus
    assert sevenbridges.User is sevenbridges.models.user.User
    assert 'Api' in dir(sevenbridges)
    with pytest.raises(AttributeError):
        sevenbridges.NoSuchThing


def test_version_and_logging():
    from sevenbridges.version import __version__
    assert sevenbridges.__version__ == __version__
    handlers = logging.getLogger('sevenbridges').handlers
    assert any(isinstance(h, logging.NullHandler) for h in handlers)


def test_import_loads_the_client_but_not_the_emulator():
    code = ('import sys, sevenbridges;'
            'print(sorted(m for m in ("requests", "sevenbridges.api",'
            ' "sevenbridges.http.client", "sevenbridges.transfer.upload",'
            ' "sevenbridges.transfer.download", "sevenbridges.models.file",'
            ' "sevenbridges.models.automation", "sevenbridges.emulator",'
            ' "werkzeug") if m in sys.modules))')
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True).stdout.strip()
    assert out == str(sorted([
        'requests', 'sevenbridges.api', 'sevenbridges.http.client',
        'sevenbridges.models.automation', 'sevenbridges.models.file',
        'sevenbridges.transfer.download', 'sevenbridges.transfer.upload']))
    assert sevenbridges.emulator.Emulator.__name__ == 'Emulator'


def params(func):
    """The signature of ``func`` without annotations."""
    signature = inspect.signature(func)
    plain = [parameter.replace(annotation=inspect.Parameter.empty)
             for parameter in signature.parameters.values()]
    return str(signature.replace(parameters=plain,
                                 return_annotation=inspect.Signature.empty))


SIGNATURES = {
    'sevenbridges.api.Api.__init__': (
        '(self, url=None, token=None, oauth_token=None, config=None, '
        'timeout=None, download_max_workers=16, upload_max_workers=16, '
        'proxies=None, error_handlers=None, advance_access=False, '
        'pool_connections=10, pool_maxsize=100, pool_block=True, '
        'max_parallel_requests=100, retry_count=6, backoff_factor=1, '
        'debug=False, *, retry=True)'),
    'sevenbridges.http.client.HttpClient.__init__': (
        '(self, url=None, token=None, oauth_token=None, config=None, '
        'timeout=None, proxies=None, error_handlers=None, '
        'advance_access=False, pool_connections=None, pool_maxsize=None, '
        'pool_block=True, max_parallel_requests=None, retry_count=None, '
        'backoff_factor=None)'),
    'sevenbridges.http.client.HttpClient.get': (
        '(self, url, headers=None, params=None, data=None, append_base=True, '
        'stream=False)'),
    'sevenbridges.http.client.HttpClient.post': (
        '(self, url, headers=None, params=None, data=None, '
        'append_base=True)'),
    'sevenbridges.http.client.HttpClient.put': (
        '(self, url, headers=None, params=None, data=None, '
        'append_base=True)'),
    'sevenbridges.http.client.HttpClient.patch': (
        '(self, url, headers=None, params=None, data=None, '
        'append_base=True)'),
    'sevenbridges.http.client.HttpClient.delete': (
        '(self, url, headers=None, params=None, append_base=True)'),
    'sevenbridges.http.client.HttpClient.add_error_handler':
        '(self, handler)',
    'sevenbridges.http.client.HttpClient.remove_error_handler':
        '(self, handler)',
    'sevenbridges.http.client.generate_session': (
        '(pool_connections, pool_maxsize, pool_block, proxies=None, '
        'retry_count=None, backoff_factor=None)'),
    'sevenbridges.http.client.config_vars': '(profiles, advance_access)',
    'sevenbridges.http.client.mask_secrets': '(request_data)',
    'sevenbridges.http.client.RequestSession.send':
        '(self, request, **kwargs)',
    'sevenbridges.http.error_handlers.repeatable_handler': '(f)',
    'sevenbridges.http.error_handlers.rate_limit_sleeper':
        '(api, response)',
    'sevenbridges.http.error_handlers.maintenance_sleeper':
        '(api, response, sleep=300)',
    'sevenbridges.http.error_handlers.general_error_sleeper':
        '(api, response, sleep=300)',
    'sevenbridges.config.format_proxies': '(proxies)',
    'sevenbridges.config.UserProfile.__init__': '(self, profile)',
    'sevenbridges.config.Config.__init__':
        '(self, profile=None, proxies=None, advance_access=None)',
    'sevenbridges.decorators.inplace_reload': '(method)',
    'sevenbridges.decorators.throttle': '(func)',
    'sevenbridges.decorators.check_for_error': '(func)',
    'sevenbridges.errors.SbgError.__init__':
        '(self, message=None, code=None, status=None, more_info=None)',
    'sevenbridges.errors.ResourceNotModified.__init__': '(self)',
    'sevenbridges.errors.NonJSONResponseError.__init__':
        '(self, status, code=None, message=None, more_info=None)',
    'sevenbridges.errors.ReadOnlyPropertyError.__init__':
        '(self, message)',
    'sevenbridges.errors.TaskValidationError.__init__':
        '(self, message, task=None)',
    'sevenbridges.errors.AdvanceAccessError.__init__':
        '(self, message=None)',
    'sevenbridges.errors.NotFound.__init__':
        '(self, code=None, message=None, more_info=None)',
    'sevenbridges.errors.LocalFileAlreadyExists.__init__':
        '(self, code=None, message=None, more_info=None)',
    'sevenbridges.meta.collection.Collection.__init__':
        '(self, resource, href, total, items, links, api)',
    'sevenbridges.meta.collection.VolumeCollection.__init__':
        '(self, href, items, links, prefixes, api)',
    'sevenbridges.meta.comp_mutable_dict.CompoundMutableDict.__init__':
        '(self, **kwargs)',
    'sevenbridges.meta.comp_mutable_dict.CompoundMutableDict.update':
        '(self, e=None, **f)',
    'sevenbridges.meta.data.DataContainer.__init__':
        '(self, urls, api, parent)',
    'sevenbridges.meta.data.DataContainer.fetch': '(self, item=None)',
    'sevenbridges.meta.fields.Field.__init__':
        '(self, name=None, read_only=True, validator=None)',
    'sevenbridges.meta.fields.CompoundField.__init__':
        '(self, cls, read_only, name=None, validator=None)',
    'sevenbridges.meta.fields.CompoundListField.__init__':
        '(self, cls, read_only, name=None)',
    'sevenbridges.meta.fields.StringField.__init__':
        '(self, read_only, name=None, max_length=None)',
    'sevenbridges.meta.fields.BasicListField.__init__':
        '(self, read_only, name=None, max_length=None)',
    'sevenbridges.meta.fields.DateTimeField.__init__':
        '(self, read_only, name=None)',
    'sevenbridges.meta.fields.HrefField.__init__': '(self, read_only, name=None)',
    'sevenbridges.meta.fields.DictField.__init__': '(self, read_only, name=None)',
    'sevenbridges.meta.fields.UuidField.__init__': '(self, read_only, name=None)',
    'sevenbridges.meta.fields.IntegerField.__init__':
        '(self, read_only, name=None)',
    'sevenbridges.meta.resource.Resource.__init__':
        '(self, api, *args, **kwargs)',
    'sevenbridges.meta.resource.Resource.get': '(id, api=None)',
    'sevenbridges.meta.resource.Resource.field': '(self, name)',
    'sevenbridges.models.user.User.me': '(api=None)',
    'sevenbridges.models.user.User.get': '(user, api=None)',
    'sevenbridges.models.user.User.query':
        '(division, role=None, offset=None, limit=None, api=None)',
    'sevenbridges.models.user.User.disable': '(self, api=None)',
    'sevenbridges.models.endpoints.Endpoints.get': '(api=None, **kwargs)',
    'sevenbridges.models.rate_limit.RateLimit.get': '(id=None, api=None)',
    'sevenbridges.models.bulk.BulkRecord.parse_records':
        '(response, api=None)',
    'sevenbridges.meta.transformer.Transform.to_file': '(file_)',
    'sevenbridges.meta.transformer.Transform.to_import': '(import_)',
    'sevenbridges.meta.transformer.Transform.to_automation_member':
        '(member)',
}


@pytest.mark.parametrize('path', sorted(SIGNATURES))
def test_surface_signatures(path):
    import importlib
    parts = path.split('.')
    for split in range(len(parts), 0, -1):
        try:
            target = importlib.import_module('.'.join(parts[:split]))
            break
        except ImportError:
            continue
    for attribute in parts[split:]:
        target = getattr(target, attribute)
    assert params(target) == SIGNATURES[path]


def test_every_public_name_resolves():
    namespace = {}
    exec('from sevenbridges import *', namespace)
    for name in set(TOP_LEVEL) - {'__version__'}:
        value = namespace[name]
        assert getattr(value, '__name__', None) == name


