"""Automations: packaged analysis code run on the platform
(``api.automations``, ``api.automation_packages``, ``api.automation_runs``).
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from sevenbridges.decorators import inplace_reload
from sevenbridges.errors import ResourceNotModified, SbgError
from sevenbridges.meta.arguments import SORT_ORDERS, check_choice
from sevenbridges.meta.fields import (
    BooleanField,
    CompoundField,
    DateTimeField,
    DictField,
    HrefField,
    IntegerField,
    StringField,
    UuidField,
)
from sevenbridges.meta.resource import Resource, equal_by, patch_save
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.compound.projects.permissions import Permissions
from sevenbridges.models.enums import AutomationStatus
from sevenbridges.models.file import File
from sevenbridges.models.member import member_payload
from sevenbridges.transfer.upload import CodePackageUpload

if TYPE_CHECKING:
    from sevenbridges._types import (
        Api,
        AutomationPackageRef,
        AutomationRef,
        BillingGroupRef,
        DateLike,
        TeamRef,
        UserRef,
    )
    from sevenbridges.meta.collection import Collection

logger = logging.getLogger(__name__)


def _action(resource, url):
    """POST an action (archive, restore) and take the server's answer."""
    response = resource._api.post(url=url)
    return type(resource)(api=resource._api, **response.json())


class AutomationPackage(Resource):
    """A version of an automation's code (an uploaded package)."""
    _URL = {
        'query': '/automation/automations/{automation_id}/packages',
        'get': '/automation/packages/{id}',
        'archive': '/automation/automations/{automation_id}/packages/{id}'
                   '/actions/archive',
        'restore': '/automation/automations/{automation_id}/packages/{id}'
                   '/actions/restore',
    }

    id = StringField(read_only=True)
    automation = UuidField(read_only=True)
    version = StringField(read_only=True)
    location = StringField(read_only=True)
    schema = DictField(read_only=True)
    created_by = StringField(read_only=True)
    created_on = DateTimeField(read_only=True)
    archived = BooleanField(read_only=True)
    custom_url = StringField(read_only=False)
    memory_limit = IntegerField(read_only=False)
    python = StringField(read_only=True)

    __eq__ = equal_by('id')

    def __str__(self):
        return f'<AutomationPackage: id={self.id}>'

    __repr__ = __str__

    @classmethod
    def query(
            cls, automation: AutomationRef, offset: int | None = None,
            limit: int | None = None, api: Api | None = None) -> Collection:
        """The packages of an automation.

        :param automation: the automation (id or ``Automation``).
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        """
        url = cls._URL['query'].format(
            automation_id=Transform.to_automation(automation))
        return super()._query(url=url, offset=offset, limit=limit,
                              api=api or cls._API)

    @classmethod
    def create(
            cls, automation: AutomationRef, version: str, location: str,
            schema: dict[str, Any], memory_limit: int | None = None,
            python: str | None = None, api: Api | None = None
            ) -> AutomationPackage:
        """Register a package (its code already uploaded to ``location``).

        :param automation: the automation (id or ``Automation``).
        :param version: the package's version.
        :param location: the id of the uploaded code file.
        :param schema: the inputs/outputs schema (a dict).
        :param memory_limit: memory (MB) of runs.
        :param python: the Python version the code needs.
        :param api: the client (default: the one the class is bound to).
        """
        automation_id = Transform.to_automation(automation)
        if version is None:
            raise SbgError('Code package version is required!')
        if location is None:
            raise SbgError('Code package location is required!')
        if schema is None:
            raise SbgError('Schema is required!')
        data = {'version': version, 'location': location, 'schema': schema,
                'memory_limit': memory_limit, 'python': python}
        return cls._create(url=cls._URL['query'].format(
            automation_id=automation_id), data=data, api=api)

    def _package_url(self, key):
        return self._URL[key].format(automation_id=self.automation,
                                     id=self.id)

    @inplace_reload
    def archive(self) -> AutomationPackage:
        """Archive the package."""
        return _action(self, self._package_url('archive'))

    @inplace_reload
    def restore(self) -> AutomationPackage:
        """Restore an archived package."""
        return _action(self, self._package_url('restore'))

    save = patch_save('Save a changed custom URL or memory limit.')


