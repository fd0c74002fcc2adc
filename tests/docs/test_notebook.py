"""The example notebook runs, cell by cell, as Jupyter would run it.

A small executor stands in for a kernel: the code cells share one
namespace, and a cell ending in an expression is "displayed" the way
IPython does it, with the object's ``_repr_html_`` when it has one.
"""
import ast
import json
from pathlib import Path

NOTEBOOK = Path(__file__).resolve().parents[2] / 'examples' / \
    'quickstart.ipynb'


def display(value):
    """What Jupyter shows for ``value``: HTML if the object offers it."""
    if value is None:
        return None
    html = getattr(value, '_repr_html_', None)
    if callable(html):
        return ('html', html())
    return ('text', repr(value))


def run_cell(code, namespace):
    tree = ast.parse(code)
    last = tree.body[-1] if tree.body else None
    if isinstance(last, ast.Expr):
        body = ast.Module(body=tree.body[:-1], type_ignores=[])
        exec(compile(body, 'cell', 'exec'), namespace)
        value = eval(compile(ast.Expression(last.value), 'cell', 'eval'),
                     namespace)
        return display(value)
    exec(compile(tree, 'cell', 'exec'), namespace)
    return None


def test_the_notebook_runs_and_shows_tables(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv('XDG_CACHE_HOME', str(tmp_path / 'cache'))
    notebook = json.loads(NOTEBOOK.read_text(encoding='utf-8'))
    assert notebook['nbformat'] == 4
    namespace = {'__name__': '__main__'}
    shown = []
    for cell in notebook['cells']:
        if cell['cell_type'] == 'code':
            shown.append(run_cell(''.join(cell['source']), namespace))
    me, project, files, names, status, printed, first_line, listing, \
        imported, cleanup = shown
    assert me[0] == 'html' and 'rfranklin' in me[1]
    assert project[0] == 'html'
    assert '&lt;Project: id=rfranklin/notebook&gt;' in project[1]
    assert 'Made in a notebook' in project[1]
    assert files[0] == 'html' and files[1].count('<tr>') == 4
    assert names == ('text', repr([('S1.fastq', 1600, 'S1'),
                                   ('S2.fastq', 1600, 'S2'),
                                   ('S3.fastq', 1600, 'S3')]))
    assert status == ('text', "'COMPLETED'")
    assert first_line == ('text', repr(
        '# admin/sbg-public-data/file-report/0: Report'))
    assert listing[0] == 'html' and 'reports/report.txt' in listing[1]
    assert imported[0] == 'html' and 'report.from-volume.txt' in imported[1]
    assert cleanup is None
    assert 'S3.fastq' in capsys.readouterr().out
    assert not namespace['emulator']._servers    # stopped at the end
