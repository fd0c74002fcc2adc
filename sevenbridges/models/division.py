"""Divisions of an enterprise account (``api.divisions``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sevenbridges.meta.fields import HrefField, StringField
from sevenbridges.meta.resource import Resource, equal_by, paged_query

if TYPE_CHECKING:
    from sevenbridges.meta.collection import Collection


class Division(Resource):
    """A division: an enterprise's unit with its users and teams."""
    _URL = {
        'query': '/divisions',
        'get': '/divisions/{id}',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    name = StringField(read_only=True)

    def __str__(self):
        return f'<Division: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    query = paged_query("The user's divisions.", fields='_all')

    def get_teams(
            self, offset: int | None = None, limit: int | None = None
            ) -> Collection:
        """The division's teams (see :meth:`Team.query`)."""
        from sevenbridges.models.team import Team
        return Team.query(division=self.id, offset=offset, limit=limit,
                          api=self._api)

    def get_members(
            self, role: str | None = None, offset: int | None = None,
            limit: int | None = None) -> Collection:
        """The division's users, optionally of one role (see
        :class:`~sevenbridges.models.enums.DivisionRole`)."""
        from sevenbridges.models.user import User
        return User.query(self, role=role, offset=offset, limit=limit,
                          api=self._api)
