"""``sbg apps ls``, ``sbg apps install`` and ``sbg apps pull``."""
from __future__ import annotations

import json
from pathlib import Path

import click

from sevenbridges.cli.state import State, json_option, pass_state
from sevenbridges.models.enums import AppRawFormat


@click.group()
def apps() -> None:
    """Apps: CWL tools and workflows."""


@apps.command('ls')
@click.option('--project', metavar='OWNER/PROJECT',
              help='Only the apps of this project.')
@click.option('--public', is_flag=True, help='Public apps.')
@click.option('-q', '--query', 'terms', multiple=True,
              help='Only apps matching this term (repeatable).')
@json_option
@pass_state
def apps_ls(state: State, project: str | None, public: bool,
            terms: tuple[str, ...]) -> None:
    """List apps."""
    found = state.api.apps.query(
        project=project, visibility='public' if public else None,
        q=list(terms) or None).all()
    rows = [{'id': app.id, 'name': app.name, 'revision': app.revision,
             'project': app.project} for app in found]
    state.output.table(rows, ['id', 'revision', 'name'])


def read_cwl(path: Path) -> tuple[str, str]:
    """The text of a CWL document and its format (JSON when it parses as
    JSON, YAML otherwise)."""
    text = path.read_text(encoding='utf-8')
    try:
        json.loads(text)
    except ValueError:
        return text, AppRawFormat.YAML
    return text, AppRawFormat.JSON


@apps.command('install')
@click.argument('app_id', metavar='OWNER/PROJECT/APP')
@click.argument('source', metavar='FILE.cwl|FILE.json',
                type=click.Path(exists=True, dir_okay=False,
                                path_type=Path))
@json_option
@pass_state
def apps_install(state: State, app_id: str, source: Path) -> None:
    """Install an app from a CWL file (YAML or JSON): a new app, or a new
    revision of an existing one."""
    text, raw_format = read_cwl(source)
    app = state.api.apps.install_app(id=app_id, raw=text,
                                     raw_format=raw_format)
    state.output.record({'id': app.id, 'name': app.name,
                         'revision': app.revision})


@apps.command('pull')
@click.argument('app_id', metavar='OWNER/PROJECT/APP[/REVISION]')
@click.option('-o', '--output', 'target', type=click.Path(
    dir_okay=False, path_type=Path), help='Write to this file (default: '
    'standard output).')
@pass_state
def apps_pull(state: State, app_id: str, target: Path | None) -> None:
    """The CWL of an app, as JSON."""
    app = state.api.apps.get(app_id)
    text = json.dumps(app.raw, indent=2, ensure_ascii=False) + '\n'
    if target is None:
        state.output.text(text)
    else:
        target.write_text(text, encoding='utf-8')
        state.output.note(f'{app.id} written to {target}')


COMMANDS = [apps]
