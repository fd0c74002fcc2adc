"""Every Python example of the documentation runs, as shown and in order,
against the emulator: the docs can not drift from the SDK.

Each page is one run: its ``.. code-block:: python`` blocks share one
namespace. The setting is what a reader has after following the
quickstart: ``SB_API_ENDPOINT``/``SB_AUTH_TOKEN`` and a credentials file
(profiles ``default`` and ``cgc``) lead to the emulator, the platform's
URLs with the token ``<TOKEN>`` are served by it too, and the working folder
holds the local files the pages name.
"""
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[2] / 'docs'
BLOCK = re.compile(r'^( *)\.\. code-block:: python\s*$')


def python_blocks(path):
    """``(line, code)`` of each Python code block of a reST file."""
    lines = path.read_text(encoding='utf-8').splitlines()
    blocks = []
    index = 0
    while index < len(lines):
        match = BLOCK.match(lines[index])
        index += 1
        if not match:
            continue
        indent = len(match.group(1))
        while index < len(lines) and lines[index].strip().startswith(':'):
            index += 1                          # directive options
        start, body = index, []
        while index < len(lines) and (
                not lines[index].strip() or
                len(lines[index]) - len(lines[index].lstrip()) > indent):
            body.append(lines[index])
            index += 1
        code = '\n'.join(body)
        width = min(len(line) - len(line.lstrip())
                    for line in body if line.strip())
        blocks.append((start + 1, '\n'.join(line[width:] for line in
                                            code.splitlines())))
    return blocks


PAGES = sorted(path for path in DOCS.glob('*.rst') if python_blocks(path))


def test_the_pages_have_examples():
    names = {path.name for path in PAGES}
    assert {'quickstart.rst', 'projects_files.rst', 'apps_tasks.rst',
            'volumes.rst', 'automations.rst', 'accounts.rst',
            'transfers.rst', 'emulator.rst', 'folders.rst',
            'filesystem.rst'} <= names


@pytest.mark.parametrize('page', PAGES, ids=lambda path: path.name)
def test_examples_run(page, reader_setting, capsys):
    namespace = {'__name__': f'docs.{page.stem}'}
    for line, code in python_blocks(page):
        compiled = compile(code, f'{page.name}:{line}', 'exec')
        try:
            exec(compiled, namespace)
        except Exception as error:
            raise AssertionError(
                f'the example at {page.name}, line {line} fails: '
                f'{type(error).__name__}: {error}\n{code}') from error
    output = capsys.readouterr().out
    assert 'Traceback' not in output
