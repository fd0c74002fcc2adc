"""Divisions, teams, datasets, markers, and the money: invoices and
billing-group breakdowns computed from the emulator's own tasks, storage and
downloads.

Prices are the emulator's own, made up but stable: storage costs
``STORAGE_PRICE`` USD per GB-month, egress ``EGRESS_PRICE`` USD per GB, and a
task costs what its ``price`` says when it ends.
"""
import uuid
from datetime import datetime, timezone

from sevenbridges.emulator.bodies import field
from sevenbridges.emulator.errors import ApiError
from sevenbridges.emulator.members import Memberships
from sevenbridges.emulator.platform import ALL_PERMISSIONS, now

STORAGE_PRICE = 0.023
EGRESS_PRICE = 0.09
GB = 1000 ** 3
DATASET_PERMISSIONS = {'read': True, 'write': False, 'copy': True,
                       'execute': False, 'admin': False}


def _gb(size):
    return round(size / GB, 9)


def _money(amount):
    return {'currency': 'USD', 'amount': round(amount, 6)}


def _period_start(clock=None):
    clock = clock or datetime.now(timezone.utc)
    return clock.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _parse_day(value):
    """A ``MM-DD-YYYY`` (the platform's format) or ISO date, as text
    comparable with the stored ISO timestamps."""
    if not value:
        return None
    for pattern in ('%m-%d-%Y', '%Y-%m-%d'):
        try:
            return datetime.strptime(value, pattern).strftime('%Y-%m-%d')
        except ValueError:
            continue
    raise ApiError(400, f'Invalid date {value!r}: use MM-DD-YYYY.', 9000)


