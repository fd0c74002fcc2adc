"""Teams of a division (``api.teams``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sevenbridges.meta.fields import HrefField, StringField
from sevenbridges.meta.resource import Resource, equal_by, patch_save
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.team_member import TeamMember

if TYPE_CHECKING:
    from sevenbridges._types import Api, DivisionRef, UserRef
    from sevenbridges.meta.collection import Collection


class Team(Resource):
    """A team: a named group of division members."""
    _URL = {
        'query': '/teams',
        'get': '/teams/{id}',
        'members_query': '/teams/{id}/members',
        'members_get': '/teams/{id}/members/{member}',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    name = StringField(read_only=False)

    def __str__(self):
        return f'<Team: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    @classmethod
    def query(
            cls, division: DivisionRef, list_all: bool = False,
            offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """The teams of a division.

        :param division: the division (id or ``Division``).
        :param list_all: all teams of the division, not only the user's.
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        """
        division = Transform.to_division(division)
        return super()._query(url=cls._URL['query'], division=division,
                              _all=list_all, offset=offset, limit=limit,
                              fields='_all', api=api or cls._API)

    @classmethod
    def create(
            cls, name: str, division: DivisionRef, api: Api | None = None
            ) -> Team:
        """Create a team in a division.

        :param name: the team's name.
        :param division: the division (id or ``Division``).
        :param api: the client (default: the one the class is bound to).
        """
        data = {'name': name, 'division': Transform.to_division(division)}
        return cls._create(url=cls._URL['query'], data=data, api=api)

    save = patch_save('Save a changed name.')

    def get_members(
            self, offset: int | None = None, limit: int | None = None
            ) -> Collection:
        """The members of the team.

        :param offset: pagination offset.
        :param limit: page size.
        """
        return TeamMember._list(
            url=self._URL['members_query'].format(id=self.id),
            api=self._api, offset=offset, limit=limit)

    def add_member(self, user: UserRef) -> TeamMember:
        """Add a user to the team.

        :param user: the user (username or ``User``).
        :return: the new :class:`~sevenbridges.models.team_member.TeamMember`.
        """
        return TeamMember._create(
            url=self._URL['members_query'].format(id=self.id),
            data={'id': Transform.to_user(user)}, api=self._api)

    def remove_member(self, user: UserRef) -> None:
        """Remove a user from the team.

        :param user: the user (username or ``User``).
        """
        username = Transform.to_user(user)
        self._api.delete(url=self._URL['members_get'].format(
            id=self.id, member=username))
