"""A rate limit window."""
from sevenbridges.meta.fields import DateTimeField, IntegerField
from sevenbridges.meta.resource import Resource


class Rate(Resource):
    """Requests allowed (``limit``), left (``remaining``) and when the window
    resets (``reset``, a naive UTC ``datetime``)."""
    limit = IntegerField(read_only=True)
    remaining = IntegerField(read_only=True)
    reset = DateTimeField(read_only=True)

    def __str__(self):
        return f'<Rate: limit={self.limit}, remaining={self.remaining}>'
