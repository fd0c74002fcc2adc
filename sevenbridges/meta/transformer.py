"""Turn the arguments users pass (resource objects or identifiers) into the
identifiers that go on the wire."""
from datetime import date, datetime

from sevenbridges.errors import SbgError

__all__ = ['Transform']


def _identifier(value, model, attribute, label):
    """``value`` as an identifier: a string is kept, an instance of
    ``model`` gives its ``attribute``; anything else is refused."""
    if not value:
        raise SbgError(f'{label} is required!')
    if isinstance(value, model):
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
        from sevenbridges.models.project import Project
        return _identifier(project, Project, 'id', 'Project')

    @staticmethod
    def to_task(task):
        from sevenbridges.models.task import Task
        return _identifier(task, Task, 'id', 'Task')

    @staticmethod
    def to_app(app):
        from sevenbridges.models.app import App
        return _identifier(app, App, 'id', 'App')

    @staticmethod
    def to_file(file_):
        from sevenbridges.models.file import File
        return _identifier(file_, File, 'id', 'File')

    @staticmethod
    def to_user(user):
        from sevenbridges.models.user import User
        return _identifier(user, User, 'username', 'User')

    @staticmethod
    def to_billing_group(billing_group):
        from sevenbridges.models.billing_group import BillingGroup
        return _identifier(billing_group, BillingGroup, 'id', 'Billing group')

    @staticmethod
    def to_volume(volume):
        from sevenbridges.models.volume import Volume
        return _identifier(volume, Volume, 'id', 'Volume')

    @staticmethod
    def to_marker(marker):
        from sevenbridges.models.marker import Marker
        return _identifier(marker, Marker, 'id', 'Marker')

    @staticmethod
    def to_division(division):
        from sevenbridges.models.division import Division
        return _identifier(division, Division, 'id', 'Division')

    @staticmethod
    def to_team(team):
        from sevenbridges.models.team import Team
        return _identifier(team, Team, 'id', 'Team')

    @staticmethod
    def to_import(import_):
        from sevenbridges.models.storage_import import Import
        return _identifier(import_, Import, 'id', 'Import')

    @staticmethod
    def to_export(export):
        from sevenbridges.models.storage_export import Export
        return _identifier(export, Export, 'id', 'Export')

    @staticmethod
    def to_dataset(dataset):
        from sevenbridges.models.dataset import Dataset
        return _identifier(dataset, Dataset, 'id', 'Dataset')

    @staticmethod
    def to_member(member):
        from sevenbridges.models.member import Member
        return _identifier(member, Member, 'username', 'Member')

    @staticmethod
    def to_automation(automation):
        from sevenbridges.models.automation import Automation
        return _identifier(automation, Automation, 'id', 'Automation')

    @staticmethod
    def to_automation_member(member):
        from sevenbridges.models.automation import AutomationMember
        return _identifier(member, AutomationMember, 'username', 'Automation member')

    @staticmethod
    def to_automation_package(package):
        from sevenbridges.models.automation import AutomationPackage
        return _identifier(package, AutomationPackage, 'id', 'Automation package')

    @staticmethod
    def to_async_job(async_job):
        from sevenbridges.models.async_jobs import AsyncJob
        return _identifier(async_job, AsyncJob, 'id', 'Async job')

    @staticmethod
    def to_automation_run(automation_run):
        from sevenbridges.models.automation import AutomationRun
        return _identifier(automation_run, AutomationRun, 'id', 'Automation run')

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
