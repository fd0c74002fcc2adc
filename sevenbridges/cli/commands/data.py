"""``sbg upload``, ``sbg download`` and ``sbg sync``: files, and with
``-r`` whole folders, on the SDK's folder transfers (``api.folders``).

Single files and folder trees show one progress bar for the whole command
on a terminal. A transfer stopped by Ctrl-C continues when the same command
runs again: files already moved are skipped, and a download in flight
resumes from its journal.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Container, Sequence, cast

import click

from sevenbridges.cli import exits, paths
from sevenbridges.cli.output import Output
from sevenbridges.cli.sizes import NOTHING_MOVES, human_size
from sevenbridges.cli.state import State, json_option, pass_state
from sevenbridges.errors import NotFound
from sevenbridges.models.file import File
from sevenbridges.transfer.choices import Compare, Direction, IfExists

if TYPE_CHECKING:
    from sevenbridges.transfer.report import (
        FileOutcome,
        TransferReport,
        TreeProgress,
    )

IF_EXISTS = click.Choice([IfExists.SKIP, IfExists.OVERWRITE,
                          IfExists.RENAME])


def selection_options(command: Callable[..., Any]) -> Callable[..., Any]:
    """``--include`` and ``--exclude`` glob patterns (repeatable)."""
    command = click.option(
        '--exclude', multiple=True, metavar='GLOB',
        help='Leave paths matching this pattern (repeatable).')(command)
    return click.option(
        '--include', multiple=True, metavar='GLOB',
        help='Take only paths matching this pattern (repeatable).')(command)


class Bar:
    """One progress bar of bytes (and files) for a whole command."""

    def __init__(self, output: Output, verb: str) -> None:
        self.verb = verb
        self.display = output.transfer_progress()
        self.task = self.display.add_task(verb, total=None)
        self._base = 0   # bytes of the files finished before this one
        #: Bytes of the single files to move (folder transfers tell
        #: theirs).
        self.total = 0

    def __enter__(self) -> Bar:
        self.display.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.display.stop()

    def tree(self, progress: TreeProgress) -> None:
        """A folder transfer's progress callback."""
        self._update(progress.files_done, progress.files_total,
                     progress.bytes_done, progress.bytes_total)

    def tree_done(self, report: TransferReport) -> None:
        """End the bar of a folder transfer that moved no byte (it had no
        progress to tell): full, ``0 B``."""
        if self.display.tasks[self.task].total is None:
            files = [outcome for outcome in report.outcomes
                     if not outcome.path.endswith('/')]
            self._update(len(files), len(files), 0, 0)

    def _update(self, done: int, count: int, completed: int,
                total: int) -> None:
        """Show ``completed`` of ``total`` bytes; with none to move, a
        full bar of ``0 B``."""
        self.display.update(
            self.task, total=total or 1, completed=completed if total else 1,
            description=f'{self.verb} {done}/{count} files',
            **{NOTHING_MOVES: not total})

    def files(self, done: int, count: int) -> Callable[[Any], None]:
        """The progress callback of the ``done``-th of ``count`` files
        (of :attr:`total` bytes in all)."""
        base = self._base

        def update(progress: Any) -> None:
            self._show(done, count, base + progress.bytes_done)
        return update

    def _show(self, done: int, count: int, completed: int) -> None:
        self._update(done, count, completed, self.total)

    def file_done(self, size: int) -> None:
        self._base += size

    def file_skipped(self, done: int, count: int, size: int) -> None:
        """Leave a skipped file's bytes out of the total: the bar counts
        the bytes that move, as a folder transfer's does."""
        self.total -= size
        self._show(done, count, self._base)


def report_out(state: State, report: TransferReport) -> None:
    """The report: a summary for people, every outcome in JSON."""
    if state.output.as_json:
        state.output.json({
            'moved': len(report.moved), 'skipped': len(report.skipped),
            'failed': len(report.failed), 'bytes_moved': report.bytes_moved,
            'seconds': round(report.elapsed, 3),
            'files': [outcome_row(o) for o in report.outcomes]})
    else:
        state.output.text(report.summary() + '\n')


def outcome_row(outcome: FileOutcome) -> dict[str, Any]:
    return {'path': outcome.path, 'status': outcome.status,
            'size': outcome.size, 'detail': outcome.detail}


def failed(state: State, report: TransferReport) -> int:
    """Print the report and each failure; the exit status."""
    report_out(state, report)
    for outcome in report.failed:
        state.output.error(f'{outcome.path}: {outcome.detail}')
    return exits.TRANSFER if report.failed else exits.OK


def run_tree(state: State, verb: str,
             transfer: Callable[..., TransferReport]) -> int:
    """A folder transfer with one progress bar; its exit status."""
    from sevenbridges.transfer.report import FolderTransferError
    with Bar(state.output, verb) as bar:
        try:
            report = transfer(progress=bar.tree)
        except FolderTransferError as error:
            report = error.report
        bar.tree_done(report)
    return failed(state, report)


