"""Folder trees (``api.folders``): walk a project's folders, upload a local
folder, download a platform folder, and keep the two in sync.

::

    report = api.folders.upload('.', project=project)   # this folder's tree
    print(report)
    plan = api.folders.plan_sync('copy', project=project,
                                 direction='download')
    print(plan)                 # what would move: a dry run
    report = plan.execute()     # move it

Every call that moves files returns a
:class:`~sevenbridges.transfer.report.TransferReport`, and raises a
:class:`~sevenbridges.transfer.report.FolderTransferError` (which holds the
report) when any file failed: the others are done all the same.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Callable, Iterable, Iterator

from sevenbridges.errors import ValidationError
from sevenbridges.http.client import lean_requests, reading_environment_once
from sevenbridges.meta.arguments import check_choice, check_flag, local_path
from sevenbridges.transfer import tree
from sevenbridges.transfer.batch import Batch
from sevenbridges.transfer.options import TransferOptions
from sevenbridges.transfer.plan import (
    Compare,
    Direction,
    IfExists,
    TransferPlan,
    make_plan,
)
from sevenbridges.transfer.removal import FolderRemoval, plan_removal
from sevenbridges.transfer.report import TransferReport
from sevenbridges.transfer.tree import RemoteRoot, Selection

if TYPE_CHECKING:
    from sevenbridges._types import Api, FileRef, ProjectRef
    from sevenbridges.models.file import File
    from sevenbridges.transfer.utils import Progress

__all__ = ['Folders']

Patterns = Iterable[str]
ProgressCallback = Callable[['Progress'], Any]


class Folders:
    """Folder trees of the platform, bound to a client: ``api.folders``.

    The remote side is the root of a project (``project=``) or a folder
    (``parent=``); the local side is a folder. Paths are relative to both,
    with ``/`` between names; ``include`` and ``exclude`` take glob
    patterns of them (see :class:`~sevenbridges.transfer.tree.Selection`).

    :param api: the client.
    """

    def __init__(self, api: Api) -> None:
        self._api = api

    def __repr__(self) -> str:
        return f'<Folders of {self._api.url}>'

    # -- walks ----------------------------------------------------------------

    def walk(self, project: ProjectRef | None = None,
             parent: FileRef | None = None
             ) -> Iterator[tuple[str, list[File], list[File]]]:
        """Like :func:`os.walk`: ``(path, folders, files)`` for the start and
        every folder below it, top down, each folder listed when it is
        reached (``path`` is ``''`` for the start). Removing folders from
        the list skips them.

        :param project: the project (id or ``Project``): from its root.
        :param parent: the folder (id or ``File``).
        """
        RemoteRoot(project, parent)
        return tree.walk(self._api, project, parent)

    def walk_files(self, project: ProjectRef | None = None,
                   parent: FileRef | None = None,
                   include_folders: bool = False
                   ) -> Iterator[tuple[str, File]]:
        """``(relative path, File)`` of every file below the start, depth
        first, one page (1,000 items) at a time.

        :param project: the project (id or ``Project``): from its root.
        :param parent: the folder (id or ``File``).
        :param include_folders: yield the folders too.
        """
        return tree.walk_files(self._api, project, parent, include_folders)

    # -- removal --------------------------------------------------------------

    def plan_removal(self, folder: FileRef) -> FolderRemoval:
        """What :meth:`remove` would remove (nothing is removed): one walk
        of the folder's tree.

        :param folder: the folder (id or ``File``).
        :raises ValidationError: when it is a file, or a project's root
            folder.
        """
        return plan_removal(self._api, folder)

    def remove(self, folder: FileRef) -> list[str]:
        """Remove a folder with everything in it: the files below it in
        bulk requests (100 a request), then its folders, the deepest first,
        then the folder itself.

        :param folder: the folder (id or ``File``).
        :return: the paths removed, relative to the folder's parent
            (``run1/a.txt``, ``run1/reads/``, ``run1/``).
        :raises ValidationError: when it is a file, or a project's root
            folder (nothing is removed).
        :raises FolderRemovalError: when the platform refuses a path; what
            was removed before stays removed, and calling again continues.
        """
        return self.plan_removal(folder).execute()

    # -- plans ----------------------------------------------------------------

    def plan_upload(
            self, path: str | os.PathLike, project: ProjectRef | None = None,
            parent: FileRef | None = None, include: Patterns | None = None,
            exclude: Patterns | None = None, if_exists: str = IfExists.SKIP
            ) -> TransferPlan:
        """What :meth:`upload` would do (nothing moves).

        :param path: the local folder: its contents go into the project's
            root or the folder.
        :param project: the project (id or ``Project``).
        :param parent: the folder (id or ``File``).
        :param include: glob patterns of the paths to take (default: all).
        :param exclude: glob patterns of the paths to leave.
        :param if_exists: for a name the platform has: ``skip`` it (a
            re-run continues an interrupted upload), ``overwrite`` it, or
            ``rename`` the new file (``1_name``, ``2_name``, ...).
        """
        return self._plan(Direction.UPLOAD, path, project, parent, include,
                          exclude, check_choice('if_exists', if_exists,
                                                IfExists, required=True))

    def plan_download(
            self, path: str | os.PathLike, project: ProjectRef | None = None,
            parent: FileRef | None = None, include: Patterns | None = None,
            exclude: Patterns | None = None, if_exists: str = IfExists.SKIP
            ) -> TransferPlan:
        """What :meth:`download` would do (nothing moves).

        :param path: the local folder (created when missing).
        :param project: the project (id or ``Project``): from its root.
        :param parent: the folder (id or ``File``).
        :param include: glob patterns of the paths to take (default: all).
        :param exclude: glob patterns of the paths to leave.
        :param if_exists: for a local file of that name: ``skip`` it,
            ``overwrite`` it, or ``rename`` the new one (``1_name``, ...).
        """
        return self._plan(Direction.DOWNLOAD, path, project, parent, include,
                          exclude, check_choice('if_exists', if_exists,
                                                IfExists, required=True))

    def plan_sync(
            self, path: str | os.PathLike, project: ProjectRef | None = None,
            parent: FileRef | None = None,
            direction: str = Direction.UPLOAD, compare: str = Compare.MTIME,
            delete: bool = False, include: Patterns | None = None,
            exclude: Patterns | None = None) -> TransferPlan:
        """What :meth:`sync` would do: each path new, changed, the same, or
        only on the target (nothing moves).

        :param path: the local folder.
        :param project: the project (id or ``Project``).
        :param parent: the folder (id or ``File``).
        :param direction: ``upload`` (the platform follows the local
            folder) or ``download`` (the local folder follows the
            platform).
        :param compare: how a file on both sides is compared: ``mtime``
            (size, then the source newer by a second or more), ``size``, or
            ``exists`` (the name alone).
        :param delete: delete what only the target has (files, and folders
            left empty); without it, that is listed and left.
        :param include: glob patterns of the paths to take (default: all).
        :param exclude: glob patterns of the paths to leave (never
            deleted).
        """
        check_flag('delete', delete)
        return self._plan(
            check_choice('direction', direction, Direction, required=True),
            path, project, parent, include, exclude,
            check_choice('compare', compare, Compare, required=True),
            delete=delete, sync=True)

    def _plan(self, direction, path, project, parent, include, exclude,
              when_present, delete=False, sync=False):
        local_root = local_path('path', path)
        root = RemoteRoot(project, parent)
        selection = Selection(include, exclude)
        if direction == Direction.UPLOAD and not os.path.isdir(local_root):
            raise ValidationError(f'path must be a local folder: '
                                  f'{local_root} is not one.')
        if direction == Direction.DOWNLOAD and os.path.exists(local_root) \
                and not os.path.isdir(local_root):
            raise ValidationError(f'path must be a local folder: '
                                  f'{local_root} is a file.')
        with reading_environment_once(self._api.session), \
                lean_requests(self._api.session):
            return make_plan(self._api, direction, local_root, root,
                             selection, when_present, delete, sync)

    # -- transfers ------------------------------------------------------------

    def upload(
            self, path: str | os.PathLike, project: ProjectRef | None = None,
            parent: FileRef | None = None, include: Patterns | None = None,
            exclude: Patterns | None = None, if_exists: str = IfExists.SKIP,
            progress: ProgressCallback | None = None,
            workers: int | None = None, part_size: int | None = None,
            retry: int = 6, timeout: float = 300) -> TransferReport:
        """Upload a local folder tree into a project or a folder: folders
        are created as needed (and found when they exist), files move many
        at a time (see :meth:`TransferPlan.execute
        <sevenbridges.transfer.plan.TransferPlan.execute>` for
        ``progress``, ``workers``, ``part_size``, ``retry`` and
        ``timeout``). Symbolic links and special files are left out, with
        a note in the report.

        The other parameters are those of :meth:`plan_upload`.

        :raises FolderTransferError: when any file failed (the others are
            uploaded; the error lists the failures and holds the report).
        """
        options = TransferOptions.of_folders(progress, workers, part_size,
                                             retry, timeout)
        return self._execute(self.plan_upload(
            path, project, parent, include, exclude, if_exists), options)

    def download(
            self, path: str | os.PathLike, project: ProjectRef | None = None,
            parent: FileRef | None = None, include: Patterns | None = None,
            exclude: Patterns | None = None, if_exists: str = IfExists.SKIP,
            progress: ProgressCallback | None = None,
            workers: int | None = None, part_size: int | None = None,
            retry: int = 6, timeout: float = 300) -> TransferReport:
        """Download a project's or a folder's tree into a local folder: each
        file lands whole or not at all (a temporary file renamed at the
        end), and an interrupted download continues where it stopped.

        The parameters are those of :meth:`plan_download` and
        :meth:`upload`.

        :raises FolderTransferError: when any file failed.
        """
        options = TransferOptions.of_folders(progress, workers, part_size,
                                             retry, timeout)
        return self._execute(self.plan_download(
            path, project, parent, include, exclude, if_exists), options)

    def sync(
            self, path: str | os.PathLike, project: ProjectRef | None = None,
            parent: FileRef | None = None,
            direction: str = Direction.UPLOAD, compare: str = Compare.MTIME,
            delete: bool = False, include: Patterns | None = None,
            exclude: Patterns | None = None,
            progress: ProgressCallback | None = None,
            workers: int | None = None, part_size: int | None = None,
            retry: int = 6, timeout: float = 300) -> TransferReport:
        """Make the target follow the source: plan (see :meth:`plan_sync`)
        and carry the plan out. Running it again after a crash or Ctrl-C
        continues: what is done is not moved again.

        The parameters are those of :meth:`plan_sync` and :meth:`upload`.

        :raises FolderTransferError: when any file failed.
        """
        options = TransferOptions.of_folders(progress, workers, part_size,
                                             retry, timeout)
        return self._execute(self.plan_sync(
            path, project, parent, direction, compare, delete, include,
            exclude), options)

    def _execute(self, plan: TransferPlan,
                 options: TransferOptions) -> TransferReport:
        """Carry ``plan`` out with checked ``options`` (see
        :meth:`TransferPlan.execute
        <sevenbridges.transfer.plan.TransferPlan.execute>`).

        :raises FolderTransferError: when any file failed.
        """
        report = Batch(plan, options).run()
        report.raise_for_failures()
        return report
