"""Platform users (``api.users``)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sevenbridges.meta.arguments import check_choice
from sevenbridges.meta.fields import HrefField, StringField
from sevenbridges.meta.resource import Resource
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.enums import DivisionRole

if TYPE_CHECKING:
    from sevenbridges._types import Api, DivisionRef, UserRef
    from sevenbridges.meta.collection import Collection


class User(Resource):
    """A user of the platform.

    Example::

        me = api.users.me()
        print(me.username, me.email)
    """
    _URL = {
        'me': '/user',
        'get': '/users/{id}',
        'query': '/users',
        'delete': '/users/{username}',
    }

    href = HrefField(read_only=True)
    username = StringField(read_only=True)
    email = StringField(read_only=True)
    first_name = StringField(read_only=True)
    last_name = StringField(read_only=True)
    affiliation = StringField(read_only=True)
    phone = StringField(read_only=True)
    address = StringField(read_only=True)
    state = StringField(read_only=True)
    country = StringField(read_only=True)
    zip_code = StringField(read_only=True)
    city = StringField(read_only=True)
    role = StringField(read_only=True)

    def __eq__(self, other):
        if type(other) is not type(self):
            return False
        return self is other or self.username == other.username

    def __str__(self):
        return f'<User: username={self.username}>'

    __repr__ = __str__

    @classmethod
    def me(cls, api: Api | None = None) -> User:
        """The user the token belongs to.

        :param api: the client (default: the one the class is bound to).
        """
        return cls._fetch(url=cls._URL['me'], api=api)

    @classmethod
    def get(cls, user: UserRef, api: Api | None = None) -> User:
        """Fetch a user by username (or ``User`` object).

        :param user: the username.
        :param api: the client (default: the one the class is bound to).
        """
        user = Transform.to_user(user)
        return cls._fetch(url=cls._URL['get'].format(id=user), api=api)

    @classmethod
    def query(
            cls, division: DivisionRef, role: str | None = None,
            offset: int | None = None, limit: int | None = None,
            api: Api | None = None) -> Collection:
        """The users of a division.

        :param division: the division (id or ``Division``).
        :param role: only users with this role (see
            :class:`~sevenbridges.models.enums.DivisionRole`).
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        :raises ValidationError: for an unknown ``role`` (nothing is sent).
        """
        check_choice('role', role, DivisionRole, ignore_case=True)
        params = {'division': Transform.to_division(division)}
        if role:
            params['role'] = role
        return super()._query(url=cls._URL['query'], offset=offset,
                              limit=limit, api=api or cls._API, **params)

    def disable(self, api: Api | None = None) -> None:
        """Disable the user (a division administrator's action).

        :param api: the client (default: the one the class is bound to).
        """
        api = api or self._API
        api.delete(url=self._URL['delete'].format(username=self.username))
