"""Divisions, their users, and teams."""
import uuid

from sevenbridges.emulator.state.checks import field
from sevenbridges.emulator.state.errors import ApiError

# Groups that can be members of shared resources, and where they are kept.
GROUPS = {'TEAM': 'teams', 'DIVISION': 'divisions'}


class Teams:
    """The ``divisions`` and ``teams`` collections.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param users: the :class:`~sevenbridges.emulator.state.users.Users`.
    """

    def __init__(self, store, users):
        self.store = store
        self.users = users

    def group(self, kind, group_id):
        """The team or division (``kind`` ``TEAM`` or ``DIVISION``)
        ``group_id``; ``None`` when there is none."""
        collection = GROUPS.get(kind)
        return collection and self.store.get(collection, group_id)

    # -- divisions ------------------------------------------------------------

    def add_division(self, division_id, name, members):
        """A division; ``members`` maps usernames to ``admin`` or
        ``member``."""
        return self.store.put('divisions', {
            'id': division_id, 'name': name, '_members': dict(members)})

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
            users.append(dict(self.users.get(username),
                              role=member_role.upper()))
        return users

    def disable_user(self, user, username):
        """Disable a user: only an admin of the user's division may."""
        self.users.get(username)
        if not any(username in division['_members'] and
                   division['_members'].get(user['username']) == 'admin'
                   for division in self.store.find('divisions')):
            raise ApiError(403, 'Only an admin of the user\'s division may '
                                'disable the user.', 6001)
        self.users.disable(username)

    # -- teams ----------------------------------------------------------------

    def teams_of(self, username):
        """The teams ``username`` is a member of, in every division."""
        return [team for team in self.store.find('teams')
                if username in team['_members']]

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
