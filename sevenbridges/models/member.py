"""Members of projects, datasets and volumes."""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from sevenbridges.decorators import inplace_reload
from sevenbridges.errors import ResourceNotModified
from sevenbridges.meta.fields import CompoundField, HrefField, StringField
from sevenbridges.meta.resource import Resource, equal_by
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.compound.projects.permissions import Permissions

if TYPE_CHECKING:
    from sevenbridges._types import Api, UserRef
    from sevenbridges.meta.collection import Collection

logger = logging.getLogger(__name__)


def member_payload(key, identifier, member_type, permissions):
    """The body that adds a member: ``{key: identifier, "type": ...,
    "permissions": ...}`` (``type`` when given, ``permissions`` when it is a
    dict)."""
    payload = {key: identifier}
    if member_type is not None:
        payload['type'] = member_type
    if isinstance(permissions, dict):
        payload['permissions'] = permissions
    return payload


def create_member(resource, payload):
    """Add a member to ``resource`` (a project or a volume: its
    ``_URL['members_query']``)."""
    return Member._create(
        url=resource._URL['members_query'].format(id=resource.id),
        data=payload, api=resource._api)


def get_members(
        self, offset: int | None = None, limit: int | None = None
        ) -> Collection:
    """The members.

    :param offset: pagination offset.
    :param limit: page size.
    """
    return Member._list(url=self._URL['members_query'].format(id=self.id),
                        api=self._api, offset=offset, limit=limit)


def get_member(self, username: str, api: Api | None = None) -> Member:
    """One member.

    :param username: the member (username or ``User``).
    :param api: the client (default: the object's).
    """
    return Member._fetch(
        url=self._URL['member'].format(
            id=self.id, username=Transform.to_user(username)),
        api=api or self._api or self._API)


def remove_member(self, user: UserRef | Member) -> None:
    """Remove a member.

    :param user: the member (username or ``User``).
    """
    self._api.delete(url=self._URL['member'].format(
        id=self.id, username=Transform.to_user(user)))


class Member(Resource):
    """A member of a project, dataset or volume, with its
    :class:`~sevenbridges.models.compound.projects.permissions.Permissions`::

        member = project.get_member('jwatson')
        member.permissions['admin'] = True
        member.save()
    """
    _URL = {'permissions': '/permissions'}

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    username = StringField(read_only=False)
    email = StringField(read_only=False)
    type = StringField(read_only=False)
    permissions = CompoundField(Permissions, read_only=False)

    __eq__ = equal_by('id', 'username')

    def __str__(self):
        return f'<Member: username={self.username}>'

    __repr__ = __str__

    @inplace_reload
    def save(self, inplace: bool = True) -> Member:
        """Save changed permissions (only the flags that changed are sent).

        :raises ResourceNotModified: when no permission changed.
        :return: the member, with the permissions the server answered; an
            answer without a JSON object (204, an empty body) keeps the
            permissions that were sent.
        """
        changes = self._modified_data().get('permissions')
        if not changes:
            raise ResourceNotModified()
        response = self._api.patch(
            url=self.href + self._URL['permissions'], data=changes,
            append_base=False)
        saved = _json_object(response)
        if saved is not None:
            self._data.data['permissions'] = saved
        self._forget_changes()
        return self


def _json_object(response):
    """The JSON object of a successful answer, or ``None`` when it has none
    (no response for a 204, an empty body, or a body that is not a JSON
    object)."""
    if response is None or not response.content.strip():
        return None
    try:
        body = response.json()
    except ValueError:
        logger.debug('The answer to %s is not JSON; it is ignored.',
                     response.url)
        return None
    return body if isinstance(body, dict) else None
