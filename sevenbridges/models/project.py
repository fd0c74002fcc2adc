"""Projects (``api.projects``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Iterator

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import check_choice, check_name
from sevenbridges.meta.fields import (
    BasicListField,
    CompoundField,
    DateTimeField,
    HrefField,
    StringField,
    UuidField,
)
from sevenbridges.meta.resource import Resource, equal_by, patch_save
from sevenbridges.meta.transformer import Transform
from sevenbridges.models import member as members
from sevenbridges.models.compound.projects.settings import Settings
from sevenbridges.models.enums import TaskStatus
from sevenbridges.models.member import member_payload

if TYPE_CHECKING:
    from sevenbridges._types import (
        Api,
        AppRef,
        BillingGroupRef,
        DivisionRef,
        TeamRef,
        UserRef,
        VolumeRef,
    )
    from sevenbridges.meta.collection import Collection
    from sevenbridges.models.file import File
    from sevenbridges.models.member import Member
    from sevenbridges.models.task import Task


class Project(Resource):
    """A project: files, apps and tasks shared by its members.

    Example::

        project = api.projects.create(name='pilot', billing_group=group)
        project.add_member(user='jwatson',
                           permissions={'read': True, 'write': True})
    """
    _URL = {
        'query': '/projects/{owner}',
        'create': '/projects',
        'get': '/projects/{id}',
        'delete': '/projects/{id}',
        'member': '/projects/{id}/members/{username}',
        'members_query': '/projects/{id}/members',
        'apps': '/apps',
        'files': '/files',
        'tasks': '/tasks',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    name = StringField(read_only=False)
    billing_group = UuidField(read_only=False)
    description = StringField(read_only=False)
    type = StringField(read_only=False, max_length=2)
    tags = BasicListField(read_only=False)
    settings = CompoundField(Settings, read_only=False)
    root_folder = StringField(read_only=True)
    created_by = StringField(read_only=True)
    created_on = DateTimeField(read_only=True)
    modified_on = DateTimeField(read_only=True)
    category = StringField(read_only=False)

    def __str__(self):
        return f'<Project: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    @classmethod
    def query(
            cls, owner: str | None = None, name: str | None = None,
            offset: int | None = None, limit: int | None = None,
            api: Api | None = None, category: str | None = None,
            tags: list[str] | None = None) -> Collection:
        """The projects the user can see.

        :param owner: only projects of this owner (username).
        :param name: only projects with this name.
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        :param category: only projects of this category.
        :param tags: only projects with all these tags (a list).
        """
        params = {}
        if tags is not None:
            tags = Transform.to_tags(tags)
            if tags:
                params['tags'] = tags
        if name:
            params['name'] = name
        if category:
            params['category'] = category
        url = cls._URL['query'].format(owner=owner or '')
        return super()._query(url=url, offset=offset, limit=limit,
                              fields='_all', api=api or cls._API, **params)

    @classmethod
    def create(
            cls, name: str, billing_group: BillingGroupRef | None = None,
            description: str | None = None, tags: list[str] | None = None,
            settings: dict[str, Any] | None = None, api: Api | None = None
            ) -> Project:
        """Create a project.

        :param name: the project's name.
        :param billing_group: the billing group (id or ``BillingGroup``).
        :param description: a description (Markdown).
        :param tags: a list of tags.
        :param settings: e.g. ``{'locked': False}``.
        :param api: the client (default: the one the class is bound to).
        :raises SbgError: when ``name`` is missing or blank (a
            ``ValidationError``; nothing is sent).
        """
        check_name('name', name, 'Project name is required!')
        data: dict[str, Any] = {'name': name}
        if billing_group:
            data['billing_group'] = Transform.to_billing_group(billing_group)
        if description:
            data['description'] = description
        if tags:
            data['tags'] = tags
        if settings:
            data['settings'] = settings
        return cls._create(url=cls._URL['create'], data=data, api=api)

    save = patch_save('Save what changed (only changed fields and settings are sent).')

    # -- members ------------------------------------------------------------

    get_members = members.get_members

    def _add_member(self, payload):
        return members.create_member(self, payload)

    def add_member(
            self, user: UserRef, permissions: dict[str, bool]) -> Member:
        """Add a user as a member.

        :param user: the user (username or ``User``).
        :param permissions: ``{'read': True, 'write': False, 'copy': ...,
            'execute': ..., 'admin': ...}``.
        :return: the new :class:`~sevenbridges.models.member.Member`.
        """
        return self._add_member(member_payload(
            'username', Transform.to_user(user), 'USER', permissions))

    def add_member_team(
            self, team: TeamRef, permissions: dict[str, bool]) -> Member:
        """Add a team as a member (see :meth:`add_member`)."""
        return self._add_member(member_payload(
            'username', Transform.to_team(team), 'TEAM', permissions))

    def add_member_division(
            self, division: DivisionRef, permissions: dict[str, bool]
            ) -> Member:
        """Add a division as a member (see :meth:`add_member`)."""
        return self._add_member(member_payload(
            'username', Transform.to_division(division), 'DIVISION',
            permissions))

    def add_member_email(
            self, email: str, permissions: dict[str, bool] | None = None
            ) -> Member:
        """Invite a member by e-mail (see :meth:`add_member`)."""
        return self._add_member(member_payload('email', email, None,
                                               permissions))

    get_member = members.get_member
    remove_member = members.remove_member

    # -- contents -----------------------------------------------------------

    def get_files(
            self, offset: int | None = None, limit: int | None = None
            ) -> Collection:
        """The files at the root of the project."""
        from sevenbridges.models.file import File
        return File._query(url=self._URL['files'], project=self.id,
                           fields='_all', offset=offset, limit=limit,
                           api=self._api)

    def walk(self, include_folders: bool = False) -> Iterator[File]:
        """Yield every file of the project, recursively, one page request
        at a time (depth first, a folder's contents right after it), as
        :meth:`File.walk <sevenbridges.models.file.File.walk>` does below a
        folder. ``api.folders.walk_files(project=...)`` gives each file's
        path too.

        :param include_folders: yield the folders too.
        """
        from sevenbridges.transfer.tree import walk_files  # folder trees
        for _, item in walk_files(self._api, project=self.id,
                                  include_folders=include_folders):
            yield item

    def add_files(self, files: Iterable[File]) -> None:
        """Copy files into the project.

        :param files: ``File`` objects.
        """
        for file in files:
            file.copy(project=self.id)

    def get_apps(
            self, offset: int | None = None, limit: int | None = None
            ) -> Collection:
        """The apps of the project."""
        from sevenbridges.models.app import App
        return App._query(url=self._URL['apps'], project=self.id,
                          offset=offset, limit=limit, api=self._api)

    def get_tasks(
            self, status: str | None = None, offset: int | None = None,
            limit: int | None = None) -> Collection:
        """The tasks of the project, optionally only those in ``status``
        (a :class:`~sevenbridges.models.enums.TaskStatus`)."""
        from sevenbridges.models.task import Task
        check_choice('status', status, TaskStatus)
        return Task._query(url=self._URL['tasks'], project=self.id,
                           status=status or None, offset=offset, limit=limit,
                           fields='_all', api=self._api)

    def get_imports(
            self, volume: VolumeRef | None = None, state: str | None = None,
            offset: int | None = None, limit: int | None = None) -> Collection:
        """Volume imports into the project (see ``api.imports.query``)."""
        from sevenbridges.models.storage_import import Import
        return Import.query(project=self.id, volume=volume, state=state,
                            offset=offset, limit=limit, api=self._api)

    def get_exports(
            self, volume: VolumeRef | None = None, state: str | None = None,
            offset: int | None = None, limit: int | None = None) -> Collection:
        """Not available: the platform lists exports by volume, not by
        project.

        :raises SbgError: always (use ``api.exports.query(volume=...)``).
        """
        raise SbgError('Exports can not be listed by project: use '
                       'api.exports.query(volume=..., state=...) instead.')

    def create_task(
            self, name: str, app: AppRef, revision: int | None = None,
            batch_input: str | None = None,
            batch_by: dict[str, Any] | None = None,
            inputs: dict[str, Any] | None = None,
            description: str | None = None, run: bool = False,
            disable_batch: bool = False, interruptible: bool = True,
            execution_settings: dict[str, Any] | None = None) -> Task:
        """Create a task in the project (see ``api.tasks.create``)."""
        from sevenbridges.models.task import Task
        return Task.create(
            name=name, project=self, app=app, revision=revision,
            batch_input=batch_input, batch_by=batch_by, inputs=inputs,
            description=description, run=run, disable_batch=disable_batch,
            interruptible=interruptible,
            execution_settings=execution_settings, api=self._api)
