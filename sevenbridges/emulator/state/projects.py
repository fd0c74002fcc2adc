"""Projects and their members."""
import re

from sevenbridges.emulator.state.checks import (
    INVALID,
    field,
    identifier,
    strings,
)
from sevenbridges.emulator.state.common import ALL_PERMISSIONS, READ_ONLY, now
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.members import check_access


def short_name(name):
    """The short name of a project id: lower case, each run of characters
    other than letters and digits one ``-``, none at either end."""
    return re.sub(r'[^a-z0-9]+', '-', name.lower()).strip('-')


class Projects:
    """The ``projects`` collection; the members are the ``members``
    :class:`~sevenbridges.emulator.state.members.Memberships`.

    What lives in a project is other services': :meth:`connect` tells
    where a new project's root folder comes from and who removes what a
    deleted project held.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param billing: the
        :class:`~sevenbridges.emulator.state.billing.BillingGroups`.
    :param members: the project members' ``Memberships``.
    """

    def __init__(self, store, billing, members):
        self.store = store
        self.billing = billing
        self.members = members
        self._new_root = None
        self._removers = []

    def connect(self, new_root, removers):
        """:param new_root: ``new_root(project_id, name)`` stores the
            root folder of a new project and returns it.
        :param removers: each ``remover(project)`` removes what the
            project held, when it is deleted.
        """
        self._new_root = new_root
        self._removers = list(removers)

    def find(self, project_id):
        """The project ``project_id`` without any check (``None`` when
        there is none)."""
        return self.store.get('projects', project_id)

    def get(self, user, project_id, need='read'):
        """The project, if ``user`` may ``need`` it (a 404 when they may
        not read it, a 403 when they may read it only)."""
        project = self.store.get('projects', identifier(project_id,
                                                        'project'))
        permissions = self.permissions(user, project) if project else {}
        check_access(permissions, need, 'Project', project_id, 5002)
        return project

    def permissions(self, user, project):
        """What ``user`` may do in ``project``: as a member, through a
        team or division that is a member, or read-only when it is
        public."""
        permissions = self.members.granted(project['id'], user['username'])
        if permissions:
            return permissions
        return READ_ONLY if project.get('_public') else {}

    def readable(self, user, project_id):
        """Whether ``user`` may read the project ``project_id``."""
        project = self.store.get('projects', project_id)
        return bool(project) and bool(self.permissions(user, project)
                                      .get('read'))

    def of(self, user):
        """The projects of ``user``: those they are a member of (public
        ones only if they created them)."""
        return [project for project in self.store.find('projects')
                if self.permissions(user, project).get('read')
                and not project.get('_public')
                or project['created_by'] == user['username']]

    def query(self, user, owner=None, name=None, category=None, tags=()):
        """The projects of ``user``, by owner, name, category and tags
        (every one of them)."""
        return [project for project in self.of(user)
                if (not owner or project['id'].split('/')[0] == owner)
                and (not name or project['name'] == name)
                and (not category or project['category'] == category)
                and set(tags) <= set(project['tags'])]

    def public(self):
        """The public projects."""
        return [project for project in self.store.find('projects')
                if project.get('_public')]

    def of_billing_group(self, group_id):
        """The projects billed to ``group_id``."""
        return [project for project in self.store.find('projects')
                if project.get('billing_group') == group_id]

    def create(self, user, body, public=False, project_id=None):
        """A new project of ``user``; its id is derived from its name
        (:func:`short_name`, ``-1``, ``-2``... when taken) unless
        ``project_id`` is given."""
        name = field(body, 'name', str)
        if not name:
            raise ApiError(400, 'Project name is required.', INVALID)
        owner = user['username']
        if project_id is None:
            project_id = self._free_id(owner, name)
        elif self.store.get('projects', project_id):
            raise ApiError(409, f'Project {project_id} already exists.',
                           5005)
        group = field(body, 'billing_group', str)
        if group:
            self.billing.get(user, group)
        else:
            group = self._default_billing_group(user)
        settings = field(body, 'settings', dict, default={})
        project = {
            'id': project_id, 'name': name, 'billing_group': group,
            'description': field(body, 'description', str, default=''),
            'type': 'v2', 'tags': strings(body, 'tags'),
            'category': 'PRIVATE',
            'settings': dict({'locked': False,
                              'use_interruptible_instances': True,
                              'use_memoization': False}, **settings),
            'root_folder': None, 'created_by': owner,
            'created_on': now(), 'modified_on': now(), '_public': public}
        with self.store.transaction():
            root = self._new_root(project_id, project_id.split('/')[1])
            project['root_folder'] = root['id']
            self.store.put('projects', project)
            self.members.add(project_id, owner, 'USER', ALL_PERMISSIONS)
        return project

    def _free_id(self, owner, name):
        """``owner/<short name>``, with ``-1``, ``-2``... when taken."""
        short = short_name(name)
        if not short:
            raise ApiError(400, 'The project name needs a letter or a digit.',
                           INVALID)
        project_id, number = f'{owner}/{short}', 0
        while self.store.get('projects', project_id):
            number += 1
            project_id = f'{owner}/{short}-{number}'
        return project_id

    def _default_billing_group(self, user):
        """The billing group of a project created without one: the user's
        first."""
        groups = self.billing.of(user)
        if not groups:
            raise ApiError(400, 'billing_group is required: the user has no '
                                'billing group to use.', INVALID)
        return groups[0]['id']

    def update(self, user, project_id, body):
        project = self.get(user, project_id, 'write')
        for key in ('name', 'description', 'billing_group', 'category'):
            if field(body, key, str) is not None:
                project[key] = body[key]
        if body.get('billing_group'):
            self.billing.get(user, body['billing_group'])
        for key in ('name', 'billing_group'):
            if key in body and not body[key]:
                raise ApiError(400, f'{key} can not be empty.', INVALID)
        if 'tags' in body:
            project['tags'] = strings(body, 'tags')
        project['settings'].update(field(body, 'settings', dict, default={}))
        project['modified_on'] = now()
        return self.store.put('projects', project)

    def delete(self, user, project_id):
        """Delete a project, with everything it held (files, tasks and
        their logs, members)."""
        project = self.get(user, project_id, 'admin')
        with self.store.transaction():
            for remove in self._removers:
                remove(project)
            self.members.remove_all(project['id'])
            self.store.delete('projects', project['id'])
