"""The platform's error object, as found in bulk results."""
from sevenbridges.meta.fields import IntegerField, StringField
from sevenbridges.meta.resource import Resource


class Error(Resource):
    """An error: HTTP ``status``, platform ``code``, ``message`` and a
    ``more_info`` link."""
    status = IntegerField(read_only=True)
    code = IntegerField(read_only=True)
    message = StringField(read_only=True)
    more_info = StringField(read_only=True)

    def __str__(self):
        return f'<Error: status={self.status}, code={self.code}>'
