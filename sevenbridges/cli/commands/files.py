"""``sbg mkdir``, ``sbg rm``, ``sbg cp``, ``sbg mv`` and ``sbg cat``: files
and folders on the platform, as a shell has them for local ones.

Copies and moves are the platform's own (no byte goes through this
machine); ``cat`` streams a file's bytes, never holding the whole file.
Paths are ``OWNER/PROJECT/PATH``; a file can also be named by its id. Bad
input (a missing path, a folder without ``-r``, a name that is taken) is
found before anything changes.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Sequence

import click

from sevenbridges.cli import exits, paths
from sevenbridges.cli.state import State, json_option, pass_state
from sevenbridges.errors import Conflict, NotFound, SbgError
from sevenbridges.models.file import File
from sevenbridges.transfer.choices import IfExists

if TYPE_CHECKING:
    from sevenbridges.transfer.removal import FolderRemoval

#: ``--if-exists`` of ``cp`` and ``mv``: ``fail`` (the default) refuses a
#: taken name before anything moves.
FAIL = 'fail'
IF_TAKEN = click.Choice([FAIL, IfExists.SKIP, IfExists.OVERWRITE,
                         IfExists.RENAME])

#: Bytes per read of ``cat``.
CAT_CHUNK = 256 * 1024


def joined(location: paths.Location, name: str) -> str:
    """The path of ``name`` in the folder ``location``."""
    return f'{location.path.rstrip("/")}/{name}'


def file_of(api: Any, text: str) -> File:
    """The file a path or an id names.

    :raises ValueError: when it names a project or a folder.
    """
    found = paths.file_or_location(api, text)
    file = found if isinstance(found, File) else found.node
    if file is None:
        raise ValueError(f'{text} is a project, not a file')
    if file.is_folder():
        raise ValueError(f'{text} is a folder, not a file')
    return file


# -- mkdir --------------------------------------------------------------------

@click.command()
@click.argument('targets', nargs=-1, required=True,
                metavar='OWNER/PROJECT/PATH...')
@click.option('-p', '--parents', is_flag=True,
              help='Make the folders above too where they are missing; a '
                   'folder that exists is no error.')
@json_option
@pass_state
def mkdir(state: State, targets: Sequence[str], parents: bool) -> None:
    """Make folders. Without -p the folder above must exist and the name
    must be free."""
    api = state.api
    made = []
    if parents:
        made = [paths.make_folders(api, text) for text in targets]
    else:
        places = [paths.parent_and_name(api, text) for text in targets]
        for folder, name in places:
            if paths.child(api, folder.project, folder.node,
                           name) is not None:
                raise exits.TargetExists(f'{joined(folder, name)} exists')
        for folder, name in places:
            made.append(folder.below(paths.new_folder(api, folder, name),
                                     name))
    if state.output.as_json:
        state.output.json([{'path': location.path,
                            'id': location.folder_id} for location in made])


# -- rm -----------------------------------------------------------------------

def confirmed(removals: Sequence[tuple[str, FolderRemoval]]) -> bool:
    """Whether the user agrees to remove these folder trees (asked on
    standard error; no answer is no)."""
    if len(removals) == 1:
        text, removal = removals[0]
        question = (f'Remove {text.rstrip("/")}/ and everything in it '
                    f'({len(removal.files)} files, {len(removal.folders)} '
                    'folders)?')
    else:
        for text, removal in removals:
            click.echo(f'  {text.rstrip("/")}/: {len(removal.files)} files, '
                       f'{len(removal.folders)} folders', err=True)
        question = (f'Remove these {len(removals)} folders and everything '
                    'in them?')
    try:
        return click.confirm(question, default=False, err=True)
    except click.Abort:  # no answer (end of input) or Ctrl-C
        click.echo('', err=True)
        return False


def shown_paths(text: str, removed: Sequence[str]) -> list[str]:
    """The paths a removal reports (relative to the folder's parent) as
    full paths, when the folder was named by its path."""
    if not paths.OBJECT_ID.match(text):
        above = text.strip('/').rsplit('/', 1)[0]
        return [f'{above}/{path}' for path in removed]
    return list(removed)


@click.command()
@click.argument('targets', nargs=-1, required=True,
                metavar='OWNER/PROJECT/PATH|FILE_ID...')
@click.option('-r', '--recursive', is_flag=True,
              help='Remove folders with everything in them.')
@click.option('-y', '--yes', is_flag=True,
              help='Remove folders without asking.')
@json_option
@pass_state
def rm(state: State, targets: Sequence[str], recursive: bool,
       yes: bool) -> None:
    """Remove files, and with -r folders with everything in them (after
    asking, unless --yes). A project is never removed."""
    files, folders = [], []
    for text in targets:
        found = paths.file_or_location(state.api, text)
        item = found if isinstance(found, File) else found.node
        if item is None:
            raise ValueError(f'{text} is a project: sbg rm removes files '
                             'and folders')
        if item.is_folder():
            if not recursive:
                raise ValueError(f'{text} is a folder: use -r')
            folders.append((text, item))
        else:
            files.append((text, item))
    removals = [(text, state.api.folders.plan_removal(folder))
                for text, folder in folders]
    # What another removal takes goes with it, not a second time.
    inside = {item_id for _, removal in removals
              for _, item_id in removal.files + removal.folders}
    removals = [(text, removal) for text, removal in removals
                if removal.folder.id not in inside]
    files = [(text, file) for text, file in files if file.id not in inside]
    asking = [(text, removal) for text, removal in removals
              if removal.files or removal.folders]
    if asking and not yes and not confirmed(asking):
        raise SbgError('nothing removed (answer y, or pass --yes)')
    removed = []
    for text, file in files:
        file.delete()
        removed.append(text)
    for text, removal in removals:
        gone = shown_paths(text, removal.execute())
        removed += gone
        state.output.note(f'removed {gone[-1]} ({len(removal.files)} '
                          f'files, {len(removal.folders)} folders)')
    if state.output.as_json:
        state.output.json({'removed': removed})


# -- cp and mv ----------------------------------------------------------------

@dataclass
class Placement:
    """One file of ``cp`` or ``mv``: where it goes, under what name, and
    what has that name there now."""
    source: str
    file: File
    folder: paths.Location
    name: str
    existing: File | None

    @property
    def target(self) -> str:
        return joined(self.folder, self.name)


def placements(api: Any, sources: Sequence[str],
               destination: str) -> list[Placement]:
    """Where each source goes: into ``destination`` when it is a folder
    (or a project), else (one source) to that path."""
    files = [(text, file_of(api, text)) for text in sources]
    try:
        target: paths.Location | None = paths.locate(api, destination)
    except NotFound:
        target = None
    if target is not None and target.is_folder:
        return [Placement(text, file, target, file.name,
                          paths.child(api, target.project, target.node,
                                      file.name))
                for text, file in files]
    if len(files) > 1:
        if target is None:
            raise NotFound(message=f'{destination} does not exist: several '
                                   'files go into a folder')
        raise ValueError(f'{destination} is a file: several files go into '
                         'a folder')
    folder, name = paths.parent_and_name(api, destination)
    text, file = files[0]
    return [Placement(text, file, folder, name,
                      target.node if target is not None else None)]


def check(places: Sequence[Placement], if_exists: str) -> None:
    """Refuse what cannot be done, before anything moves."""
    seen = set()
    for place in places:
        key = (place.folder.folder_id, place.name)
        if key in seen:
            raise ValueError(f'two files go to {place.target}')
        seen.add(key)
        existing = place.existing
        if existing is None:
            continue
        if existing.id == place.file.id:
            raise ValueError(f'{place.source} and {place.target} are the '
                             'same file')
        if existing.is_folder():
            raise ValueError(f'{place.target} is a folder')
        if if_exists == FAIL:
            raise exits.TargetExists(
                f'{place.target} exists (--if-exists overwrite replaces '
                'it, rename keeps both)')


Put = Callable[[File, str, str], File]


def put_copy(file: File, folder_id: str, name: str) -> File:
    return file.copy_to_folder(folder_id, name)


def put_move(file: File, folder_id: str, name: str) -> File:
    return file.move_to_folder(folder_id, name)


def place_file(api: Any, place: Placement, if_exists: str, put: Put,
               verb: str) -> dict[str, Any]:
    """Copy or move one file on the platform (``put``); its outcome.

    A name that is taken is kept (``skip``), left to the existing file
    while this one lands under a free one (``rename``: ``1_name``, as the
    platform numbers copies), or replaced (``overwrite``): the file lands
    under a free name first, then the old one is removed and the new one
    renamed, so that a failure never loses both.
    """
    from sevenbridges.transfer.plan import free_name  # folder trees' module
    outcome = {'source': place.source, 'target': place.target,
               'status': verb, 'id': None, 'detail': ''}
    folder_id = place.folder.folder_id
    if place.existing is None:
        try:
            landed = put(place.file, folder_id, place.name)
        except Conflict as error:  # a move to a name taken meanwhile
            raise exits.TargetExists(f'{place.target} exists') from error
        if landed.name != place.name:  # a copy renamed by the platform
            landed.delete()
            raise exits.TargetExists(f'{place.target} exists')
        return dict(outcome, id=landed.id)
    if if_exists == IfExists.SKIP:
        return dict(outcome, status='skipped', id=place.existing.id,
                    detail='exists')
    free = free_name(place.name, paths.Names(api, place.folder))
    landed = put(place.file, folder_id, free)
    if if_exists == IfExists.RENAME:
        return dict(outcome, target=joined(place.folder, landed.name),
                    id=landed.id, detail='exists: renamed')
    place.existing.delete()
    landed.name = place.name
    landed.save()
    return dict(outcome, id=landed.id, detail='replaced')


def place_files(state: State, sources: Sequence[str], destination: str,
                if_exists: str, put: Put, verb: str) -> None:
    places = placements(state.api, sources, destination)
    check(places, if_exists)
    outcomes = [place_file(state.api, place, if_exists, put, verb)
                for place in places]
    if state.output.as_json:
        state.output.json(outcomes)
        return
    for outcome in outcomes:
        detail = f' ({outcome["detail"]})' if outcome['detail'] else ''
        state.output.text(f'{outcome["status"]} {outcome["source"]} -> '
                          f'{outcome["target"]}{detail}\n')


def placing_command(command: Callable[..., Any]) -> Callable[..., Any]:
    """``cp`` and ``mv``: the sources, the destination, ``--if-exists``
    and ``--json``, around ``command``."""
    for decorate in (
            pass_state,
            json_option,
            click.option(
                '--if-exists', type=IF_TAKEN, default=FAIL,
                show_default=True,
                help='For a name the target folder has: fail (nothing '
                     'moves), skip the file, overwrite the one there, or '
                     'rename the new one (1_name).'),
            click.argument('destination', metavar='OWNER/PROJECT[/PATH]'),
            click.argument('sources', nargs=-1, required=True,
                           metavar='OWNER/PROJECT/PATH|FILE_ID...'),
            click.command()):
        command = decorate(command)
    return command


@placing_command
def cp(state: State, sources: Sequence[str], destination: str,
       if_exists: str) -> None:
    """Copy files on the platform, into a folder (or a project's root) or,
    for one file, to a new path; no byte goes through this machine."""
    place_files(state, sources, destination, if_exists, put_copy, 'copied')


@placing_command
def mv(state: State, sources: Sequence[str], destination: str,
       if_exists: str) -> None:
    """Move or rename files on the platform, into a folder (or a project's
    root) or, for one file, to a new path."""
    place_files(state, sources, destination, if_exists, put_move, 'moved')


# -- cat ----------------------------------------------------------------------

@click.command()
@click.argument('sources', nargs=-1, required=True,
                metavar='OWNER/PROJECT/PATH|FILE_ID...')
@pass_state
def cat(state: State, sources: Sequence[str]) -> None:
    """Write files' bytes to standard output, one after the other, as they
    arrive (a file is never held whole)."""
    files = [file_of(state.api, text) for text in sources]
    out = sys.stdout.buffer
    try:
        for file in files:
            for chunk in file.stream(part_size=CAT_CHUNK):
                out.write(chunk)
        out.flush()
    except BrokenPipeError:
        # The reader stopped (``sbg cat ... | head``): not an error. Later
        # writes of the interpreter go nowhere.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, out.fileno())
        os.close(devnull)


COMMANDS = [mkdir, rm, cp, mv, cat]
