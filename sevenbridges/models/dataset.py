"""Datasets (``api.datasets``, advance access)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sevenbridges.decorators import inplace_reload
from sevenbridges.meta.fields import HrefField, StringField
from sevenbridges.meta.resource import Resource, equal_by
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.member import Member

if TYPE_CHECKING:
    from sevenbridges._types import Api, MemberRef
    from sevenbridges.meta.collection import Collection


class Dataset(Resource):
    """A dataset: curated files shared with members (an advance access
    feature: use ``Api(advance_access=True)``)."""
    _URL = {
        'query': '/datasets',
        'owned_by': '/datasets/{username}',
        'get': '/datasets/{id}',
        'delete': '/datasets/{id}',
        'members': '/datasets/{id}/members',
        'member': '/datasets/{id}/members/{username}',
        'permissions': '/datasets/{id}/members/{username}/permissions',
    }

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    name = StringField(read_only=False)
    description = StringField(read_only=False)

    def __str__(self):
        return f'<Dataset: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    @classmethod
    def query(
            cls, visibility: str | None = None, api: Api | None = None
            ) -> Collection:
        """The datasets the user can see.

        :param visibility: ``public`` or ``private``.
        :param api: the client (default: the one the class is bound to).
        """
        return super()._query(url=cls._URL['query'], visibility=visibility,
                              fields='_all', api=api or cls._API)

    @classmethod
    def get_owned_by(cls, username: str, api: Api | None = None) -> Collection:
        """The datasets a user owns.

        :param username: the owner (username or ``User``).
        :param api: the client (default: the one the class is bound to).
        """
        url = cls._URL['owned_by'].format(
            username=Transform.to_user(username))
        return super()._query(url=url, fields='_all', api=api or cls._API)

    @inplace_reload
    def save(self, inplace: bool = True) -> Dataset:
        """Save a changed name or description. Without changes nothing is
        sent and the dataset is returned as it is."""
        modified = self._modified_data()
        data = {key: modified[key] for key in ('name', 'description')
                if key in modified}
        if not data:
            return self
        response = self._api.patch(url=self._URL['get'].format(id=self.id),
                                   data=data)
        return type(self)(api=self._api, **response.json())

    def _api_for(self, api):
        return api or self._api or self._API

    def get_members(self, api: Api | None = None) -> Collection:
        """The members of the dataset.

        :param api: the client (default: the dataset's).
        """
        return Member._list(url=self._URL['members'].format(id=self.id),
                            api=self._api_for(api))

    def get_member(self, username: str, api: Api | None = None) -> Member:
        """One member of the dataset.

        :param username: the member (username or ``User``).
        :param api: the client (default: the dataset's).
        """
        return Member._fetch(
            url=self._URL['member'].format(
                id=self.id, username=Transform.to_user(username)),
            api=self._api_for(api))

    def add_member(
            self, username: str, permissions: dict[str, bool],
            api: Api | None = None) -> Member:
        """Add a member with permissions.

        :param username: the user (username or ``User``).
        :param permissions: ``{'read': True, 'write': False, ...}``.
        :param api: the client (default: the dataset's).
        """
        data = {'username': Transform.to_user(username),
                'permissions': permissions}
        return Member._create(url=self._URL['members'].format(id=self.id),
                              data=data, api=self._api_for(api))

    def remove_member(self, member: MemberRef, api: Api | None = None) -> None:
        """Remove a member.

        :param member: the member (username or ``Member``).
        :param api: the client (default: the dataset's).
        """
        api = self._api_for(api)
        api.delete(url=self._URL['member'].format(
            id=self.id, username=Transform.to_member(member)))
