"""``sbg projects ls``, ``sbg ls`` and ``sbg info``."""
from __future__ import annotations

from typing import Any, Iterator

import click

from sevenbridges.cli import paths
from sevenbridges.cli.output import human_size
from sevenbridges.cli.state import State, json_option, pass_state
from sevenbridges.models.file import File
from sevenbridges.models.project import Project


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


def _entries(api: Any, location: paths.Location,
             recursive: bool) -> Iterator[tuple[str, File]]:
    """``(path relative to the location, item)`` of what it holds; with
    ``recursive``, of everything below it too."""
    where = paths.target_of(location)
    if recursive:
        return api.folders.walk_files(include_folders=True, **where)
    return ((item.name, item) for item in api.files.query(**where).all())


@click.command('ls')
@click.argument('path', metavar='PROJECT[/PATH]')
@click.option('-l', '--long', 'long_format', is_flag=True,
              help='Size, modification time and id too.')
@click.option('-R', '--recursive', is_flag=True,
              help='Everything below, with paths relative to PATH.')
@json_option
@pass_state
def ls(state: State, path: str, long_format: bool, recursive: bool) -> None:
    """List a project's folder (its root without PATH)."""
    location = paths.locate(state.api, path)
    if location.node is not None and not location.node.is_folder():
        entries: Any = [(location.node.name, location.node)]
    else:
        entries = _entries(state.api, location, recursive)
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
