"""``sbg whoami``, ``config``, ``projects ls``, ``ls`` and ``info``; exit
statuses of failures."""
import json

from sevenbridges.cli import exits


def test_whoami_names_the_tokens_user(sbg, sbg_emulator):
    assert sbg.json('whoami') == {
        'username': 'rfranklin', 'email': 'rosalind@example.org',
        'first_name': 'Rosalind', 'last_name': 'Franklin',
        'url': sbg_emulator.url}
    table = sbg('whoami').stdout
    assert 'username:   rfranklin' in table


def test_config_tells_each_source_and_never_the_token(sbg, sbg_emulator):
    result = sbg('config', '--json')
    assert sbg_emulator.token not in result.stdout + result.stderr
    assert json.loads(result.stdout) == {
        'url': {'value': sbg_emulator.url,
                'source': 'environment SB_API_ENDPOINT'},
        'token': {'value': 'set', 'source': 'environment SB_AUTH_TOKEN'},
        'proxies': {'value': None,
                    'source': 'environment HTTP_PROXY/HTTPS_PROXY'},
        'advance_access': {'value': False, 'source': 'default'}}
    shown = sbg('--token', 'other-token', 'config').stdout
    assert 'option --token' in shown and 'other-token' not in shown


def test_a_profile_of_the_credentials_file(sbg, sbg_emulator, tmp_path,
                                           monkeypatch):
    from sevenbridges.config import UserProfile
    credentials = tmp_path / 'credentials'
    credentials.write_text(f'[lab]\napi_endpoint = {sbg_emulator.url}\n'
                           f'auth_token = {sbg_emulator.token}\n')
    monkeypatch.setattr(UserProfile, 'CREDENTIALS', str(credentials))
    me = json.loads(sbg('--profile', 'lab', 'whoami', '--json',
                        env={'SB_API_ENDPOINT': None,
                             'SB_AUTH_TOKEN': None}).stdout)
    assert me['username'] == 'rfranklin'
    described = json.loads(sbg('--profile', 'lab', 'config', '--json').stdout)
    assert described['url']['source'] == \
        'profile [lab] of ~/.sevenbridges/credentials'
    missing = sbg('--profile', 'nope', 'whoami', code=exits.ERROR)
    assert missing.stderr == ('sbg: error: profile [nope] not found in '
                              '~/.sevenbridges/credentials\n')


def test_ls_lists_a_folder_plainly_long_and_recursively(sbg, sbg_api,
                                                        project, tmp_path):
    source = tmp_path / 'a.txt'
    source.write_bytes(b'x' * 1536)
    reads = sbg_api.files.create_folder('reads', project=project)
    sbg_api.files.upload(str(source), project=project).result()
    sbg_api.files.upload(str(source), parent=reads,
                         file_name='r1.fq').result()
    assert sorted(sbg('ls', project.id).stdout.splitlines()) == [
        'a.txt', 'reads/']
    rows = sbg.json('ls', '-R', project.id)
    assert sorted((r['name'], r['type'], r['size']) for r in rows) == [
        ('a.txt', 'file', 1536), ('reads/', 'folder', None),
        ('reads/r1.fq', 'file', 1536)]
    long = sbg('ls', '-l', f'{project.id}/reads').stdout
    assert '1.5 KiB' in long and 'r1.fq' in long
    only = sbg.json('ls', f'{project.id}/reads/r1.fq')
    assert [r['name'] for r in only] == ['r1.fq']


def test_info_of_a_project_a_path_and_an_id(sbg, sbg_api, project,
                                            tmp_path):
    source = tmp_path / 'a.txt'
    source.write_bytes(b'abc')
    uploaded = sbg_api.files.upload(str(source), project=project).result()
    uploaded.tags = ['raw']
    uploaded.save()
    by_path = sbg.json('info', f'{project.id}/a.txt')
    by_id = sbg.json('info', uploaded.id)
    assert by_path == by_id
    assert (by_id['id'], by_id['size'], by_id['tags'], by_id['project']) == \
        (uploaded.id, 3, ['raw'], project.id)
    assert sbg.json('info', project.id)['root_folder'] == project.root_folder


def test_failures_are_one_line_with_distinct_statuses(sbg, project):
    missing = sbg('ls', f'{project.id}/nope', code=exits.NOT_FOUND)
    assert missing.stderr == f'sbg: error: {project.id}/nope does not ' \
                             f'exist\n'
    assert missing.stdout == ''
    denied = sbg('--token', 'wrong', 'whoami', code=exits.PERMISSION)
    assert len(denied.stderr.splitlines()) == 1
    assert denied.stderr.startswith('sbg: error: ')
    usage = sbg('ls', code=exits.USAGE)
    assert "Missing argument 'PROJECT[/PATH]'" in usage.stderr
    bad_path = sbg('ls', 'just-one-part', code=exits.USAGE)
    assert bad_path.stderr == "sbg: error: 'just-one-part' is not " \
                              "OWNER/PROJECT[/PATH]\n"


def test_projects_ls(sbg, project):
    rows = sbg.json('projects', 'ls')
    assert project.id in [row['id'] for row in rows]
    assert sbg.json('projects', 'ls', '--name', 'cli')[0]['id'] == project.id


def test_ls_prints_in_name_order_plain_or_natural(sbg, sbg_api, project,
                                                  tmp_path):
    source = tmp_path / 'x'
    source.write_bytes(b'x')
    names = ['r1', 'r10', 'r11', 'r17', 'r16', 'r13', 'r2', 'B.txt']
    for name in names:
        sbg_api.files.upload(str(source), project=project,
                             file_name=name).result()
    folder = sbg_api.files.create_folder('r12', project=project)
    for name in ('z', 'a10', 'a9'):
        sbg_api.files.upload(str(source), parent=folder,
                             file_name=name).result()
    assert sbg('ls', project.id).stdout.splitlines() == [
        'B.txt', 'r1', 'r10', 'r11', 'r12/', 'r13', 'r16', 'r17', 'r2']
    assert sbg('ls', '-v', project.id).stdout.splitlines() == [
        'B.txt', 'r1', 'r2', 'r10', 'r11', 'r12/', 'r13', 'r16', 'r17']
    assert [row['name'] for row in sbg.json('ls', '-R', project.id)] == [
        'B.txt', 'r1', 'r10', 'r11', 'r12/', 'r12/a10', 'r12/a9', 'r12/z',
        'r13', 'r16', 'r17', 'r2']
    assert sbg('ls', '-R', '-v', project.id).stdout.splitlines() == [
        'B.txt', 'r1', 'r2', 'r10', 'r11', 'r12/', 'r12/a9', 'r12/a10',
        'r12/z', 'r13', 'r16', 'r17']
    long = sbg('ls', '-l', project.id).stdout.splitlines()
    assert [line.split()[-1] for line in long[1:]] == [
        'B.txt', 'r1', 'r10', 'r11', 'r12/', 'r13', 'r16', 'r17', 'r2']