class AutomationMember(Resource):
    """A member of an automation, with its permissions."""
    _URL = {
        'query': '/automation/automations/{automation_id}/members',
        'get': '/automation/automations/{automation_id}/members/{id}',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    username = StringField(read_only=True)
    email = StringField(read_only=True)
    type = StringField(read_only=True)
    name = StringField(read_only=True)
    permissions = CompoundField(Permissions, read_only=False)

    __eq__ = equal_by('username')

    def __str__(self):
        return f'<AutomationMember: username={self.username}>'

    __repr__ = __str__

    @classmethod
    def query(
            cls, automation: AutomationRef | None = None,
            offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """The members of an automation.

        :param automation: the automation (id or ``Automation``).
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        """
        automation_id = Transform.to_automation(automation)
        return super()._query(
            url=cls._URL['query'].format(automation_id=automation_id),
            automation_id=automation_id, offset=offset, limit=limit,
            api=api or cls._API)

    @classmethod
    def get(  # type: ignore[override]
            cls, id: str | AutomationMember, automation: AutomationRef,
            api: Api | None = None) -> AutomationMember:
        """One member of an automation.

        :param id: the member (username or ``AutomationMember``).
        :param automation: the automation (id or ``Automation``).
        :param api: the client (default: the one the class is bound to).
        """
        if isinstance(id, AutomationMember):
            id = id.username
        url = cls._URL['get'].format(
            automation_id=Transform.to_automation(automation),
            id=Transform.to_resource(id))
        return cls._fetch(url=url, api=api)

    @classmethod
    def add(
            cls, user: UserRef, permissions: dict[str, bool],
            automation: AutomationRef, api: Api | None = None
            ) -> AutomationMember:
        """Add a user to an automation.

        :param user: the user (username or ``User``).
        :param permissions: ``{'read': ..., 'copy': ..., 'execute': ...,
            'admin': ...}``.
        :param automation: the automation (id or ``Automation``).
        :param api: the client (default: the one the class is bound to).
        """
        url = cls._URL['query'].format(
            automation_id=Transform.to_automation(automation))
        data = member_payload('username', Transform.to_user(user), None,
                              permissions)
        return cls._create(url=url, data=data, api=api)

    @classmethod
    def add_team(
            cls, team: TeamRef, permissions: dict[str, bool],
            automation: AutomationRef, api: Api | None = None
            ) -> AutomationMember:
        """Add a team to an automation (see :meth:`add`)."""
        url = cls._URL['query'].format(
            automation_id=Transform.to_automation(automation))
        data = member_payload('id', Transform.to_team(team), 'team',
                              permissions)
        return cls._create(url=url, data=data, api=api)

    @classmethod
    def _remove(cls, member, automation, api):
        api = api or cls._API
        api.delete(url=cls._URL['get'].format(
            automation_id=Transform.to_automation(automation), id=member))

    @classmethod
    def remove(
            cls, user: UserRef | AutomationMember, automation: AutomationRef,
            api: Api | None = None) -> None:
        """Remove a user from an automation.

        :param user: the user (username or ``User``).
        :param automation: the automation (id or ``Automation``).
        """
        cls._remove(Transform.to_user(user), automation, api)

    @classmethod
    def remove_team(
            cls, team: TeamRef, automation: AutomationRef,
            api: Api | None = None) -> None:
        """Remove a team from an automation.

        :param team: the team (id or ``Team``).
        :param automation: the automation (id or ``Automation``).
        """
        cls._remove(Transform.to_team(team), automation, api)

    @inplace_reload
    def save(self, inplace: bool = True) -> AutomationMember:
        """Save changed permissions (the whole permission map is sent).

        :raises ResourceNotModified: when no permission changed.
        """
        if not self._modified_data().get('permissions'):
            raise ResourceNotModified()
        permissions = dict(self._data.data.get('permissions') or {})
        self._api.patch(url=self.href, data={'permissions': permissions},
                        append_base=False)
        self._forget_changes()
        return self


class Automation(Resource):
    """An automation: code that drives platform analyses, in versioned
    packages, run as automation runs.

    Example::

        automation = api.automations.create(name='qc-pipeline')
        package = automation.add_package(version='1.0',
                                         file_path='qc.zip', schema={})
    """
    _URL = {
        'query': '/automation/automations',
        'get': '/automation/automations/{id}',
        'member': '/automation/automations/{automation_id}/members/{id}',
        'members': '/automation/automations/{automation_id}/members',
        'packages': '/automation/automations/{automation_id}/packages',
        'archive': '/automation/automations/{automation_id}/actions/archive',
        'restore': '/automation/automations/{automation_id}/actions/restore',
    }

    href = HrefField(read_only=True)
    id = UuidField(read_only=True)
    name = StringField(read_only=False)
    description = StringField(read_only=False)
    billing_group = UuidField(read_only=False)
    owner = StringField(read_only=True)
    created_by = StringField(read_only=True)
    created_on = DateTimeField(read_only=True)
    modified_by = StringField(read_only=True)
    modified_on = DateTimeField(read_only=False)
    archived = BooleanField(read_only=True)
    secret_settings = DictField(read_only=False)
    memory_limit = IntegerField(read_only=False)
    project_based = BooleanField(read_only=False)

    __eq__ = equal_by('id')

    def __str__(self):
        return f'<Automation: id={self.id} name={self.name}>'

    __repr__ = __str__

    @classmethod
    def query(
            cls, name: str | None = None, include_archived: bool = False,
            project_based: bool | None = None, offset: int | None = None,
            limit: int | None = None, api: Api | None = None) -> Collection:
        """The user's automations.

        :param name: only automations with this name.
        :param include_archived: list archived automations too.
        :param project_based: only project-based (or other) automations.
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        """
        return super()._query(url=cls._URL['query'], name=name,
                              include_archived=include_archived,
                              project_based=project_based, offset=offset,
                              limit=limit, api=api or cls._API)

    @classmethod
    def create(
            cls, name: str, description: str | None = None,
            billing_group: BillingGroupRef | None = None,
            secret_settings: dict[str, Any] | None = None,
            project_based: bool | None = None, memory_limit: int | None = None,
            api: Api | None = None) -> Automation:
        """Create an automation.

        :param name: the automation's name.
        :param description: a description.
        :param billing_group: the billing group (id or ``BillingGroup``).
        :param secret_settings: settings hidden from members (a dict).
        :param project_based: runs happen in projects.
        :param memory_limit: memory (MB) of runs.
        :param api: the client (default: the one the class is bound to).
        """
        if name is None:
            raise SbgError('Automation name is required!')
        data: dict[str, Any] = {'name': name}
        if description:
            data['description'] = description
        if billing_group:
            data['billing_group'] = Transform.to_billing_group(billing_group)
        if secret_settings:
            data['secret_settings'] = secret_settings
        if project_based:
            data['project_based'] = project_based
        if memory_limit:
            data['memory_limit'] = memory_limit
        return cls._create(url=cls._URL['query'], data=data, api=api)

    save = patch_save('Save what changed (name, description, billing group, '
                      'settings, memory limit).')

    @inplace_reload
    def archive(self) -> Automation:
        """Archive the automation."""
        return _action(self, self._URL['archive'].format(
            automation_id=self.id))

    @inplace_reload
    def restore(self) -> Automation:
        """Restore an archived automation."""
        return _action(self, self._URL['restore'].format(
            automation_id=self.id))

    # -- packages ---------------------------------------------------------------

    def get_packages(
            self, offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """The automation's packages."""
        return AutomationPackage.query(automation=self.id, offset=offset,
                                       limit=limit, api=api or self._api)

    @classmethod
    def get_package(
            cls, package: AutomationPackageRef, api: Api | None = None
            ) -> AutomationPackage:
        """One package (id or ``AutomationPackage``)."""
        return AutomationPackage._fetch(
            url=AutomationPackage._URL['get'].format(
                id=Transform.to_automation_package(package)),
            api=api or cls._API)

    def add_package(
            self, version: str, file_path: str, schema: dict[str, Any],
            file_name: str | None = None, python: str | None = None,
            retry_count: int = 6, timeout: float = 300,
            part_size: int | None = None, api: Api | None = None
            ) -> AutomationPackage:
        """Upload code and register it as a new package.

        :param version: the package's version.
        :param file_path: the local code archive.
        :param schema: the inputs/outputs schema (a dict).
        :param file_name: the uploaded file's name.
        :param python: the Python version the code needs.
        :param retry_count: attempts per part.
        :param timeout: seconds per storage request.
        :param part_size: bytes per part.
        :param api: the client (default: the automation's).
        :raises SbgError: when the upload fails.
        """
        if version is None:
            raise SbgError('Code package version is required!')
        if file_path is None:
            raise SbgError('Code package file path is required!')
        api = api or self._api
        upload = CodePackageUpload(
            file_path, self.id, api=api, part_size=part_size,
            file_name=file_name, retry_count=retry_count, timeout=timeout)
        upload.start()
        upload.wait()
        uploaded = upload.result()
        if uploaded is None:
            raise SbgError(f'Code package upload of {file_path} failed.')
        return AutomationPackage.create(
            self.id, version=version, location=uploaded.id, schema=schema,
            python=python, api=api)

    # -- members ------------------------------------------------------------------

    def get_member(
            self, username: UserRef | AutomationMember, api: Api | None = None
            ) -> AutomationMember:
        """One member (username or ``AutomationMember``)."""
        return AutomationMember._fetch(
            url=self._URL['member'].format(
                automation_id=self.id,
                id=Transform.to_automation_member(username)),
            api=api or self._api)

    def get_members(
            self, offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """The automation's members."""
        return AutomationMember.query(automation=self.id, offset=offset,
                                      limit=limit, api=api or self._api)

    def add_member(
            self, user: UserRef, permissions: dict[str, bool],
            api: Api | None = None) -> AutomationMember:
        """Add a user (see :meth:`AutomationMember.add`)."""
        return AutomationMember.add(user=user, permissions=permissions,
                                    automation=self.id, api=api or self._api)

    def remove_member(
            self, user: UserRef | AutomationMember, api: Api | None = None
            ) -> None:
        """Remove a user (see :meth:`AutomationMember.remove`)."""
        AutomationMember.remove(user=user, automation=self.id,
                                api=api or self._api)

    def add_team_member(
            self, team: TeamRef, permissions: dict[str, bool],
            api: Api | None = None) -> AutomationMember:
        """Add a team (see :meth:`AutomationMember.add_team`)."""
        return AutomationMember.add_team(
            team=team, permissions=permissions, automation=self.id,
            api=api or self._api)

    def remove_team_member(
            self, team: TeamRef, api: Api | None = None) -> None:
        """Remove a team (see :meth:`AutomationMember.remove_team`)."""
        AutomationMember.remove_team(team=team, automation=self.id,
                                     api=api or self._api)

    def get_runs(
            self, package: AutomationPackageRef | None = None,
            status: str | None = None, name: str | None = None,
            created_by: str | None = None,
            created_from: DateLike | None = None,
            created_to: DateLike | None = None, project_id: str | None = None,
            order_by: str | None = None, order: str | None = None,
            offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """The automation's runs (filters as
        :meth:`AutomationRun.query`)."""
        return AutomationRun.query(
            automation=self.id, package=package, status=status, name=name,
            created_by=created_by, created_from=created_from,
            created_to=created_to, project_id=project_id, order_by=order_by,
            order=order, offset=offset, limit=limit, api=api or self._api)


class AutomationRun(Resource):
    """A run of an automation package."""
    _URL = {
        'query': '/automation/runs',
        'get': '/automation/runs/{id}',
        'actions': '/automation/runs/{id}/actions/{action}',
        'state': '/automation/runs/{id}/state',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    name = StringField(read_only=False)
    automation = CompoundField(Automation, read_only=True)
    package = CompoundField(AutomationPackage, read_only=True)
    inputs = DictField(read_only=False)
    outputs = DictField(read_only=True)
    settings = DictField(read_only=False)
    created_on = DateTimeField(read_only=True)
    start_time = DateTimeField(read_only=True)
    end_time = DateTimeField(read_only=True)
    resumed_from = StringField(read_only=True)
    created_by = StringField(read_only=True)
    status = StringField(read_only=True)
    message = StringField(read_only=True)
    execution_details = DictField(read_only=True)
    memory_limit = IntegerField(read_only=False)
    project_id = StringField(read_only=True)

    __eq__ = equal_by('id')

    def __str__(self):
        return f'<AutomationRun: id={self.id}>'

    __repr__ = __str__

    @classmethod
    def query(
            cls, automation: AutomationRef | None = None,
            package: AutomationPackageRef | None = None,
            status: str | None = None, name: str | None = None,
            created_by: str | None = None,
            created_from: DateLike | None = None,
            created_to: DateLike | None = None, project_id: str | None = None,
            order_by: str | None = None, order: str | None = None,
            offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """Automation runs matching the filters.

        :param automation: the automation (id or ``Automation``).
        :param package: the package (id or ``AutomationPackage``).
        :param status: an :class:`~sevenbridges.models.enums.AutomationStatus`.
        :param name: only runs with this name.
        :param created_by: only runs of this user.
        :param created_from: created since (a date string).
        :param created_to: created until (a date string).
        :param project_id: only runs in this project.
        :param order_by: field to sort on.
        :param order: ``asc`` or ``desc``.
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        :raises ValidationError: for an unknown ``status`` or ``order``
            (nothing is sent).
        """
        check_choice('status', status, AutomationStatus)
        check_choice('order', order, SORT_ORDERS)
        return super()._query(
            url=cls._URL['query'], name=name,
            automation_id=(Transform.to_automation(automation)
                           if automation else None),
            package_id=(Transform.to_automation_package(package)
                        if package else None),
            status=status, created_by=created_by, created_from=created_from,
            created_to=created_to, project_id=project_id, order_by=order_by,
            order=order, offset=offset, limit=limit, api=api or cls._API)

    @staticmethod
    def _run_body(settings, resume_from, name, secret_settings, **leading):
        """``leading`` keys, then each optional key that has a value."""
        body = dict(leading)
        optional = {'settings': settings, 'resume_from': resume_from,
                    'name': name, 'secret_settings': secret_settings}
        body.update((key, value) for key, value in optional.items() if value)
        return body

    @classmethod
    def create(
            cls, package: AutomationPackageRef,
            inputs: dict[str, Any] | None = None,
            settings: dict[str, Any] | None = None,
            resume_from: str | None = None, name: str | None = None,
            secret_settings: dict[str, Any] | None = None,
            memory_limit: int | None = None, api: Api | None = None
            ) -> AutomationRun:
        """Start a run of a package.

        :param package: the package (id or ``AutomationPackage``).
        :param inputs: the run's inputs (a dict).
        :param settings: run settings (a dict).
        :param resume_from: the id of a run to resume.
        :param name: the run's name.
        :param secret_settings: settings hidden from members.
        :param memory_limit: memory (MB) of the run.
        :param api: the client (default: the one the class is bound to).
        """
        data = cls._run_body(
            settings, resume_from, name, secret_settings,
            package=Transform.to_automation_package(package),
            inputs=inputs or {})
        if memory_limit:
            data['memory_limit'] = memory_limit
        return cls._create(url=cls._URL['query'], data=data, api=api)

    save = patch_save('Save a changed name, inputs, settings or memory '
                      'limit.')

    @classmethod
    def rerun(
            cls, id: str, package: AutomationPackageRef | None = None,
            inputs: dict[str, Any] | None = None,
            settings: dict[str, Any] | None = None,
            resume_from: str | None = None, name: str | None = None,
            secret_settings: dict[str, Any] | None = None, merge: bool = True,
            api: Api | None = None) -> AutomationRun:
        """Run a finished run again, optionally with changes.

        :param id: the run (id or ``AutomationRun``).
        :param package: another package (id or ``AutomationPackage``).
        :param inputs: inputs to change.
        :param settings: settings to change.
        :param resume_from: the id of a run to resume.
        :param name: the new run's name.
        :param secret_settings: secret settings to change.
        :param merge: merge the changes into the original run's inputs and
            settings (``False`` replaces them).
        :param api: the client (default: the one the class is bound to).
        """
        data = cls._run_body(settings, resume_from, name, secret_settings,
                             merge=merge)
        if package:
            data['package'] = Transform.to_automation_package(package)
        if inputs:
            data['inputs'] = inputs
        url = cls._URL['actions'].format(
            id=Transform.to_automation_run(id), action='rerun')
        return cls._create(url=url, data=data, api=api)

    def stop(self, api: Api | None = None) -> bytes | None:
        """Stop the run.

        :return: the server's answer (bytes).
        """
        api = api or self._api
        response = api.post(url=self._URL['actions'].format(
            id=self.id, action='stop'))
        return response.content if response is not None else None

    def get_log_file(self, api: Api | None = None) -> File | None:
        """The run's log ``File``, or ``None`` when there is none yet."""
        log_file = (self.execution_details or {}).get('log_file')
        if not log_file:
            return None
        return File(api=api or self._api, **log_file)

    def get_state(self, api: Api | None = None) -> dict[str, Any]:
        """The run's state file, parsed (a dict)."""
        api = api or self._api
        return api.get(url=self._URL['state'].format(id=self.id)).json()
