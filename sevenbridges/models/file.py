"""Files and folders (``api.files``)."""
from __future__ import annotations

import logging
import os
import tempfile
from typing import TYPE_CHECKING, Any, Iterable, Iterator

from sevenbridges.decorators import inplace_reload
from sevenbridges.errors import (
    LocalFileAlreadyExists,
    ResourceNotModified,
    SbgError,
)
from sevenbridges.meta.arguments import (
    as_list,
    check_download_path,
    check_mapping,
    check_name,
    check_page,
)
from sevenbridges.meta.fields import (
    BasicListField,
    CompoundField,
    DateTimeField,
    HrefField,
    IntegerField,
    StringField,
)
from sevenbridges.meta.resource import Resource, equal_by
from sevenbridges.meta.transformer import Transform
from sevenbridges.models.bulk import BulkRecord
from sevenbridges.models.compound.files.download_info import DownloadInfo
from sevenbridges.models.compound.files.file_origin import FileOrigin
from sevenbridges.models.compound.files.file_storage import FileStorage
from sevenbridges.models.compound.files.metadata import Metadata
from sevenbridges.transfer.download import Download
from sevenbridges.transfer.options import TransferOptions
from sevenbridges.transfer.upload import Upload

if TYPE_CHECKING:
    from sevenbridges._types import Api, DatasetRef, FileRef, ProjectRef
    from sevenbridges.meta.collection import Collection

logger = logging.getLogger(__name__)

_EXCLUSIVE_PAGINATION = ('Offset and continuation token parameters are '
                         'mutually exclusive.')


