"""Members of teams."""
from sevenbridges.meta.fields import HrefField, StringField
from sevenbridges.meta.resource import Resource, equal_by


class TeamMember(Resource):
    """A member of a team, with its ``role``."""
    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    username = StringField(read_only=False)
    role = StringField(read_only=True)

    __eq__ = equal_by('id')

    def __str__(self):
        return f'<Team member: username={self.username}>'

    __repr__ = __str__
