"""``sbg projects ls``, ``sbg ls`` and ``sbg info``."""
from __future__ import annotations

import re
from typing import Any, Callable, Iterable, Iterator

import click

from sevenbridges.cli import paths
from sevenbridges.cli.sizes import human_size
from sevenbridges.cli.state import State, json_option, pass_state
from sevenbridges.errors import SbgError
from sevenbridges.models.file import File
from sevenbridges.models.project import Project

#: Splits a name into text and runs of digits (``'r10.fq'`` -> ``['r',
#: '10', '.fq']``).
DIGITS = re.compile(r'(\d+)')


def file_row(file: File, path: str | None = None) -> dict[str, Any]:
    """A file or folder as a row of ``ls``."""
    folder = file.is_folder()
    return {'name': (path or file.name) + ('/' if folder else ''),
            'type': 'folder' if folder else 'file',
            'size': None if folder else file.size,
            'modified': file.modified_on, 'id': file.id}


@click.group()
def projects() -> None:
    """Projects you can see."""


@projects.command('ls')
@click.option('--name', help='Only projects with this name.')
@json_option
@pass_state
def projects_ls(state: State, name: str | None) -> None:
    """List projects."""
    rows = [{'id': project.id, 'name': project.name,
             'billing_group': project.billing_group,
             'created_on': project.created_on}
            for project in state.api.projects.query(name=name).all()]
    state.output.table(rows, ['id', 'name', 'created_on'])


def default_billing_group(api: Any) -> str:
    """The user's billing group, when there is exactly one.

    :raises SbgError: when there is none.
    :raises ValueError: when there are several (``--billing-group`` picks).
    """
    groups = list(api.billing_groups.query().all())
    if not groups:
        raise SbgError('you have no billing group to pay for a project')
    if len(groups) > 1:
        named = ', '.join(f'{group.id} ({group.name})' for group in groups)
        raise ValueError(f'you have {len(groups)} billing groups: pass '
                         f'--billing-group, one of {named}')
    return str(groups[0].id)


@projects.command('create')
@click.argument('name')
@click.option('--billing-group', metavar='ID',
              help='The billing group that pays (default: yours, when you '
                   'have exactly one).')
@click.option('--description', help='A description (Markdown).')
@json_option
@pass_state
def projects_create(state: State, name: str, billing_group: str | None,
                    description: str | None) -> None:
    """Create a project; its id (OWNER/SHORT-NAME) is derived from NAME."""
    project = state.api.projects.create(
        name=name, description=description,
        billing_group=billing_group or default_billing_group(state.api))
    state.output.record(_project_record(project))


def _entries(api: Any, location: paths.Location,
             recursive: bool) -> Iterator[tuple[str, File]]:
    """``(path relative to the location, item)`` of what it holds; with
    ``recursive``, of everything below it too."""
    where = paths.target_of(location)
    if recursive:
        return api.folders.walk_files(include_folders=True, **where)
    return ((item.name, item) for item in api.files.query(**where).all())


def plain_key(name: str) -> str:
    """Plain name order: by code point, as ``LC_ALL=C ls`` and ``aws s3
    ls`` sort (``r1, r10, r2``; ``B`` before ``a``)."""
    return name


def natural_key(name: str) -> list[Any]:
    """Natural name order, as ``ls -v``: runs of digits compare as
    numbers (``r1, r2, r10``)."""
    return [int(part) if index % 2 else part
            for index, part in enumerate(DIGITS.split(name))]


def in_name_order(entries: Iterable[tuple[str, File]],
                  key: Callable[[str], Any]) -> list[tuple[str, File]]:
    """``entries`` sorted as ``ls`` shows them: by name, folders among
    files; below a folder (``-R``), what it holds right after it, in the
    same order."""
    return sorted(entries, key=lambda entry: [
        key(name) for name in entry[0].split('/')])


@click.command('ls')
@click.argument('path', metavar='PROJECT[/PATH]')
@click.option('-l', '--long', 'long_format', is_flag=True,
              help='Size, modification time and id too.')
@click.option('-R', '--recursive', is_flag=True,
              help='Everything below, with paths relative to PATH.')
@click.option('-v', '--natural', is_flag=True,
              help='Natural order of numbers in names (r1, r2, r10), as '
                   'ls -v; by default names sort by code point (r1, r10, '
                   'r2), as LC_ALL=C ls.')
@json_option
@pass_state
def ls(state: State, path: str, long_format: bool, recursive: bool,
       natural: bool) -> None:
    """List a project's folder (its root without PATH), in name order:
    folders and files together, and with -R what a folder holds right
    after it."""
    location = paths.locate(state.api, path)
    if location.node is not None and not location.node.is_folder():
        entries: Any = [(location.node.name, location.node)]
    else:
        entries = in_name_order(_entries(state.api, location, recursive),
                                natural_key if natural else plain_key)
    rows = [file_row(item, name) for name, item in entries]
    if state.output.as_json:
        state.output.json(rows)
        return
    if long_format:
        for row in rows:
            row['size'] = human_size(row['size'])
        state.output.table(rows, ['size', 'modified', 'id', 'name'])
    else:
        for row in rows:
            state.output.text(row['name'] + '\n')


def _file_record(file: File) -> dict[str, Any]:
    return {
        'id': file.id, 'name': file.name, 'type': file.type,
        'size': file.size, 'project': file.project, 'parent': file.parent,
        'created_on': file.created_on, 'modified_on': file.modified_on,
        'tags': list(file.tags or []), 'metadata': dict(file.metadata or {}),
        'storage': None if file.storage is None else {
            'type': file.storage.type, 'volume': file.storage.volume,
            'location': file.storage.location},
    }


def _project_record(project: Project) -> dict[str, Any]:
    return {'id': project.id, 'name': project.name,
            'description': project.description,
            'billing_group': project.billing_group,
            'root_folder': project.root_folder, 'tags': project.tags,
            'created_on': project.created_on,
            'modified_on': project.modified_on}


@click.command()
@click.argument('target', metavar='ID_OR_PATH')
@json_option
@pass_state
def info(state: State, target: str) -> None:
    """Details of a file, folder or project, with tags and metadata."""
    found = paths.file_or_location(state.api, target)
    if isinstance(found, File):
        state.output.record(_file_record(found))
    elif found.node is None:
        state.output.record(_project_record(found.project))
    else:
        state.output.record(_file_record(found.node))


COMMANDS = [projects, ls, info]
