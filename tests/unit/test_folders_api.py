"""``api.folders``: walks (exact requests, lazily paged), argument checks
before any request, reports and their error (HTTP mocked)."""
import pytest
import responses

from sevenbridges import errors
from sevenbridges.models.file import File
from sevenbridges.models.project import Project
from sevenbridges.transfer.folders import Folders
from sevenbridges.transfer.report import (
    FileOutcome,
    FolderTransferError,
    TransferReport,
    TreeProgress,
)
from sevenbridges.transfer.utils import simple_progress_bar
from tests.conftest import BASE, path_of, query_of


def item(id, name, kind='file', size=1):
    return {'href': f'{BASE}/files/{id}', 'id': id, 'name': name,
            'type': kind, 'size': size}


def scroll(items, next_token=None, **params):
    """A mocked continuation-token page of ``/files/scroll`` (a first page
    has ``fields=_all``; a next page's link is followed as it is)."""
    links = [{'rel': 'next', 'method': 'GET',
              'href': f'{BASE}/files/scroll?token={next_token}'}] \
        if next_token else []
    return {'json': {'href': 'x', 'items': items, 'links': links},
            'match': [responses.matchers.query_param_matcher(
                params if 'limit' not in params
                else dict(params, fields='_all'))]}


@pytest.fixture
def tree_pages(mocked):
    """The root of u/p (two pages: ``a/`` and ``top.txt``, then ``b/``),
    ``a/`` (``x.txt``), ``b/`` (empty)."""
    mocked.get(BASE + '/files/scroll', **scroll(
        [item('d1', 'a', 'folder'), item('f1', 'top.txt')], 'p2',
        token='init', limit='1000', project='u/p'))
    mocked.get(BASE + '/files/scroll', **scroll(
        [item('d2', 'b', 'folder')], token='p2'))
    mocked.get(BASE + '/files/scroll', **scroll(
        [item('f2', 'x.txt', size=3)], token='init', limit='1000',
        parent='d1'))
    mocked.get(BASE + '/files/scroll', **scroll(
        [], token='init', limit='1000', parent='d2'))
    return mocked


def test_api_folders_is_one_object_per_client(api):
    assert isinstance(api.folders, Folders)
    assert api.folders is api.folders
    assert repr(api.folders) == f'<Folders of {BASE}>'


def test_walk_lists_each_folder_like_os_walk(api, tree_pages):
    steps = api.folders.walk(project=Project(id='u/p'))
    path, folders, files = next(steps)
    assert len(tree_pages.calls) == 2      # the root's two pages only
    assert (path, [f.id for f in folders], [f.id for f in files]) == \
        ('', ['d1', 'd2'], ['f1'])
    assert isinstance(files[0], File) and files[0].name == 'top.txt'
    rest = [(path, [f.id for f in folders], [f.id for f in files])
            for path, folders, files in steps]
    assert rest == [('a', [], ['f2']), ('b', [], [])]
    assert [query_of(call.request).get('parent') for call in
            tree_pages.calls[2:]] == [['d1'], ['d2']]


def test_walk_skips_the_folders_removed_from_the_list(api, tree_pages):
    steps = api.folders.walk(project='u/p')
    _, folders, _ = next(steps)
    folders.remove(folders[0])
    assert [path for path, _, _ in steps] == ['b']
    assert all(query_of(call.request).get('parent') != ['d1']
               for call in tree_pages.calls)


def test_walk_files_gives_paths_depth_first(api, tree_pages):
    assert [(path, f.id) for path, f in api.folders.walk_files(
        project='u/p')] == [('a/x.txt', 'f2'), ('top.txt', 'f1')]
    assert [(path, f.id) for path, f in api.folders.walk_files(
        project='u/p', include_folders=True)] == [
        ('a', 'd1'), ('a/x.txt', 'f2'), ('top.txt', 'f1'), ('b', 'd2')]


def test_walk_files_of_a_folder(api, tree_pages):
    folder = File(api=api, **item('d1', 'a', 'folder'))
    assert [(path, f.size) for path, f in api.folders.walk_files(
        parent=folder)] == [('x.txt', 3)]
    assert path_of(tree_pages.calls[0].request) == '/v2/files/scroll'


def test_project_walk_yields_its_files(api, tree_pages):
    project = Project(api=api, id='u/p')
    assert [f.id for f in project.walk()] == ['f2', 'f1']
    assert [f.id for f in project.walk(include_folders=True)] == \
        ['d1', 'f2', 'f1', 'd2']