class File(Resource):
    """A file or a folder of a project (or of a dataset).

    Example::

        for file in api.files.query(project='rfranklin/demo').all():
            print(file.name, file.size, file.metadata)
    """
    _URL = {
        'query': '/files',
        'scroll': '/files/scroll',
        'get': '/files/{id}',
        'delete': '/files/{id}',
        'copy': '/files/{id}/actions/copy',
        'download_info': '/files/{id}/download_info',
        'metadata': '/files/{id}/metadata',
        'tags': '/files/{id}/tags',
        'bulk_get': '/bulk/files/get',
        'bulk_delete': '/bulk/files/delete',
        'bulk_update': '/bulk/files/update',
        'bulk_edit': '/bulk/files/edit',
        'create_folder': '/files',
        'list_folder': '/files/{id}/list',
        'scroll_folder': '/files/{id}/scroll',
        'copy_to_folder': '/files/{file_id}/actions/copy',
        'move_to_folder': '/files/{file_id}/actions/move',
        'search': '/files/search',
    }
    FOLDER_TYPE = 'folder'

    href = HrefField(read_only=True)
    id = StringField(read_only=True)
    type = StringField(read_only=True)
    name = StringField(read_only=False)
    size = IntegerField(read_only=True)
    parent = StringField(read_only=True)
    project = StringField(read_only=True)
    created_on = DateTimeField(read_only=True)
    modified_on = DateTimeField(read_only=True)
    origin = CompoundField(FileOrigin, read_only=True)
    storage = CompoundField(FileStorage, read_only=True)
    metadata = CompoundField(Metadata, read_only=False)
    tags = BasicListField(read_only=False)
    _secondary_files = BasicListField(read_only=False,
                                      name='_secondary_files')

    def __str__(self):
        return f'<File: id={self.id}>'

    __repr__ = __str__
    __eq__ = equal_by('id')

    def is_folder(self) -> bool:
        """Whether this is a folder."""
        return (self.type or '').lower() == self.FOLDER_TYPE

    @property
    def secondary_files(self) -> list[File] | None:
        """The secondary files (e.g. indexes) of a task input or output, as
        ``File`` objects, or ``None``."""
        entries = self._data.data.get('_secondary_files')
        if not entries:
            return None
        return [File(api=self._api, **entry) for entry in entries]

    # -- listing --------------------------------------------------------------

    @classmethod
    def query(
            cls, project: ProjectRef | None = None,
            names: list[str] | None = None,
            metadata: dict[str, Any] | None = None,
            origin: dict[str, Any] | None = None,
            tags: list[str] | None = None, offset: int | None = None,
            limit: int | None = None, dataset: DatasetRef | None = None,
            api: Api | None = None, parent: FileRef | None = None,
            cont_token: str | None = None) -> Collection:
        """Files of a project, a dataset or a folder (exactly one of them).

        :param project: the project (id or ``Project``).
        :param names: only files with these names (a list; an empty list
            matches no name).
        :param metadata: only files with these metadata values (a dict).
        :param origin: only files of this origin (a dict), e.g.
            ``{'task': '<task id>'}``.
        :param tags: only files with these tags (a list).
        :param offset: pagination offset.
        :param limit: page size.
        :param dataset: the dataset (id or ``Dataset``).
        :param api: the client (default: the one the class is bound to).
        :param parent: the folder (id or ``File``).
        :param cont_token: a continuation token (``'init'`` to start) for
            scrolling through very large folders; not with ``offset`` nor
            ``metadata``.
        :raises ValidationError: when ``names`` is not a list, ``metadata``
            or ``origin`` not a dict, or ``offset``/``limit`` not integers
            (nothing is sent).
        """
        if cont_token and offset:
            raise SbgError(_EXCLUSIVE_PAGINATION)
        if cont_token and metadata:
            raise SbgError('Metadata filtering cannot be combined with '
                           'continuation token pagination.')
        containers = {
            'project': Transform.to_project(project) if project else None,
            'dataset': Transform.to_dataset(dataset) if dataset else None,
            'parent': Transform.to_file(parent) if parent else None,
        }
        given = {key: value for key, value in containers.items() if value}
        if not given:
            raise SbgError('Project, dataset or parent must be provided.')
        if len(given) > 1:
            raise SbgError('Only one out of project, parent or dataset must '
                           'be provided.')
        params = dict(given)
        if names is not None:
            params['name'] = as_list('names', names) or ['']
        if tags:
            params['tag'] = tags
        for prefix, filters in (('metadata', metadata), ('origin', origin)):
            for key, value in (check_mapping(prefix, filters) or {}).items():
                params[f'{prefix}.{key}'] = value
        url = cls._URL['scroll'] if cont_token else cls._URL['query']
        return super()._query(url=url, token=cont_token, offset=offset,
                              limit=limit, fields='_all',
                              api=api or cls._API, **params)

    @classmethod
    def search(
            cls, query: str, cont_token: str | None = None,
            limit: int | None = None, api: Api | None = None) -> SearchResponse:
        """Search files with the platform's query language.

        :param query: the query.
        :param cont_token: the token of the next results.
        :param limit: results per call.
        :param api: the client (default: the one the class is bound to).
        :return: a :class:`SearchResponse` (``result_set``, ``count``,
            ``cont_token``).
        """
        if not query:
            raise SbgError('Query must be provided.')
        check_page(limit=limit)
        if limit is not None and limit <= 0:
            raise SbgError('Limit must be greater than zero.')
        api = api or cls._API
        response = api.post(url=cls._URL['search'],
                            params={'cont_token': cont_token, 'limit': limit},
                            data={'query': query})
        return SearchResponse(api=api, **response.json())

    def list_files(
            self, offset: int | None = None, limit: int | None = None,
            api: Api | None = None, cont_token: str | None = None
            ) -> Collection:
        """The files and folders in this folder.

        :param offset: pagination offset.
        :param limit: page size.
        :param api: the client (default: the folder's).
        :param cont_token: a continuation token (``'init'`` to start).
        """
        if cont_token and offset:
            raise SbgError(_EXCLUSIVE_PAGINATION)
        if not self.is_folder():
            raise SbgError(f'{self.name} is not a folder')
        key = 'scroll_folder' if cont_token else 'list_folder'
        return File._query(url=self._URL[key].format(id=self.id),
                           token=cont_token, offset=offset, limit=limit,
                           fields='_all', api=api or self._api or self._API)

    def walk(
            self, include_folders: bool = False, api: Api | None = None
            ) -> Iterator[File]:
        """Yield every file below this folder, recursively, one page
        request at a time (depth first, a folder's contents right after
        it).

        :param include_folders: yield the folders too.
        :param api: the client (default: the folder's).
        """
        from sevenbridges.transfer.tree import iter_tree  # folder trees
        for _, item in iter_tree(
                lambda folder: (folder or self).list_files(api=api).all(),
                include_folders):
            yield item

    # -- folders --------------------------------------------------------------

    @classmethod
    def create_folder(
            cls, name: str, parent: FileRef | None = None,
            project: ProjectRef | None = None, api: Api | None = None) -> File:
        """Create a folder in a folder or at the root of a project.

        A folder's name is unique in its parent: after a gateway error or
        a dropped connection the request is sent again, and when the
        platform answers that the name is taken (the first request had
        created the folder), that folder is returned. A name taken before
        the call raises :class:`~sevenbridges.errors.Conflict`.

        :param name: the folder's name.
        :param parent: the parent folder (id or ``File``).
        :param project: the project (id or ``Project``).
        :param api: the client (default: the one the class is bound to).
        :raises ValidationError: when ``name`` is missing or blank.
        """
        check_name('name', name, 'Folder name is required.')
        if not parent and not project:
            raise SbgError('Parent or project must be provided')
        if parent and project:
            raise SbgError(
                'Providing both "parent" and "project" is not allowed')
        data = {'name': name, 'type': cls.FOLDER_TYPE}
        parent_id = project_id = None
        if parent:
            data['parent'] = parent_id = Transform.to_file(parent)
        else:
            data['project'] = project_id = Transform.to_project(project)
        return cls._create(
            url=cls._URL['create_folder'], data=data, api=api,
            existing=lambda client: cls._folder_named(
                name, client, parent=parent_id, project=project_id))

    @classmethod
    def _folder_named(cls, name: str, api: Api, parent: str | None = None,
                      project: str | None = None) -> File | None:
        """The folder ``name`` of a folder (``parent``) or of a project's
        root (``project``), found with one query by exact name, or
        ``None``."""
        for item in cls.query(names=[name], parent=parent, project=project,
                              api=api):
            if item.name == name and item.is_folder():
                return item
        return None

    def _to_folder(self, action, parent, name, api):
        data = {'parent': Transform.to_file(parent)}
        if name:
            data['name'] = name
        return File._create(url=self._URL[f'{action}_to_folder'].format(
            file_id=self.id), data=data, api=api or self._api or self._API)

    def copy_to_folder(
            self, parent: FileRef, name: str | None = None,
            api: Api | None = None) -> File:
        """Copy the file into a folder.

        :param parent: the folder (id or ``File``).
        :param name: the copy's name (default: the same).
        :param api: the client (default: the file's).
        :return: the copy.
        """
        if self.is_folder():
            raise SbgError('Copying folders is not supported')
        return self._to_folder('copy', parent, name, api)

    def move_to_folder(
            self, parent: FileRef, name: str | None = None,
            api: Api | None = None) -> File:
        """Move the file into a folder.

        :param parent: the folder (id or ``File``).
        :param name: the new name (default: the same).
        :param api: the client (default: the file's).
        :return: the moved file (a new object).
        """
        if self.is_folder():
            raise SbgError('Moving folders is not supported')
        return self._to_folder('move', parent, name, api)

    def copy(self, project: ProjectRef, name: str | None = None) -> File:
        """Copy the file into a project.

        :param project: the project (id or ``Project``).
        :param name: the copy's name (default: the same).
        :return: the copy.
        """
        data = {'project': Transform.to_project(project)}
        if name:
            data['name'] = name
        return File._create(url=self._URL['copy'].format(id=self.id),
                            data=data, api=self._api)

    # -- saving -----------------------------------------------------------------

    @inplace_reload
    def save(self, inplace: bool = True, silent: bool = False) -> File:
        """Save what changed: metadata (PATCH of the changed keys, or PUT
        of the whole dict after ``file.metadata = {...}``), tags (PUT of
        the list) and the name.

        :param inplace: update this object (always the case for files).
        :param silent: return quietly when nothing changed.
        :raises ResourceNotModified: when nothing changed and not
            ``silent``.
        """
        modified = self._modified_data()
        if not modified:
            if silent:
                return self
            raise ResourceNotModified()
        data = self._data.data
        refresh = False
        if 'metadata' in modified:
            url = self._URL['metadata'].format(id=self.id)
            if self._overwrite_metadata:
                response = self._api.put(url=url, data=data.get('metadata'))
            else:
                response = self._api.patch(url=url,
                                           data=modified['metadata'])
            data['metadata'] = response.json()
            self._overwrite_metadata = False
            refresh = True
        if 'tags' in modified:
            response = self._api.put(url=self._URL['tags'].format(id=self.id),
                                     data=data.get('tags'))
            data['tags'] = response.json()
            refresh = True
        others = {key: value for key, value in modified.items()
                  if key not in ('metadata', 'tags')}
        if others:
            response = self._api.patch(url=self._URL['get'].format(id=self.id),
                                       data=others)
            self._update_read_only(response.json())
        if refresh:
            self.reload()
        else:
            self._forget_changes()
        return self

    def reload(self) -> File:
        """Replace the local data with the server's, dropping local edits.

        :return: the file itself.
        """
        super().reload()
        self._overwrite_metadata = False
        return self

    # -- bytes ------------------------------------------------------------------

    @classmethod
    def upload(
            cls, path: str, project: ProjectRef | None = None,
            parent: FileRef | None = None, file_name: str | None = None,
            overwrite: bool = False, retry: int = 6, timeout: float = 300,
            part_size: int | None = None, wait: bool = True,
            api: Api | None = None) -> Upload:
        """Upload a local file into a project or a folder.

        :param path: the local file.
        :param project: the project (id or ``Project``).
        :param parent: the folder (id or ``File``).
        :param file_name: the name on the platform (default: the local
            name).
        :param overwrite: replace a file of the same name.
        :param retry: attempts per part.
        :param timeout: seconds per storage request.
        :param part_size: bytes per part (default: chosen for the size).
        :param wait: upload now and return when done; otherwise return the
            upload, not started (``start()``, ``wait()``, ``result()``).
        :param api: the client (default: the one the class is bound to).
        :return: the :class:`~sevenbridges.transfer.upload.Upload`.
        :raises ValidationError: before any request, for a ``part_size``
            that is not a positive integer, or a negative ``retry`` or
            ``timeout``.
        """
        if not project and not parent:
            raise SbgError('A project or parent identifier is required.')
        if project and parent:
            raise SbgError(
                'Project and parent identifiers are mutually exclusive.')
        options = TransferOptions(part_size, retry, timeout,
                                  names={'retry_count': 'retry'})
        project = Transform.to_project(project) if project else None
        parent = Transform.to_file(parent) if parent else None
        upload = Upload._with_options(
            options, file_path=path, project=project, parent=parent,
            file_name=file_name, overwrite=overwrite, api=api or cls._API)
        if wait:
            upload.start()
            upload.wait()
        return upload

    def download_info(self) -> DownloadInfo:
        """A signed URL of the file's bytes (see
        :class:`~sevenbridges.models.compound.files.download_info.DownloadInfo`).
        """
        return DownloadInfo._fetch(
            url=self._URL['download_info'].format(id=self.id), api=self._api)

    def download(
            self, path: str, retry: int = 6, timeout: float = 300,
            chunk_size: int | None = None, wait: bool = True,
            overwrite: bool = False) -> Download | None:
        """Download the file to ``path``.

        :param path: the local file to write.
        :param retry: attempts per part.
        :param timeout: seconds per storage request.
        :param chunk_size: bytes per part (at least 5 MiB).
        :param wait: download now and return when done; otherwise return
            the download, not started.
        :param overwrite: replace ``path`` if it exists.
        :raises LocalFileAlreadyExists: when ``path`` exists and not
            ``overwrite``.
        :raises SbgError: before any request, when ``path`` is a folder or
            its folder does not exist, or for a ``chunk_size``, ``retry``
            or ``timeout`` that cannot work.
        """
        options = TransferOptions(
            chunk_size, retry, timeout,
            names={'part_size': 'chunk_size', 'retry_count': 'retry'},
        ).check_download()
        check_download_path(path)
        if not overwrite and os.path.exists(path):
            raise LocalFileAlreadyExists(message=path)
        download = self._new_download(path, options)
        if not wait:
            return download
        download.start()
        download.wait()
        return None

    def _new_download(self, path, options, known_size=None,
                      part_sizing=None):
        """The :class:`Download` of this file to ``path`` with the checked
        ``options`` (a
        :class:`~sevenbridges.transfer.options.TransferOptions`), not
        started; with ``known_size`` (a listing's), a file of one part comes
        in one request; ``part_sizing``: a folder download's part sizes
        (see ``Download._with_options``)."""
        download = Download._with_options(
            options, self.download_info().url, path, api=self._api,
            known_size=known_size, part_sizing=part_sizing)
        download.identify(self.id, self._known_version())
        return download

    def _known_version(self):
        """The file's size and ``modified_on`` as this object knows them
        (nothing is fetched), or ``None``."""
        data = self._data.data
        known = [f'{key}={data[key]}' for key in ('size', 'modified_on')
                 if data.get(key) is not None]
        return ','.join(known) or None

    def stream(self, part_size: int = 32 * 1024) -> Iterator[bytes]:
        """Yield the file's bytes in chunks of ``part_size`` (nothing is
        requested until the first chunk is read)."""
        url = self.download_info().url
        response = self._api.get(url=url, append_base=False, stream=True)
        try:
            yield from response.iter_content(chunk_size=part_size)
        finally:
            response.close()

    def content(
            self, path: str | None = None, overwrite: bool = True,
            encoding: str = 'utf-8') -> str | None:
        """The file's text.

        :param path: also keep the bytes in this local file.
        :param overwrite: replace ``path`` if it exists.
        :param encoding: the text's encoding.
        """
        if path:
            self.download(path=path, wait=True, overwrite=overwrite)
            with open(path, encoding=encoding) as fp:
                return fp.read()
        with tempfile.TemporaryDirectory() as folder:
            target = os.path.join(folder, 'content')
            self.download(path=target, wait=True, overwrite=overwrite)
            with open(target, encoding=encoding) as fp:
                return fp.read()

    # -- bulk -------------------------------------------------------------------

    @classmethod
    def _bulk(cls, key, data, api):
        return FileBulkRecord._submit(cls._URL[key], data, api or cls._API)

    @classmethod
    def bulk_get(
            cls, files: Iterable[FileRef], api: Api | None = None
            ) -> list[FileBulkRecord]:
        """Fetch many files in one request.

        :param files: files (ids or ``File`` objects).
        :return: a :class:`FileBulkRecord` per file, in order.
        """
        ids = [Transform.to_file(file) for file in as_list('files', files)]
        return cls._bulk('bulk_get', {'file_ids': ids}, api)

    @classmethod
    def bulk_delete(
            cls, files: Iterable[FileRef], api: Api | None = None
            ) -> list[FileBulkRecord]:
        """Delete many files in one request.

        :param files: files (ids or ``File`` objects).
        :return: a :class:`FileBulkRecord` per file, in order.
        """
        ids = [Transform.to_file(file) for file in as_list('files', files)]
        return cls._bulk('bulk_delete', {'file_ids': ids}, api)

    @staticmethod
    def _bulk_items(files):
        if not files:
            raise SbgError('Files are required.')
        files = as_list('files', files)
        return {'items': [{'id': file.id, 'name': file.name,
                           'tags': file.tags,
                           'metadata': file._data.data.get('metadata')}
                          for file in files]}

    @classmethod
    def bulk_update(
            cls, files: Iterable[File], api: Api | None = None
            ) -> list[FileBulkRecord]:
        """Replace name, tags and metadata of many files in one request.

        :param files: ``File`` objects carrying the new values.
        :return: a :class:`FileBulkRecord` per file, in order.
        """
        return cls._bulk('bulk_update', cls._bulk_items(files), api)

    @classmethod
    def bulk_edit(
            cls, files: Iterable[File], api: Api | None = None
            ) -> list[FileBulkRecord]:
        """Merge name, tags and metadata into many files in one request.

        :param files: ``File`` objects carrying the new values.
        :return: a :class:`FileBulkRecord` per file, in order.
        """
        return cls._bulk('bulk_edit', cls._bulk_items(files), api)


class FileBulkRecord(BulkRecord):
    """The result of one file of a bulk call (``resource`` is a
    :class:`File`)."""
    resource = CompoundField(cls=File, read_only=False)


class SearchResponse(Resource):
    """Results of :meth:`File.search`: ``result_set`` (raw dicts), ``count``
    and the ``cont_token`` of the next results."""
    count = IntegerField(read_only=True)
    cont_token = StringField(read_only=True)
    result_set = BasicListField(read_only=True)