def remote_folder(state: State, text: str) -> paths.Location:
    location = paths.locate(state.api, text)
    if not location.is_folder:
        raise click.UsageError(f'{text} is a file: the destination must be '
                               'a project or a folder')
    return location


@click.command()
@click.argument('sources', nargs=-1, required=True, metavar='LOCAL...',
                type=click.Path(exists=True))
@click.argument('destination', metavar='OWNER/PROJECT[/FOLDER]')
@click.option('-r', '--recursive', is_flag=True,
              help='Upload folders with everything in them.')
@click.option('--if-exists', type=IF_EXISTS, default=IfExists.SKIP,
              show_default=True, help='For a name the platform has.')
@selection_options
@json_option
@pass_state
@click.pass_context
def upload(ctx: click.Context, state: State, sources: Sequence[str],
           destination: str, recursive: bool, if_exists: str,
           include: Sequence[str], exclude: Sequence[str]) -> None:
    """Upload files (and, with -r, folders) into a project or folder."""
    folders = [s for s in sources if os.path.isdir(s)]
    if folders and not recursive:
        raise click.UsageError(f'{folders[0]} is a folder: use -r')
    location = remote_folder(state, destination)
    files = [s for s in sources if not os.path.isdir(s)]
    status = exits.OK
    if files:
        status = upload_files(state, files, location, if_exists)
    for folder in folders:
        name = os.path.basename(os.path.abspath(folder))
        target = paths.ensure_folder(state.api, location, name)
        status = max(status, run_tree(
            state, f'upload {name}', lambda progress, f=folder, t=target:
            state.api.folders.upload(
                f, parent=t, include=list(include) or None,
                exclude=list(exclude) or None, if_exists=if_exists,
                progress=progress)))
    ctx.exit(status)


def upload_files(state: State, sources: Sequence[str],
                 location: paths.Location, if_exists: str) -> int:
    """Upload single files, one after the other, under one bar."""
    taken = paths.Names(state.api, location)

    def begin(source: str, name: str, replace: bool) -> Any:
        return state.api.files.upload(source, file_name=name, wait=False,
                                      overwrite=replace,
                                      **paths.target_of(location))
    return move_singles(state, Direction.UPLOAD, if_exists, [
        Single(source, os.path.basename(source), os.path.getsize(source),
               taken) for source in sources], begin)


@dataclass
class Single:
    """One file of ``upload``/``download`` without ``-r``: what moves, the
    name it lands under, and the names taken where it lands."""
    source: Any
    name: str
    size: int
    taken: Container[str]


def move_singles(state: State, direction: str, if_exists: str,
                 singles: Sequence[Single],
                 begin: Callable[[Any, str, bool], Any]) -> int:
    """Move ``singles`` one after the other under one bar: a name that is
    taken is skipped, replaced or renamed as ``if_exists`` says, and one
    file's failure never stops the others; the exit status.
    ``begin(source, name, replace)`` makes a file's unstarted transfer."""
    from sevenbridges.transfer.plan import free_name
    from sevenbridges.transfer.report import FileOutcome, TransferReport
    report = TransferReport(direction)
    with Bar(state.output, direction) as bar:
        bar.total = sum(single.size for single in singles)
        for number, single in enumerate(singles, 1):
            name = single.name
            if name in single.taken:
                if if_exists == IfExists.SKIP:
                    report.add(FileOutcome(name, 'skipped', single.size,
                                           'exists (--if-exists overwrite '
                                           'replaces it)'))
                    bar.file_skipped(number, len(singles), single.size)
                    continue
                if if_exists == IfExists.RENAME:
                    name = free_name(name, single.taken)
            transfer = begin(single.source, name,
                             if_exists == IfExists.OVERWRITE)
            transfer.add_progress_callback(bar.files(number, len(singles)))
            transfer.start()
            try:
                transfer.wait()  # raises the transfer's error
            except Exception as error:  # one file's failure: the others go
                report.add(FileOutcome(name, 'failed', single.size,
                                       exits.message_of(error)))
            else:
                report.add(FileOutcome(name, 'moved', single.size))
            bar.file_done(single.size)
    return failed(state, report.finish())


@click.command()
@click.argument('sources', nargs=-1, required=True,
                metavar='OWNER/PROJECT/PATH|FILE_ID...')
@click.argument('destination', metavar='LOCAL', type=click.Path())
@click.option('-r', '--recursive', is_flag=True,
              help='Download folders (or a whole project) with everything '
                   'in them.')
@click.option('--if-exists', type=IF_EXISTS, default=IfExists.SKIP,
              show_default=True, help='For a local file of that name.')
