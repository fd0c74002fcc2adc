"""Feedback users send (``/action/notifications/feedback``)."""
from sevenbridges.emulator.state.common import new_id
from sevenbridges.emulator.state.errors import ApiError

FEEDBACK_TYPES = ('IDEA', 'PROBLEM', 'THOUGHT')


class Feedback:
    """The ``feedback`` collection.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    """

    def __init__(self, store):
        self.store = store

    def send(self, user, body):
        if body.get('type') not in FEEDBACK_TYPES:
            raise ApiError(400, 'Feedback type must be IDEA, PROBLEM or '
                                'THOUGHT.', 9000)
        self.store.put('feedback', dict(body, id=new_id(),
                                        username=user['username']))