@pytest.mark.parametrize('call, message', [
    (lambda folders: folders.walk(), 'project or a parent'),
    (lambda folders: folders.walk_files(project='u/p', parent='d1'),
     'project or a parent'),
    (lambda folders: folders.plan_upload('missing-folder', project='u/p'),
     'path must be a local folder: .*missing-folder is not one'),
    (lambda folders: folders.upload(None, project='u/p'),
     'path must be a local folder, not None'),
    (lambda folders: folders.upload('.', project='u/p', if_exists='keep'),
     'if_exists must be one of skip, overwrite, rename'),
    (lambda folders: folders.download('.', project='u/p', if_exists=None),
     'if_exists is required'),
    (lambda folders: folders.sync('.', project='u/p', direction='both'),
     'direction must be one of upload, download'),
    (lambda folders: folders.sync('.', project='u/p', compare='md5'),
     'compare must be one of exists, size, mtime'),
    (lambda folders: folders.sync('.', project='u/p', delete='yes'),
     'delete must be True or False'),
    (lambda folders: folders.upload('.', project='u/p', exclude='*.tmp'),
     'exclude must be a list'),
    (lambda folders: folders.upload('.', project='u/p', workers=0),
     'workers must be a positive number'),
    (lambda folders: folders.download('.', project='u/p', part_size=-1),
     'part_size must be a positive number'),
    (lambda folders: folders.sync('.', project='u/p', retry=-1),
     'retry must be a number of attempts'),
    (lambda folders: folders.upload('.', project='u/p', progress='bar'),
     'progress must be a function'),
])
def test_bad_arguments_are_refused_before_any_request(api, mocked, call,
                                                      message):
    with pytest.raises(errors.ValidationError, match=message):
        call(api.folders)
    assert len(mocked.calls) == 0


def test_a_download_into_a_file_is_refused(api, mocked, tmp_path):
    target = tmp_path / 'file.txt'
    target.write_text('x')
    with pytest.raises(errors.ValidationError, match='is a file'):
        api.folders.plan_download(target, project='u/p')
    assert len(mocked.calls) == 0


def test_tree_progress_reads_as_a_progress(capsys):
    progress = TreeProgress(files_total=4, files_done=1, bytes_done=50,
                            bytes_total=200, duration=2.0, files_failed=1)
    assert (progress.files_total, progress.files_done, progress.files_failed,
            progress.bytes_done, progress.bytes_total) == (4, 1, 1, 50, 200)
    assert (progress.num_of_parts, progress.parts_done, progress.progress) \
        == (4, 1, 25.0)
    assert repr(progress) == '<TreeProgress: 25.00% of 200 B, files 1/4>'
    simple_progress_bar(progress)
    assert 'Progress[25.00%]' in capsys.readouterr().out


def make_report(failures):
    report = TransferReport('upload')
    report.add(FileOutcome('a.txt', 'moved', 2048))
    report.add(FileOutcome('b.txt', 'skipped', detail='exists'))
    report.add(FileOutcome('d/', 'created'))
    report.add(FileOutcome('old.txt', 'deleted'))
    for number in range(failures):
        report.add(FileOutcome(f'bad{number}.txt', 'failed',
                               detail='Injected fault.'))
    report.notes.append(('link', 'skipped: symbolic link'))
    report.elapsed = 2.0
    return report


def test_a_report_counts_and_lists_what_happened():
    report = make_report(1)
    assert ([o.path for o in report.moved], [o.path for o in report.skipped],
            [o.path for o in report.failed], [o.path for o in report.deleted],
            [o.path for o in report.folders_created]) == (
        ['a.txt'], ['b.txt'], ['bad0.txt'], ['old.txt'], ['d/'])
    assert report.bytes_moved == 2048 and not report.ok
    assert repr(report) == (
        '<TransferReport: upload: 1 files moved (2.0 KiB), 1 skipped, 1 '
        'failed, 1 deleted, 1 folders created in 2.0 s (1.0 KiB/s)>')
    assert str(report).splitlines()[1:] == [
        '  failed: bad0.txt: Injected fault.',
        '  note: link: skipped: symbolic link']
    html = report._repr_html_()
    assert html.index('bad0.txt') < html.index('a.txt') < html.index('b.txt')
    assert '5 of 5 paths shown' in html


def test_the_error_of_a_report_lists_the_failures():
    make_report(0).raise_for_failures()
    report = make_report(22)
    with pytest.raises(FolderTransferError) as raised:
        report.raise_for_failures()
    error = raised.value
    assert isinstance(error, errors.SbgError) and error.report is report
    lines = str(error).splitlines()
    assert lines[0] == '22 of 23 files failed to upload:'
    assert lines[1] == '  bad0.txt: Injected fault.'
    assert lines[-1] == '  ... and 2 more'
    assert len(lines) == 22
