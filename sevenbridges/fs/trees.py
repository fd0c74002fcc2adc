"""Whole folder trees between the ``sbg://`` filesystem and local folders,
through the SDK's folder transfers (``api.folders``): every file of the
tree on one budget of workers, each file whole or not at all, and a
second run continuing what a first one left.

fsspec's ``get`` and ``put`` of one folder, recursive and without a depth
limit, come here; the other forms (globs, lists, ``maxdepth``) go file by
file. Where the tree lands follows fsspec's rule (``cp -r``): into a
folder that exists, under the source's name, unless the source ends with
``/``; otherwise as the target itself.
"""
from __future__ import annotations

import os
import posixpath
from glob import has_magic
from typing import TYPE_CHECKING, Any

from sevenbridges.fs import paths
from sevenbridges.fs.errors import os_errors

if TYPE_CHECKING:
    from sevenbridges.fs.filesystem import SevenBridgesFileSystem


def _one_tree(source: Any, target: Any, recursive: bool,
              maxdepth: int | None) -> bool:
    return (isinstance(source, (str, os.PathLike)) and
            isinstance(target, (str, os.PathLike)) and recursive and
            maxdepth is None and not has_magic(os.fspath(source)))


def _landing(source: str, target: str, target_is_folder: bool,
             name: str) -> str:
    if target_is_folder and not source.endswith('/'):
        return posixpath.join(target, name)
    return target


def download_tree(fs: SevenBridgesFileSystem, rpath: Any, lpath: Any,
                  recursive: bool, maxdepth: int | None) -> bool:
    """Download the folder ``rpath`` into ``lpath`` as one folder
    transfer; ``False`` when the call is not of one whole folder."""
    if not _one_tree(rpath, lpath, recursive, maxdepth):
        return False
    rpath, lpath = os.fspath(rpath), os.fspath(lpath)
    remote = fs._strip_protocol(rpath)
    if paths.above_projects(remote) or not fs.isdir(remote):
        return False
    local = _landing(rpath, lpath, lpath.endswith(('/', os.sep)) or
                     os.path.isdir(lpath), paths.name(remote))
    where = _where(fs, remote)
    with os_errors(remote):
        fs.api.folders.download(local, if_exists='overwrite', **where)
    return True


def upload_tree(fs: SevenBridgesFileSystem, lpath: Any, rpath: Any,
                recursive: bool, maxdepth: int | None) -> bool:
    """Upload the local folder ``lpath`` into ``rpath`` as one folder
    transfer; ``False`` when the call is not of one whole folder."""
    if not _one_tree(lpath, rpath, recursive, maxdepth):
        return False
    lpath, rpath = os.fspath(lpath), os.fspath(rpath)
    if not os.path.isdir(lpath):
        return False
    remote = fs._strip_protocol(rpath)
    into_folder = rpath.endswith('/') or fs.isdir(remote)
    remote = _landing(lpath, remote, into_folder,
                      os.path.basename(os.path.normpath(lpath)))
    if not paths.is_project(remote):
        fs.makedirs(remote, exist_ok=True)
    try:
        with os_errors(remote):
            fs.api.folders.upload(lpath, if_exists='overwrite',
                                  **_where(fs, remote))
    finally:
        fs.invalidate_cache(remote)
    return True


def _where(fs: SevenBridgesFileSystem, folder: str) -> dict:
    """``project=`` or ``parent=`` of the folder transfers."""
    if paths.is_project(folder):
        fs.info(folder)
        return {'project': folder}
    return {'parent': fs.info(folder)['id']}
