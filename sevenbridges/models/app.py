"""Apps: tools and workflows (``api.apps``)."""
from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from sevenbridges.errors import SbgError
from sevenbridges.meta.arguments import check_choice
from sevenbridges.meta.fields import (
    DictField,
    HrefField,
    IntegerField,
    StringField,
)
from sevenbridges.meta.resource import Resource, equal_by
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.enums import AppCopyStrategy, AppRawFormat

if TYPE_CHECKING:
    from sevenbridges._types import Api, ProjectRef
    from sevenbridges.meta.collection import Collection

_CONTENT_TYPES = {
    AppRawFormat.JSON: 'application/json',
    AppRawFormat.YAML: 'application/yaml',
}


class App(Resource):
    """A tool or workflow described in CWL.

    ``id`` is the app's id without revision (``owner/project/app``);
    ``revision`` is the revision this object holds, ``raw`` its CWL.

    Example::

        app = api.apps.install_app(id='rfranklin/demo/bwa-mem', raw=cwl)
        print(app.id, app.revision)
    """
    _URL = {
        'query': '/apps',
        'get': '/apps/{id}',
        'get_revision': '/apps/{id}/{revision}',
        'create_revision': '/apps/{id}/{revision}/raw',
        'copy': '/apps/{id}/actions/copy',
        'sync': '/apps/{id}/actions/sync',
        'raw': '/apps/{id}/raw',
    }

    href = HrefField(read_only=True)
    _id = StringField(read_only=True, name='id')
    project = StringField(read_only=True)
    name = StringField(read_only=True)
    revision = IntegerField(read_only=True)
    raw = DictField(read_only=False)

    @property
    def id(self):
        """The app's id without its revision (``owner/project/app``)."""
        full = self._id
        if not full:
            return full
        head, _, tail = full.rpartition('/')
        if head and (tail.isdigit() or not tail):
            return head
        return full

    __eq__ = equal_by('id')

    def __str__(self):
        if self.revision:
            return f'<App: id={self.id} rev={self.revision}>'
        return f'<App: id={self.id}>'

    __repr__ = __str__

    @classmethod
    def query(
            cls, project: ProjectRef | None = None,
            visibility: str | None = None, q: str | list[str] | None = None,
            id: str | None = None, offset: int | None = None,
            limit: int | None = None, api: Api | None = None) -> Collection:
        """Apps of a project, public apps, or apps matching terms.

        :param project: the project (id or ``Project``).
        :param visibility: ``public`` for the public apps.
        :param q: search terms (a string or a list).
        :param id: app ids (a string or a list).
        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the one the class is bound to).
        """
        if project:
            project = Transform.to_project(project)
        return super()._query(url=cls._URL['query'], project=project,
                              visibility=visibility, q=q, id=id,
                              offset=offset, limit=limit,
                              api=api or cls._API)

    @classmethod
    def get_revision(
            cls, id: str, revision: int, api: Api | None = None) -> App:
        """One revision of an app.

        :param id: the app's id (without revision).
        :param revision: the revision number.
        :param api: the client (default: the one the class is bound to).
        """
        url = cls._URL['get_revision'].format(id=Transform.to_app(id),
                                              revision=revision)
        return cls._fetch(url=url, api=api)

    @classmethod
    def _install(cls, url, raw, api, headers=None):
        api = api or cls._API
        response = api.post(url=url, data=raw, headers=headers).json()
        return cls._fetch(url=cls._URL['get'].format(id=response['sbg:id']),
                          api=api)

    @classmethod
    def install_app(
            cls, id: str, raw: dict[str, Any] | str,
            api: Api | None = None, raw_format: str | None = None) -> App:
        """Install an app from its CWL (a new app, or a new revision).

        :param id: the app's id, ``owner/project/app``.
        :param raw: the CWL document: a dict, or its JSON or YAML text.
        :param api: the client (default: the one the class is bound to).
        :param raw_format: ``json`` (default) or ``yaml``
            (:class:`~sevenbridges.models.enums.AppRawFormat`).
        :return: the installed app, at its new revision.
        """
        raw_format = (raw_format or AppRawFormat.JSON).lower()
        content_type = _CONTENT_TYPES.get(raw_format)
        if content_type is None:
            raise SbgError(f'Unsupported raw data format: "{raw_format}".')
        body: Any = raw
        if isinstance(raw, str):
            # CWL text (YAML or JSON) goes as it is, with its content type.
            body = raw.encode('utf-8')
        elif raw_format == AppRawFormat.YAML:
            # A parsed document: JSON is valid YAML.
            body = json.dumps(raw).encode('utf-8')
        return cls._install(cls._URL['raw'].format(id=id), body, api,
                            headers={'Content-Type': content_type})

    @classmethod
    def create_revision(
            cls, id: str, revision: int, raw: dict[str, Any],
            api: Api | None = None) -> App:
        """Create a given revision of an app from its CWL.

        :param id: the app's id.
        :param revision: the new revision number.
        :param raw: the CWL document (a dict).
        :param api: the client (default: the one the class is bound to).
        """
        url = cls._URL['create_revision'].format(id=id, revision=revision)
        return cls._install(url, raw, api)

    def copy(
            self, project: ProjectRef, name: str | None = None,
            strategy: str | None = None, use_revision: bool = False,
            api: Api | None = None) -> App:
        """Copy the app into a project.

        :param project: the project (id or ``Project``).
        :param name: the copy's name.
        :param strategy: a :class:`~sevenbridges.models.enums.AppCopyStrategy`
            (default ``clone``).
        :param use_revision: copy this revision rather than the latest.
        :param api: the client (default: the app's).
        :return: the copy.
        """
        check_choice('strategy', strategy, AppCopyStrategy)
        app_id = self._id if use_revision else self.id
        data = {'project': Transform.to_project(project),
                'strategy': strategy or AppCopyStrategy.CLONE}
        if name:
            data['name'] = name
        return App._create(url=self._URL['copy'].format(id=app_id),
                           data=data, api=api or self._api)

    def sync(self) -> App:
        """Update a copied app to the latest revision of its source.

        :return: the updated app (a new object).
        """
        response = self._api.post(url=self._URL['sync'].format(id=self.id))
        return App(api=self._api, **response.json())
