"""Platform users (``api.users``)."""
from sevenbridges.meta.fields import HrefField, StringField
from sevenbridges.meta.resource import Resource
from sevenbridges.meta.transformer import Transform


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
    def me(cls, api=None):
        """The user the token belongs to.

        :param api: the client (default: the one the class is bound to).
        """
        return cls._fetch(url=cls._URL['me'], api=api)

    @classmethod
    def get(cls, user, api=None):
        """Fetch a user by username (or ``User`` object).

        :param user: the username.
        :param api: the client (default: the one the class is bound to).
        """
        user = Transform.to_user(user)
        return cls._fetch(url=cls._URL['get'].format(id=user), api=api)

    @classmethod
    def query(cls, division, role=None, offset=None, limit=None, api=None):
        """The users of a division.

        :param division: the division (id or ``Division``).
        :param role: only users with this role (see
            :class:`~sevenbridges.models.enums.DivisionRole`).
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        """
        params = {'division': Transform.to_division(division)}
        if role:
            params['role'] = role
        return super()._query(url=cls._URL['query'], offset=offset,
                              limit=limit, api=api or cls._API, **params)

    def disable(self, api=None):
        """Disable the user (a division administrator's action).

        :param api: the client (default: the one the class is bound to).
        """
        api = api or self._API
        api.delete(url=self._URL['delete'].format(username=self.username))