@selection_options
@json_option
@pass_state
@click.pass_context
def download(ctx: click.Context, state: State, sources: Sequence[str],
             destination: str, recursive: bool, if_exists: str,
             include: Sequence[str], exclude: Sequence[str]) -> None:
    """Download files (and, with -r, folders) into a local folder (or, for
    one file, to a local file name)."""
    found = [paths.file_or_location(state.api, source)
             for source in sources]
    trees = [f for f in found if isinstance(f, paths.Location) and
             f.is_folder]
    if trees and not recursive:
        raise click.UsageError(f'{trees[0].path} is a folder: use -r')
    # A path that is not a folder's leads to a file: its node is set.
    files = [f if isinstance(f, File) else cast(File, f.node)
             for f in found
             if not (isinstance(f, paths.Location) and f.is_folder)]
    into_folder = os.path.isdir(destination) or len(found) > 1 or \
        bool(trees) or destination.endswith(os.sep)
    os.makedirs(destination if into_folder else
                os.path.dirname(os.path.abspath(destination)), exist_ok=True)
    status = exits.OK
    if files:
        status = download_files(state, files, destination, into_folder,
                                if_exists)
    for tree in trees:
        name = tree.node.name if tree.node is not None else \
            tree.project.id.split('/')[1]
        target = os.path.join(destination, name)
        status = max(status, run_tree(
            state, f'download {name}', lambda progress, t=tree, d=target:
            state.api.folders.download(
                d, include=list(include) or None,
                exclude=list(exclude) or None, if_exists=if_exists,
                progress=progress, **paths.target_of(t))))
    ctx.exit(status)


def download_files(state: State, files: Sequence[File],
                   destination: str, into_folder: bool,
                   if_exists: str) -> int:
    """Download single files, one after the other, under one bar: into
    the folder ``destination``, or (one file) to that name."""
    if into_folder:
        folder, as_name = destination, None
    else:
        folder, as_name = os.path.split(os.path.abspath(destination))
    # One set for all: a name one file takes is taken for the next.
    taken = set(os.listdir(folder))

    def begin(file: File, name: str, replace: bool) -> Any:
        taken.add(name)
        return file.download(os.path.join(folder, name), wait=False,
                             overwrite=replace)
    return move_singles(state, Direction.DOWNLOAD, if_exists, [
        Single(file, as_name or file.name, file.size or 0, taken)
        for file in files], begin)


def sync_sides(source: str, destination: str) -> tuple[str, str, str]:
    """``(direction, local folder, remote path)``: the side that is a local
    folder is local."""
    if os.path.isdir(source) and not os.path.isdir(destination):
        return Direction.UPLOAD, source, destination
    if os.path.isdir(destination) or not os.path.exists(destination):
        try:
            paths.split(source)
        except ValueError:
            raise click.UsageError(
                f'{source} is neither a local folder nor OWNER/PROJECT'
                '[/PATH]') from None
        return Direction.DOWNLOAD, destination, source
    raise click.UsageError(f'{destination} is a file: sync needs a local '
                           'folder on one side')


def sync_remote(state: State, direction: str, text: str) -> paths.Location:
    """The remote folder of a sync; for an upload, made when missing."""
    try:
        return remote_folder(state, text)
    except NotFound:
        if direction != Direction.UPLOAD:
            raise
    return paths.make_folders(state.api, text)


@click.command()
@click.argument('source', metavar='SRC')
@click.argument('destination', metavar='DEST')
@click.option('--dry-run', is_flag=True,
              help='Show what would move, move nothing.')
@click.option('--delete', is_flag=True,
              help='Delete what only DEST has.')
@click.option('--compare', type=click.Choice(
    [Compare.MTIME, Compare.SIZE, Compare.EXISTS]), default=Compare.MTIME,
    show_default=True, help='How a file on both sides is found changed.')
@selection_options
@json_option
@pass_state
@click.pass_context
def sync(ctx: click.Context, state: State, source: str, destination: str,
         dry_run: bool, delete: bool, compare: str, include: Sequence[str],
         exclude: Sequence[str]) -> None:
    """Make DEST follow SRC: a local folder and OWNER/PROJECT[/PATH], in
    either order. New and changed files move; what only DEST has is listed
    and kept unless --delete."""
    direction, local, remote = sync_sides(source, destination)
    location = remote_folder(state, remote) if dry_run else \
        sync_remote(state, direction, remote)
    options = dict(direction=direction, compare=compare, delete=delete,
                   include=list(include) or None,
                   exclude=list(exclude) or None, **paths.target_of(location))
    if dry_run:
        plan = state.api.folders.plan_sync(local, **options)
        rows: list[dict[str, Any]] = [
            {'action': e.action, 'path': e.path, 'size': e.size,
             'reason': e.reason} for e in plan.entries]
        if state.output.as_json:
            state.output.json({'summary': plan.summary(), 'entries': rows})
        else:
            for row in rows:
                row['size'] = human_size(row['size'])
            state.output.table(rows, ['action', 'size', 'path', 'reason'])
            state.output.text(plan.summary() + '\n')
        return
    ctx.exit(run_tree(state, 'sync', lambda progress: state.api.folders.sync(
        local, progress=progress, **options)))


COMMANDS = [upload, download, sync]
