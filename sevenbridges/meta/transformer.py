"""Turn the arguments users pass (resource objects or identifiers) into the
identifiers that go on the wire."""
import importlib
from datetime import date, datetime

from sevenbridges.errors import SbgError

__all__ = ['Transform']


def _model(module, name):
    try:
        return getattr(importlib.import_module(f'sevenbridges.models.{module}'),
                       name)
    except (ImportError, AttributeError):
        return None


def _identifier(value, module, class_name, attribute, label):
    """``value`` as an identifier: a string is kept, an instance of the
    model gives its ``attribute``; anything else is refused."""
    if not value:
        raise SbgError(f'{label} is required!')
    model = _model(module, class_name)
    if model is not None and isinstance(value, model):
        return getattr(value, attribute)
    if isinstance(value, str):
        return value
    raise SbgError(f'Invalid {label.lower()} parameter!')


class Transform:
    """Static helpers that accept a resource object or its identifier.

    Each ``to_<resource>`` returns the identifier string: an instance of the
    model gives its id (``username`` for users and members), a string is
    returned unchanged, a falsy value raises ``SbgError('<X> is
    required!')`` and anything else ``SbgError('Invalid <x> parameter!')``.
    """

    @staticmethod
    def to_resource(resource):
        """The ``id`` of any resource object, or an id string."""
        from sevenbridges.meta.resource import Resource
        if not resource:
            raise SbgError('Invalid id value!')
        if isinstance(resource, Resource) and hasattr(type(resource), 'id'):
            return resource.id
        if isinstance(resource, str):
            return resource
        raise SbgError('Invalid id value!')

    @staticmethod
    def to_project(project):
        return _identifier(project, 'project', 'Project', 'id', 'Project')

    @staticmethod
    def to_task(task):
        return _identifier(task, 'task', 'Task', 'id', 'Task')

    @staticmethod
    def to_app(app):
        return _identifier(app, 'app', 'App', 'id', 'App')

    @staticmethod
    def to_file(file_):
        return _identifier(file_, 'file', 'File', 'id', 'File')

    @staticmethod
    def to_user(user):
        return _identifier(user, 'user', 'User', 'username', 'User')

    @staticmethod
    def to_billing_group(billing_group):
        return _identifier(billing_group, 'billing_group', 'BillingGroup',
                           'id', 'Billing group')

    @staticmethod
    def to_volume(volume):
        return _identifier(volume, 'volume', 'Volume', 'id', 'Volume')

    @staticmethod
    def to_marker(marker):
        return _identifier(marker, 'marker', 'Marker', 'id', 'Marker')

    @staticmethod
    def to_division(division):
        return _identifier(division, 'division', 'Division', 'id',
                           'Division')

    @staticmethod
    def to_team(team):
        return _identifier(team, 'team', 'Team', 'id', 'Team')

    @staticmethod
    def to_import(import_):
        return _identifier(import_, 'storage_import', 'Import', 'id',
                           'Import')

    @staticmethod
    def to_export(export):
        return _identifier(export, 'storage_export', 'Export', 'id',
                           'Export')

    @staticmethod
    def to_dataset(dataset):
        return _identifier(dataset, 'dataset', 'Dataset', 'id', 'Dataset')

    @staticmethod
    def to_member(member):
        return _identifier(member, 'member', 'Member', 'username', 'Member')

    @staticmethod
    def to_automation(automation):
        return _identifier(automation, 'automation', 'Automation', 'id',
                           'Automation')

    @staticmethod
    def to_automation_member(member):
        return _identifier(member, 'automation', 'AutomationMember',
                           'username', 'Automation member')

    @staticmethod
    def to_automation_package(package):
        return _identifier(package, 'automation', 'AutomationPackage', 'id',
                           'Automation package')

    @staticmethod
    def to_async_job(async_job):
        return _identifier(async_job, 'async_jobs', 'AsyncJob', 'id',
                           'Async job')

    @staticmethod
    def to_automation_run(automation_run):
        return _identifier(automation_run, 'automation', 'AutomationRun',
                           'id', 'Automation run')

    @staticmethod
    def to_datestring(d):
        """A date for a query parameter: a string is kept; a ``datetime``
        gives ISO 8601 to the second (an aware one keeps its offset); a
        ``date`` gives ``YYYY-MM-DD``.

        :raises SbgError: for a falsy value or another type.
        """
        if not d:
            raise SbgError('Date is required!')
        if isinstance(d, str):
            return d
        if isinstance(d, datetime):
            return d.replace(microsecond=0).isoformat()
        if isinstance(d, date):
            return d.isoformat()
        raise SbgError('Invalid date parameter!')

    @staticmethod
    def to_location(location):
        """A volume location (a string)."""
        if not location:
            raise SbgError('Location is required!')
        if isinstance(location, str):
            return location
        raise SbgError('Invalid location parameter!')

    @staticmethod
    def to_tags(tags):
        """A list of tags, none containing a comma."""
        if not isinstance(tags, list):
            raise SbgError('Tags argument must be a list.')
        if any(isinstance(tag, str) and ',' in tag for tag in tags):
            raise SbgError('Tags must not contain comma character.')
        return list(tags)