class Accounts:
    """Everything around users that is not a project: divisions, teams,
    datasets, markers, invoices and breakdowns."""

    def __init__(self, platform):
        self.platform = platform
        self.store = platform.store
        self.dataset_members = Memberships(platform, 'dataset_members',
                                           DATASET_PERMISSIONS)

    # -- divisions ------------------------------------------------------------

    def divisions(self, user):
        return [division for division in self.store.find('divisions')
                if user['username'] in division['_members']]

    def division(self, user, division_id, need=None):
        division = self.store.get('divisions', division_id)
        if division is None or user['username'] not in division['_members']:
            raise ApiError(404, f'Division {division_id} not found.', 5015)
        if need and division['_members'][user['username']] != need:
            raise ApiError(403, f'Only division {need}s may do this.', 6001)
        return division

    def division_users(self, user, division_id, role=None):
        division = self.division(user, division_id)
        users = []
        for username, member_role in division['_members'].items():
            if role and member_role != role.lower():
                continue
            users.append(dict(self.platform.user(username),
                              role=member_role.upper()))
        return users

    def disable_user(self, user, username):
        target = self.platform.user(username)
        if not any(username in division['_members'] and
                   division['_members'].get(user['username']) == 'admin'
                   for division in self.store.find('divisions')):
            raise ApiError(403, 'Only an admin of the user\'s division may '
                                'disable the user.', 6001)
        with self.store.transaction():
            for token in self.store.find('tokens'):
                if token['username'] == username:
                    self.store.delete('tokens', token['id'])
            target['_disabled'] = True
            self.store.put('users', target)

    # -- teams ----------------------------------------------------------------

    def create_team(self, user, body):
        division = self.division(user, body.get('division') or '')
        name = body.get('name')
        if not name or not isinstance(name, str):
            raise ApiError(400, 'A team name is required.', 9000)
        if any(team['name'] == name for team in self.teams(
                user, division['id'], everyone=True)):
            raise ApiError(409, f'Team {name} already exists.', 5005)
        team = {'id': str(uuid.uuid4()), 'name': name,
                'division': division['id'],
                '_members': {user['username']: 'ADMIN'}}
        return self.store.put('teams', team, project=division['id'])

    def teams(self, user, division_id, everyone=False):
        self.division(user, division_id)
        return [team for team in self.store.find('teams',
                                                 project=division_id)
                if everyone or user['username'] in team['_members']]

    def team(self, user, team_id, manage=False):
        team = self.store.get('teams', team_id)
        if team is None:
            raise ApiError(404, f'Team {team_id} not found.', 5016)
        division = self.division(user, team['division'])
        if manage and team['_members'].get(user['username']) != 'ADMIN' \
                and division['_members'][user['username']] != 'admin':
            raise ApiError(403, 'Only team or division admins may change a '
                                'team.', 6001)
        return team

    def rename_team(self, user, team_id, body):
        team = self.team(user, team_id, manage=True)
        if 'name' in body:
            if not field(body, 'name', str):
                raise ApiError(400, 'A team name is required.', 9000)
            team['name'] = body['name']
        return self.store.put('teams', team, project=team['division'])

    def add_team_member(self, user, team_id, username):
        team = self.team(user, team_id, manage=True)
        if not username or not isinstance(username, str):
            raise ApiError(400, 'The user (id) is required.', 9000)
        division = self.store.get('divisions', team['division'])
        if username not in division['_members']:
            raise ApiError(400, f'{username} is not in the division.', 9000)
        if username in team['_members']:
            raise ApiError(409, f'{username} is already a member.', 5005)
        team['_members'][username] = 'MEMBER'
        self.store.put('teams', team, project=team['division'])
        return team, username

    def remove_team_member(self, user, team_id, username):
        team = self.team(user, team_id, manage=True)
        if team['_members'].pop(username, None) is None:
            raise ApiError(404, f'Member {username} not found.')
        self.store.put('teams', team, project=team['division'])

    # -- datasets -------------------------------------------------------------

    def add_dataset(self, owner, name, description='', public=False,
                    project=None):
        """A dataset; its files are those at the root of ``project`` (none
        without one)."""
        dataset = {'id': f'{owner}/{name}', 'name': name,
                   'description': description, '_public': public,
                   '_owner': owner, '_project': project}
        with self.store.transaction():
            self.store.put('datasets', dataset)
            self.dataset_members.add(dataset['id'], owner, 'USER',
                                     ALL_PERMISSIONS)
        return dataset

    def dataset_permissions(self, user, dataset):
        permissions = self.dataset_members.permissions(dataset['id'],
                                                       user['username'])
        if permissions:
            return permissions
        return DATASET_PERMISSIONS if dataset['_public'] else {}

    def datasets(self, user, visibility=None, owner=None):
        if visibility not in (None, 'public', 'private'):
            raise ApiError(400, 'visibility must be public or private.',
                           9000)
        return [dataset for dataset in self.store.find('datasets')
                if self.dataset_permissions(user, dataset).get('read')
                and (visibility is None or dataset['_public'] ==
                     (visibility == 'public'))
                and (owner is None or dataset['_owner'] == owner)]

    def dataset(self, user, dataset_id, need='read'):
        dataset = self.store.get('datasets', dataset_id)
        permissions = self.dataset_permissions(user, dataset) \
            if dataset else {}
        if not permissions.get('read'):
            raise ApiError(404, f'Dataset {dataset_id} not found.', 5017)
        if not permissions.get(need):
            raise ApiError(403, f'Insufficient privileges ({need}) on '
                                f'dataset {dataset_id}.', 6001)
        return dataset

    def dataset_folder(self, user, dataset_id):
        """The folder whose files a dataset holds (``None``: no files)."""
        dataset = self.dataset(user, dataset_id)
        project = self.store.get('projects', dataset.get('_project') or '')
        return project['root_folder'] if project else None

    def update_dataset(self, user, dataset_id, body):
        dataset = self.dataset(user, dataset_id, 'write')
        for key in ('name', 'description'):
            if field(body, key, str) is not None:
                dataset[key] = body[key]
        return self.store.put('datasets', dataset)

    def delete_dataset(self, user, dataset_id):
        dataset = self.dataset(user, dataset_id, 'admin')
        with self.store.transaction():
            self.dataset_members.remove_all(dataset['id'])
            self.store.delete('datasets', dataset['id'])

    # -- markers --------------------------------------------------------------

    def create_marker(self, user, body):
        file = self.platform.file(user, body.get('file') or '')
        if file['type'] != 'file':
            raise ApiError(400, 'Markers go on files.', 9000)
        if not field(body, 'name', str):
            raise ApiError(400, 'A marker name is required.', 9000)
        field(body, 'chromosome', str)
        field(body, 'private', bool)
        position = body.get('position')
        self._check_position(position)
        marker = {'id': uuid.uuid4().hex, 'file': file['id'],
                  'name': body['name'], 'chromosome': body.get('chromosome'),
                  'position': position, 'private': body.get('private', True),
                  'created_time': now(), 'created_by': user['username']}
        return self.store.put('markers', marker, project=file['id'])

    @staticmethod
    def _check_position(position):
        if not isinstance(position, dict) or not all(
                isinstance(position.get(key), int) and position[key] >= 0
                for key in ('start', 'end')):
            raise ApiError(400, 'position needs whole numbers start and '
                                'end.', 9000)
        if position['end'] < position['start']:
            raise ApiError(400, 'position end is before its start.', 9000)

    def markers(self, user, file_id):
        file = self.platform.file(user, file_id or '')
        return [marker for marker in self.store.find('markers',
                                                     project=file['id'])
                if not marker['private'] or
                marker['created_by'] == user['username']]

    def marker(self, user, marker_id, need='read'):
        marker = self.store.get('markers', marker_id)
        if marker is None or (marker['private'] and
                              marker['created_by'] != user['username']):
            raise ApiError(404, f'Marker {marker_id} not found.', 5018)
        self.platform.file(user, marker['file'], need)
        return marker

    def update_marker(self, user, marker_id, body):
        marker = self.marker(user, marker_id, 'write')
        for key in ('name', 'chromosome'):
            if field(body, key, str) is not None:
                marker[key] = body[key]
        if body.get('position') is not None:
            position = dict(marker['position'],
                            **field(body, 'position', dict))
            self._check_position(position)
            marker['position'] = position
        return self.store.put('markers', marker, project=marker['file'])

    def delete_marker(self, user, marker_id):
        marker = self.marker(user, marker_id, 'write')
        self.store.delete('markers', marker['id'])

    # -- money ----------------------------------------------------------------

    def group_projects(self, group_id):
        return [project for project in self.store.find('projects')
                if project.get('billing_group') == group_id]

    def analysis_rows(self, user, group_id, since=None, until=None):
        group = self.platform.billing_group(user, group_id)
        rows = []
        for project in self.group_projects(group['id']):
            for task in self.store.find('tasks', project=project['id']):
                if task['batch'] or not task.get('start_time'):
                    continue
                day = task['start_time'][:10]
                if (since and day < since) or (until and day > until):
                    continue
                amount = (task.get('price') or {}).get('amount', 0.0)
                rows.append({
                    'project_name': project['name'],
                    'analysis_app_name': task['app'].split('/')[2],
                    'analysis_name': task['name'],
                    'analysis_type': 'TASK', 'analysis_id': task['id'],
                    'ran_by': task['executed_by'],
                    'analysis_status': task['status'],
                    'analysis_cost': {
                        'currency': 'USD', 'amount': str(amount),
                        'breakdown': {'storage': 0.0, 'computation': amount,
                                      'data_transfer_in': 0.0}},
                    'refunded_amount': 0.0,
                    'time_started': task['start_time'],
                    'time_finished': task.get('end_time'),
                    'project_locked': project['settings'].get('locked',
                                                              False)})
        return rows

    def storage_rows(self, user, group_id):
        group = self.platform.billing_group(user, group_id)
        rows = []
        for project in self.group_projects(group['id']):
            size = sum(file['size'] for file in
                       self.store.find('files', project=project['id'])
                       if file['type'] == 'file')
            rows.append({
                'project_name': project['name'],
                'project_created_by': project['created_by'],
                'location': 'aws:us-east-1',
                'active': {'size': _gb(size), 'unit': 'GB',
                           'cost': _money(_gb(size) * STORAGE_PRICE)},
                'archived': {'size': 0.0, 'unit': 'GB',
                             'cost': _money(0.0)},
                'project_locked': project['settings'].get('locked', False)})
        return rows

    def egress_rows(self, user, group_id, since=None, until=None):
        group = self.platform.billing_group(user, group_id)
        rows = []
        for project in self.group_projects(group['id']):
            by_user = {}
            for event in self.store.find('egress', project=project['id']):
                day = event['on'][:10]
                if (since and day < since) or (until and day > until):
                    continue
                by_user[event['username']] = \
                    by_user.get(event['username'], 0) + event['size']
            for username, size in sorted(by_user.items()):
                rows.append({
                    'project_name': project['name'],
                    'downloaded_by': username,
                    'downloaded': {'size': _gb(size), 'unit': 'GB'},
                    'egress_cost': {'currency': 'USD', 'amount': str(
                        round(_gb(size) * EGRESS_PRICE, 6))},
                    'project_locked': project['settings'].get('locked',
                                                              False)})
        return rows

    def record_download(self, user, file):
        """Count a download towards its project's egress."""
        if file.get('project'):
            self.store.put('egress', {
                'id': uuid.uuid4().hex, 'username': user['username'],
                'size': file['size'], 'on': now()}, project=file['project'])

    def invoices(self, user):
        """One pending invoice per billing group of the user: this month
        so far."""
        start = _period_start()
        since = start.strftime('%Y-%m-%d')
        found = []
        for group in self.platform.billing_groups(user):
            analysis = sum(float(row['analysis_cost']['amount']) for row in
                           self.analysis_rows(user, group['id'], since))
            storage = sum(row['active']['cost']['amount']
                          for row in self.storage_rows(user, group['id']))
            found.append({
                'id': str(uuid.uuid5(uuid.NAMESPACE_URL,
                                     f'{group["id"]}/{since}')),
                'pending': True, 'analysis_costs': _money(analysis),
                'storage_costs': _money(storage),
                'total': _money(analysis + storage),
                'invoice_period': {'from': start.strftime(
                    '%Y-%m-%dT%H:%M:%SZ'), 'to': now()},
                '_group': group['id']})
        return found

    def invoice(self, user, invoice_id):
        for invoice in self.invoices(user):
            if invoice['id'] == invoice_id:
                return invoice
        raise ApiError(404, f'Invoice {invoice_id} not found.', 5019)

    def breakdown_window(self, user, group_id, args):
        """The ``(since, until)`` days of a breakdown request: its dates, or
        the period of the invoice it names."""
        since = _parse_day(args.get('date_from'))
        until = _parse_day(args.get('date_to'))
        invoice_id = args.get('invoice_id')
        if invoice_id:
            invoice = self.invoice(user, invoice_id)
            if invoice['_group'] != group_id:
                raise ApiError(400, 'The invoice is not of this billing '
                                    'group.', 9000)
            since = invoice['invoice_period']['from'][:10]
            until = invoice['invoice_period']['to'][:10]
        return since, until
