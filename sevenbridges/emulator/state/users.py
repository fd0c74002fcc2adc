"""Users and their tokens (API tokens and session ids)."""
import uuid

from sevenbridges.emulator.state.errors import ApiError


class Users:
    """The ``users`` and ``tokens`` collections.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    """

    def __init__(self, store):
        self.store = store

    def for_token(self, token, kind='token'):
        """The user of ``token``: an API token (``kind='token'``, sent as
        ``X-SBG-Auth-Token`` or an OAuth bearer) or a session id
        (``kind='session'``, sent as ``X-SBG-Session-Id``); a 401 for a
        credential unknown as that kind."""
        entry = self.store.get('tokens', token or '')
        if entry is None or entry.get('kind', 'token') != kind:
            raise ApiError(401, 'Unauthorized: the token is missing or '
                                'invalid.', code=0)
        return self.store.get('users', entry['username'])

    def session_id(self, username):
        """The session id of ``username`` (made on first use, kept with
        the state), as code running inside the platform is given; it is
        accepted only as ``X-SBG-Session-Id`` and dies with the user's
        tokens when the user is disabled."""
        with self.store.transaction():
            if self.get(username).get('_disabled'):
                raise ApiError(403, f'User {username} is disabled.', 6001)
            for entry in self.store.find('tokens'):
                if entry['username'] == username and \
                        entry.get('kind') == 'session':
                    return entry['id']
            session_id = uuid.uuid4().hex
            self.store.put('tokens', {'id': session_id, 'username': username,
                                      'kind': 'session'})
        return session_id

    def add(self, username, email, token, first_name='', last_name=''):
        """A new user, who signs in with ``token``."""
        self.store.put('users', {
            'id': username, 'username': username, 'email': email,
            'first_name': first_name, 'last_name': last_name,
            'affiliation': 'Emulated Lab', 'phone': '', 'address': '',
            'state': '', 'country': '', 'zip_code': '', 'city': '',
            'role': 'MEMBER'})
        self.store.put('tokens', {'id': token, 'username': username})

    def exists(self, username):
        return self.store.get('users', username) is not None

    def get(self, username):
        """A user (a 404 for an unknown one)."""
        found = self.store.get('users', username)
        if found is None:
            raise ApiError(404, f'User {username} not found.', code=5001)
        return found

    def disable(self, username):
        """Disable a user: their tokens stop working."""
        target = self.get(username)
        with self.store.transaction():
            for token in self.store.find('tokens'):
                if token['username'] == username:
                    self.store.delete('tokens', token['id'])
            target['_disabled'] = True
            self.store.put('users', target)
