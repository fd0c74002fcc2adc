"""Listings of the ``sbg://`` filesystem: one request per page of a folder
(sizes, dates, metadata and tags come with the page, never one request per
file), turned into fsspec's ``info`` dicts.

An ``info`` dict carries ``name`` (the path), ``size``, ``type``
(``'file'`` or ``'directory'``), ``id`` (the file's or folder's id, a
project's id for a project), ``created`` and ``modified`` (naive UTC
``datetime``), ``metadata`` and ``tags``. It never holds a storage URL.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List

from sevenbridges.meta.fields import parse_datetime

if TYPE_CHECKING:
    from sevenbridges._types import Api

#: Items per page of a folder (the platform's largest page of a scroll).
FOLDER_PAGE = 1000
#: Projects per page (the largest page of an offset listing).
PROJECT_PAGE = 100

Info = Dict[str, Any]


def _raw(resource: Any) -> dict:
    """What the server said of ``resource`` (reading it fetches
    nothing)."""
    return resource._data.data


def item_info(path: str, raw: dict) -> Info:
    """The ``info`` of a file or folder at ``path`` from its listing's
    JSON."""
    folder = str(raw.get('type', '')).lower() == 'folder'
    return {'name': path, 'size': 0 if folder else int(raw.get('size') or 0),
            'type': 'directory' if folder else 'file', 'id': raw.get('id'),
            'created': parse_datetime(raw.get('created_on')),
            'modified': parse_datetime(raw.get('modified_on')),
            'metadata': dict(raw.get('metadata') or {}),
            'tags': list(raw.get('tags') or [])}


def project_info(raw: dict) -> Info:
    """The ``info`` of a project (a folder at ``OWNER/PROJECT``)."""
    return {'name': raw['id'], 'size': 0, 'type': 'directory',
            'id': raw['id'], 'created': parse_datetime(raw.get('created_on')),
            'modified': parse_datetime(raw.get('modified_on')),
            'metadata': {}, 'tags': list(raw.get('tags') or [])}


def folder_items(api: Api, path: str, where: dict) -> List[Info]:
    """The items of the folder at ``path`` (``where``: ``{'project': id}``
    for a project's root, ``{'parent': folder id}``), a page of
    :data:`FOLDER_PAGE` per request."""
    pages = api.files.query(limit=FOLDER_PAGE, cont_token='init', api=api,
                            **where)
    return [item_info(f'{path}/{item.name}', _raw(item))
            for item in pages.all()]


def projects(api: Api, owner: str | None = None) -> List[Info]:
    """The projects the user can read (of ``owner`` only, when given)."""
    found = api.projects.query(owner=owner, limit=PROJECT_PAGE, api=api)
    return [project_info(_raw(project)) for project in found.all()]


def project(api: Api, project_id: str) -> Info:
    """The ``info`` of one project (one request)."""
    return project_info(_raw(api.projects.get(project_id)))


def root_info(path: str) -> Info:
    """The ``info`` of the root or of an owner."""
    return {'name': path, 'size': 0, 'type': 'directory', 'id': None,
            'created': None, 'modified': None, 'metadata': {}, 'tags': []}


def child_path(folder: str, name: str) -> str:
    """``folder/name`` (``name`` alone at the root)."""
    return f'{folder}/{name}' if folder else name

