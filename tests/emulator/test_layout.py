"""The emulator's layout, read from its source: the API by URL family
(api/), the state by family (state/), transport (http/), engines; every
collection owned by one service; no import cycle; small modules; and the
route table, kept in ``route_table.txt`` so that every URL, those built
by factories too, can be found with grep."""
import ast
import os
import re
from pathlib import Path

import pytest

import sevenbridges.emulator
from sevenbridges.emulator import wiring
from sevenbridges.emulator.api.app import ApiApp

ROOT = Path(sevenbridges.emulator.__file__).parent
PACKAGE = 'sevenbridges.emulator'
TABLE = Path(__file__).with_name('route_table.txt')
TOP_LEVEL = {'__init__.py', '__main__.py', 'pytest_plugin.py', 'wiring.py'}
FOLDERS = {'api', 'state', 'http', 'engines'}
MAX_LINES = 400
#: The api modules every family may use; the rest are families.
API_SHARED = {'routing', 'render', 'members', 'app', 'storage'}
STORE_CALL = re.compile(
    r"store\.(?:put|get|find|find_named|delete|count|summaries)\(\s*'(\w+)'")


def modules():
    """``{dotted name: path}`` of every module of the emulator."""
    found = {}
    for path in sorted(ROOT.rglob('*.py')):
        parts = path.relative_to(ROOT).with_suffix('').parts
        if parts[-1] == '__init__':
            parts = parts[:-1]
        found['.'.join((PACKAGE,) + parts)] = path
    return found


def imports(path):
    """The emulator modules ``path`` imports, at any level of its code."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f'{node.module}.{alias.name}'
                         for alias in node.names)
    known = modules()
    return {name for name in names if name in known}


def route_lines():
    app = ApiApp(None, {}, wiring.ROUTERS, storage_url='')
    return [f'{"|".join(methods):<12} {path}  ->  {module}:{handler}'
            for path, methods, module, handler in app.route_table()]


def test_the_route_table_is_the_one_kept_beside_this_test():
    lines = route_lines()
    if os.environ.get('SBG_UPDATE_ROUTE_TABLE'):
        TABLE.write_text('\n'.join(lines) + '\n')
    assert TABLE.read_text().splitlines() == lines, (
        'The emulator\'s routes changed: run this test with '
        'SBG_UPDATE_ROUTE_TABLE=1 and commit route_table.txt.')


def test_every_route_is_answered_by_its_family_module():
    for line in route_lines():
        module = line.split()[-1].split(':')[0]
        assert module.startswith(f'{PACKAGE}.api.'), line
        assert module.rsplit('.', 1)[1] not in API_SHARED, line


def test_the_emulator_is_in_api_state_http_and_engines():
    for path in ROOT.rglob('*.py'):
        parts = path.relative_to(ROOT).parts
        assert (parts[0] in TOP_LEVEL if len(parts) == 1
                else parts[0] in FOLDERS), path


def test_no_emulator_module_is_over_400_lines():
    long = {str(path.relative_to(ROOT)): lines for path in ROOT.rglob('*.py')
            if (lines := len(path.read_text().splitlines())) > MAX_LINES}
    assert long == {}


def test_the_emulator_has_no_import_cycle():
    graph = {name: imports(path) - {name}
             for name, path in modules().items()}
    done, path = set(), []

    def visit(name):
        if name in path:
            cycle = path[path.index(name):] + [name]
            pytest.fail('import cycle: ' + ' -> '.join(cycle))
        if name in done:
            return
        path.append(name)
        for imported in sorted(graph[name]):
            visit(imported)
        path.pop()
        done.add(name)

    for name in sorted(graph):
        visit(name)


def test_only_wiring_knows_every_family():
    families = {name for name in modules()
                if name.startswith(f'{PACKAGE}.api.')
                and name.rsplit('.', 1)[1] not in API_SHARED}
    for name, path in modules().items():
        known = imports(path) & families
        if name != f'{PACKAGE}.wiring':
            assert not known, f'{name} imports the families {known}'


def test_each_collection_has_one_owner():
    owners = {}
    for name, path in modules().items():
        for collection in STORE_CALL.findall(path.read_text()):
            owners.setdefault(collection, set()).add(name)
    shared = {collection: found for collection, found in owners.items()
              if len(found) > 1}
    assert shared == {}
    assert {'files', 'projects', 'tasks', 'billing_groups'} <= set(owners)
    assert all(owner.startswith(f'{PACKAGE}.state.')
               for found in owners.values() for owner in found)
