"""The package: public names, lazy imports, signatures of the surface."""
import ast
import inspect
import logging
import os
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


def modules_loaded_by(code, *names):
    """Which of ``names`` a fresh interpreter has loaded after ``code``
    that it had not loaded after ``import requests`` (so that a module the
    SDK's dependencies load themselves does not count)."""
    probe = ('import sys, requests\n'
             'before = set(sys.modules)\n'
             f'{code}\n'
             f'print(sorted(set({list(names)!r}) & '
             f'(set(sys.modules) - before)))')
    out = subprocess.run([sys.executable, '-c', probe], capture_output=True,
                         text=True, check=True).stdout
    return ast.literal_eval(out)


#: What only one feature uses, and the standard library modules that only
#: the edges of the SDK need: none loads with the package. (dataclasses
#: and inspect cost more to import than the classes they would write.)
ONE_FEATURE = (
    'sevenbridges.transfer.folders', 'sevenbridges.transfer.tree',
    'sevenbridges.transfer.plan', 'sevenbridges.transfer.batch',
    'sevenbridges.transfer.report', 'sevenbridges.meta.html',
    'sevenbridges.cli', 'sevenbridges.emulator', 'configparser', 'platform',
    'uuid', 'html', 'dataclasses', 'inspect', 'click', 'rich', 'werkzeug')


def test_import_leaves_out_what_one_feature_uses():
    assert modules_loaded_by('import sevenbridges', *ONE_FEATURE) == []
    # nor do the public paths of the core, imported one by one
    assert modules_loaded_by(
        'from sevenbridges.transfer.upload import Upload\n'
        'from sevenbridges.models.enums import RequestParameters',
        *ONE_FEATURE) == []


def test_a_feature_loads_when_first_used():
    used = modules_loaded_by(
        'import sevenbridges\n'
        'api = sevenbridges.Api(url="https://api.example.com/v2", token="T")\n'
        'api.folders',
        *ONE_FEATURE)
    assert set(used) >= {
        'sevenbridges.transfer.folders', 'sevenbridges.transfer.tree',
        'sevenbridges.transfer.plan', 'sevenbridges.transfer.batch',
        'sevenbridges.transfer.report'}
    assert not set(used) & {'sevenbridges.cli', 'sevenbridges.emulator',
                            'click', 'rich', 'werkzeug'}


def top_level_imports(path):
    """The modules that the file at ``path`` imports when it loads (not
    those imported in functions or only for type checkers)."""
    tree = ast.parse(open(path, encoding='utf-8').read())
    names = []
    for node in tree.body:
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names.append(node.module)
    return names


@pytest.mark.parametrize('package', ['http', 'meta'])
def test_http_and_meta_do_not_import_the_models(package):
    folder = os.path.join(os.path.dirname(sevenbridges.__file__), package)
    for name in sorted(os.listdir(folder)):
        if name.endswith('.py'):
            imported = top_level_imports(os.path.join(folder, name))
            assert not [module for module in imported
                        if module.startswith('sevenbridges.models')], name


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


