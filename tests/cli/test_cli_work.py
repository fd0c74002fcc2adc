"""``sbg apps ...``, ``sbg tasks ...`` and ``sbg emulator``."""
import json
import subprocess
import sys

from sevenbridges.cli import exits

WC = {'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': 'wc',
      'baseCommand': ['wc', '-l'], 'stdout': 'count.txt',
      'inputs': [{'id': 'text', 'type': 'File',
                  'inputBinding': {'position': 1}}],
      'outputs': [{'id': 'count', 'type': 'stdout'}]}

WC_YAML = """cwlVersion: v1.0
class: CommandLineTool
label: wc yaml
baseCommand: [wc, -l]
stdout: count.txt
inputs:
  text: {type: File, inputBinding: {position: 1}}
outputs:
  count: {type: stdout}
"""


def test_apps_install_from_json_and_yaml_then_ls_and_pull(sbg, project,
                                                          tmp_path):
    as_json = tmp_path / 'wc.json'
    as_json.write_text(json.dumps(WC))
    as_yaml = tmp_path / 'wc.cwl'
    as_yaml.write_text(WC_YAML)
    app_id = f'{project.id}/wc'
    first = sbg.json('apps', 'install', app_id, as_json)
    second = sbg.json('apps', 'install', app_id, as_yaml)
    assert (first['id'], first['revision']) == (app_id, 0)
    assert (second['id'], second['revision'], second['name']) == (
        app_id, 1, 'wc yaml')
    listed = sbg.json('apps', 'ls', '--project', project.id)
    assert [(a['id'], a['revision']) for a in listed] == [(app_id, 1)]
    pulled = json.loads(sbg('apps', 'pull', f'{app_id}/0').stdout)
    assert pulled['baseCommand'] == ['wc', '-l']
    target = tmp_path / 'pulled.json'
    sbg('apps', 'pull', app_id, '-o', target)
    assert json.loads(target.read_text())['label'] == 'wc yaml'
    sbg('apps', 'install', app_id, tmp_path / 'missing.cwl',
        code=exits.USAGE)


def installed_wc(sbg, sbg_api, project, tmp_path):
    source = tmp_path / 'lines.txt'
    source.write_text('one\ntwo\nthree\n')
    uploaded = sbg_api.files.upload(str(source), project=project).result()
    sbg_api.apps.install_app(id=f'{project.id}/wc', raw=WC)
    inputs = tmp_path / 'inputs.json'
    inputs.write_text(json.dumps(
        {'text': {'class': 'File', 'path': uploaded.id}}))
    return inputs


def test_tasks_run_wait_prints_outputs_then_ls(sbg, sbg_api, project,
                                               tmp_path):
    inputs = installed_wc(sbg, sbg_api, project, tmp_path)
    result = sbg('tasks', 'run', '--app', f'{project.id}/wc', '--inputs',
                 inputs, '--wait', '--json')
    ended = json.loads(result.stdout)
    assert ended['status'] == 'COMPLETED'
    assert ended['outputs']['count']['class'] == 'File'
    output = sbg_api.files.get(ended['outputs']['count']['id'])
    assert output.project == project.id
    assert 'COMPLETED' in result.stderr
    listed = sbg.json('tasks', 'ls', '--project', project.id, '--status',
                      'completed')
    assert [t['id'] for t in listed] == [ended['id']]
    assert sbg.json('tasks', 'ls', '--project', project.id, '--status',
                    'failed') == []


def test_tasks_run_without_wait_then_watch_then_abort(sbg, sbg_api, project,
                                                      tmp_path):
    inputs = installed_wc(sbg, sbg_api, project, tmp_path)
    started = sbg.json('tasks', 'run', '--app', f'{project.id}/wc',
                       '--inputs', inputs, '--name', 'counted')
    assert started['name'] == 'counted'
    assert started['status'] in ('QUEUED', 'RUNNING')
    watched = sbg('tasks', 'watch', started['id'], '--period', '0.1')
    assert 'COMPLETED' in watched.stderr
    assert 'outputs:' in watched.stdout
    again = sbg('tasks', 'abort', started['id'], code=exits.ERROR)
    assert again.stderr.startswith('sbg: error: Task is COMPLETED')


def test_tasks_run_refuses_bad_inputs_before_any_request(sbg, tmp_path):
    bad = tmp_path / 'inputs.json'
    bad.write_text('[1, 2]')
    result = sbg('tasks', 'run', '--app', 'u/p/a', '--inputs', bad,
                 code=exits.USAGE)
    assert 'must hold a JSON object' in result.stderr
    result = sbg('tasks', 'run', '--app', 'only-one', code=exits.USAGE)
    assert 'OWNER/PROJECT/APP' in result.stderr


def test_emulator_verb_passes_its_options_through(sbg):
    result = sbg('emulator', '--help')
    assert '--storage-rate' in result.stdout


def test_python_dash_m_and_the_missing_extra(monkeypatch, capsys):
    version = subprocess.run(
        [sys.executable, '-m', 'sevenbridges', '--version'],
        capture_output=True, text=True, check=True)
    assert version.stdout.startswith('sbg, version ')
    import sevenbridges.cli as cli_package
    monkeypatch.setattr('importlib.util.find_spec',
                        lambda name: None if name == 'rich' else object())
    assert cli_package.main(['whoami']) == 1
    assert capsys.readouterr().err == (
        "sbg needs the command line's libraries: pip install "
        "'sevenbridges-python[cli]' (missing: rich)\n")


def test_tasks_logs_prints_and_follows_a_jobs_log(sbg, sbg_api, project,
                                                  tmp_path):
    inputs = installed_wc(sbg, sbg_api, project, tmp_path)
    ended = sbg.json('tasks', 'run', '--app', f'{project.id}/wc',
                     '--inputs', inputs, '--wait')
    task = sbg_api.tasks.get(ended['id'])
    expected = task.read_log('stdout')
    assert expected
    assert sbg('tasks', 'logs', ended['id']).stdout == expected
    followed = sbg('tasks', 'logs', ended['id'], '--follow', '--period',
                   '0.1').stdout
    job = task.get_execution_details().jobs[0].name
    assert followed == expected
    assert sbg('tasks', 'logs', ended['id'], job, '--name',
               'job.err.log').stdout == task.read_log('job.err.log')
    missing = sbg('tasks', 'logs', ended['id'], 'no-such-job',
                  code=exits.ERROR)
    assert missing.stderr.startswith('sbg: error: ')
