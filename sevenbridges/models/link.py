"""Pagination links of list responses."""
from sevenbridges.meta.fields import HrefField, StringField
from sevenbridges.meta.resource import Resource


class Link(Resource):
    """A link to another page of a list (``rel`` is ``next`` or ``prev``)."""
    href = HrefField(read_only=True)
    rel = StringField(read_only=True)
    method = StringField(read_only=True)

    def __str__(self):
        return f'<Link: method={self.method}, rel={self.rel}, href={self.href}>'

    __repr__ = __str__


class VolumeLink(Resource):
    """The link to the next page of a volume listing."""
    next = HrefField(read_only=True)

    def __str__(self):
        return f'<VolumeLink: next={self.next}>'

    __repr__ = __str__
