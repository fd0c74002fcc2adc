"""Datasets and their members."""
from sevenbridges.emulator.state.checks import field
from sevenbridges.emulator.state.common import ALL_PERMISSIONS
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.members import check_access

DATASET_PERMISSIONS = {'read': True, 'write': False, 'copy': True,
                       'execute': False, 'admin': False}


class Datasets:
    """The ``datasets`` collection; the members are the
    ``dataset_members`` :class:`~.members.Memberships`.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param projects: the :class:`~.projects.Projects` (a dataset's files
        are those at the root of its project).
    :param members: the dataset members' ``Memberships``.
    """

    def __init__(self, store, projects, members):
        self.store = store
        self.projects = projects
        self.members = members

    def add(self, owner, name, description='', public=False, project=None):
        """A dataset; its files are those at the root of ``project`` (none
        without one)."""
        dataset = {'id': f'{owner}/{name}', 'name': name,
                   'description': description, '_public': public,
                   '_owner': owner, '_project': project}
        with self.store.transaction():
            self.store.put('datasets', dataset)
            self.members.add(dataset['id'], owner, 'USER', ALL_PERMISSIONS)
        return dataset

    def permissions(self, user, dataset):
        permissions = self.members.permissions(dataset['id'],
                                               user['username'])
        if permissions:
            return permissions
        return DATASET_PERMISSIONS if dataset['_public'] else {}

    def query(self, user, visibility=None, owner=None):
        if visibility not in (None, 'public', 'private'):
            raise ApiError(400, 'visibility must be public or private.',
                           9000)
        return [dataset for dataset in self.store.find('datasets')
                if self.permissions(user, dataset).get('read')
                and (visibility is None or dataset['_public'] ==
                     (visibility == 'public'))
                and (owner is None or dataset['_owner'] == owner)]

    def get(self, user, dataset_id, need='read'):
        dataset = self.store.get('datasets', dataset_id)
        permissions = self.permissions(user, dataset) if dataset else {}
        check_access(permissions, need, 'Dataset', dataset_id, 5017)
        return dataset

    def folder(self, user, dataset_id):
        """The folder whose files a dataset holds (``None``: no files)."""
        dataset = self.get(user, dataset_id)
        project = self.projects.find(dataset.get('_project') or '')
        return project['root_folder'] if project else None

    def update(self, user, dataset_id, body):
        dataset = self.get(user, dataset_id, 'write')
        for key in ('name', 'description'):
            if field(body, key, str) is not None:
                dataset[key] = body[key]
        return self.store.put('datasets', dataset)

    def delete(self, user, dataset_id):
        dataset = self.get(user, dataset_id, 'admin')
        with self.store.transaction():
            self.members.remove_all(dataset['id'])
            self.store.delete('datasets', dataset['id'])
