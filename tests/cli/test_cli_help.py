"""``sbg --help`` loads the command table only: rich (tables, progress
bars) and the SDK's folder transfers load in the commands that use them."""
import ast
import os
import subprocess
import sys

#: Loaded by the commands that print tables or move folders, never by the
#: help.
HEAVY = ('rich', 'rich.table', 'rich.progress', 'sevenbridges.transfer.tree',
         'sevenbridges.transfer.plan', 'sevenbridges.transfer.report',
         'sevenbridges.transfer.batch', 'sevenbridges.transfer.folders',
         'sevenbridges.emulator')


def run_sbg(args, home):
    """(standard output, the modules of :data:`HEAVY` loaded) of ``sbg
    args`` in a fresh interpreter, without settings."""
    code = ('import sys\n'
            'from sevenbridges.cli import main\n'
            f'status = main({list(args)!r})\n'
            f'loaded = sorted(set({HEAVY!r}) & set(sys.modules))\n'
            'print(loaded, file=sys.stderr)\n'
            'sys.exit(status)')
    env = {key: value for key, value in os.environ.items()
           if not key.startswith('SB_')}
    env['HOME'] = str(home)
    done = subprocess.run([sys.executable, '-c', code], capture_output=True,
                          text=True, env=env, check=True)
    return done.stdout, ast.literal_eval(done.stderr.strip().splitlines()[-1])


def test_help_lists_the_commands_without_loading_tables_or_trees(tmp_path):
    out, loaded = run_sbg(['--help'], tmp_path)
    for command in ('whoami', 'config', 'upload', 'download', 'sync',
                    'mkdir', 'rm', 'cp', 'mv', 'cat', 'tasks', 'emulator'):
        assert f'  {command} ' in out
    assert loaded == []


def test_a_command_that_prints_a_table_loads_rich(tmp_path):
    out, loaded = run_sbg(['config'], tmp_path)
    assert out.split()[:3] == ['SETTING', 'VALUE', 'SOURCE']
    assert loaded == ['rich', 'rich.table']
