"""The ``sbg://`` filesystem against the targets of issue 27: requests per
listing page, per glob, per pandas read and per read in a loop; a large
``cat_file``/``get_file`` against ``file.download``, and a large write
through ``open('wb')`` against ``api.files.upload``, with its peak memory.

    python benchmarks/filesystem.py [--mib 512] [--latency MS] [--runs 2]

The emulator runs in a child process (its CPU is not the client's), with
a preloaded project: a folder of 10,000 files, 100 folders of one CSV and
one text file each, 100 small files and a 1,000-row CSV. A write spills
to the system's temporary folder (as users run it), the upload it is
compared with reads a file already in memory. ``--latency``
delays every API and storage request by MS milliseconds. API requests are
counted by a response hook on the filesystem's client, storage requests on
its storage session. Each line says whether its target is met.
"""
import argparse
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import (  # noqa: E402
    MIB,
    ChildEmulator,
    Measured,
    digest,
    random_file,
    scratch_with_preload,
    warm_memory,
)

PROJECT = 'rfranklin/fsbench'
BIG_FOLDER = 10_000
GLOB_FOLDERS = 100
LOOP_FILES = 100
PAGE = 1000


def preload_document():
    sheet = 'sample,reads,ratio\n' + ''.join(
        f's{n},{n * 3},{n / 7:.5f}\n' for n in range(1000))
    files = [{'name': f'f{n:05d}.txt', 'folder': 'big', 'content': ''}
             for n in range(BIG_FOLDER)]
    for n in range(GLOB_FOLDERS):
        files += [{'name': 'counts.csv', 'folder': f'globbed/d{n:03d}',
                   'content': 'gene,count\nTP53,1\n'},
                  {'name': 'notes.txt', 'folder': f'globbed/d{n:03d}',
                   'content': 'notes'}]
    files += [{'name': f'r{n:03d}.txt', 'folder': 'loop',
               'content': f'file {n}\n' * 10} for n in range(LOOP_FILES)]
    files.append({'name': 'sheet.csv', 'folder': 'runs', 'content': sheet})
    return {'projects': [{'id': PROJECT, 'name': 'fsbench',
                          'files': files}]}


class Counter:
    """API and storage requests of a filesystem, counted by response
    hooks."""

    def __init__(self, fs):
        self.api = self.storage = 0
        fs.api.session.hooks['response'].append(self._count('api'))
        fs.storage_session.hooks['response'].append(self._count('storage'))

    def _count(self, kind):
        def hook(response, *args, **kwargs):
            setattr(self, kind, getattr(self, kind) + 1)
        return hook

    def reset(self):
        self.api = self.storage = 0


def new_fs(emulator):
    from sevenbridges.fs import SevenBridgesFileSystem
    fs = SevenBridgesFileSystem(endpoint=emulator.url, token=emulator.token,
                                skip_instance_cache=True)
    return fs, Counter(fs)


def verdict(met):
    return 'met' if met else 'MISSED'


def requests_figures(emulator):
    import pandas as pd
    rows = []
    fs, count = new_fs(emulator)
    fs.info(f'{PROJECT}/big')
    count.reset()
    with Measured() as timed:
        listed = fs.ls(f'{PROJECT}/big')
    pages = -(-BIG_FOLDER // PAGE)
    assert len(listed) == BIG_FOLDER
    rows.append((f'ls of {BIG_FOLDER:,} files', f'{count.api} requests, '
                 f'{pages} pages, {timed.seconds:.2f} s',
                 count.api == pages))
    fs, count = new_fs(emulator)
    fs.info(f'{PROJECT}/globbed')
    count.reset()
    with Measured() as timed:
        found = fs.glob(f'{PROJECT}/globbed/**/*.csv')
    assert len(found) == GLOB_FOLDERS
    folders = GLOB_FOLDERS + 1
    rows.append((f"glob('**/*.csv') over {GLOB_FOLDERS} folders",
                 f'{count.api} requests, {folders} folder pages, '
                 f'{timed.seconds:.2f} s', count.api == folders))
    # pandas asks fsspec for the filesystem of its storage options: fsspec's
    # cache of instances hands it this one, counted
    from sevenbridges.fs import SevenBridgesFileSystem
    options = {'endpoint': emulator.url, 'token': emulator.token}
    count = Counter(SevenBridgesFileSystem(**options))
    with Measured() as timed:
        frame = pd.read_csv(f'sbg://{PROJECT}/runs/sheet.csv',
                            storage_options=options)
    assert len(frame) == 1000
    rows.append(('pandas read_csv of 1,000 rows', f'{count.api} requests, '
                 f'{count.storage} storage, {timed.seconds:.2f} s',
                 count.api <= 3))
    fs, count = new_fs(emulator)
    names = fs.ls(f'{PROJECT}/loop', detail=False)
    count.reset()
    with Measured() as timed:
        for name in names:
            assert fs.cat_file(name).startswith(b'file ')
    rows.append((f'{LOOP_FILES} reads in a loop after a listing',
                 f'{count.api} API requests ({count.api / LOOP_FILES:g} per '
                 f'file), {count.storage} storage, {timed.seconds:.2f} s',
                 count.api <= 2 * LOOP_FILES))
    return rows


def throughput(seconds, size):
    return size / MIB / seconds


def transfer_figures(emulator, scratch, size, runs):
    """Each pair measured A, B, A, B... (``runs`` each, the fastest
    kept), memory warmed before each measure."""
    rows = []
    api = emulator.api()
    project = api.projects.get(PROJECT)
    source = os.path.join(scratch, 'source.bin')
    random_file(source, size)
    expected = digest(source)
    mib = size // MIB
    fs, count = new_fs(emulator)
    folders = [scratch, tempfile.gettempdir()]
    uploads, writes = [], []
    for _ in range(runs):
        warm_memory(size, folders)
        with Measured() as uploaded:
            file = api.files.upload(source, project=project, overwrite=True,
                                    file_name='uploaded.bin').result()
        uploads.append(uploaded)
        warm_memory(size, folders)
        with Measured() as written, open(source, 'rb') as local:
            with fs.open(f'{PROJECT}/written.bin', 'wb') as target:
                for block in iter(lambda: local.read(MIB), b''):
                    target.write(block)
        writes.append(written)
    uploaded, written = (min(measures, key=lambda m: m.seconds)
                         for measures in (uploads, writes))
    ratio = uploaded.seconds / written.seconds
    rows.append((f"open('wb') of {mib} MiB vs api.files.upload",
                 f'{throughput(written.seconds, size):.0f} vs '
                 f'{throughput(uploaded.seconds, size):.0f} MiB/s '
                 f'({ratio:.0%})', ratio >= 0.8))
    peak = max(measure.peak for measure in writes)
    rows.append((f"open('wb') of {mib} MiB, peak RSS",
                 f'{peak:.0f} MiB (upload: '
                 f'{max(m.peak for m in uploads):.0f})', peak <= 150))
    assert fs.info(f'{PROJECT}/written.bin')['size'] == size
    os.remove(source)
    target = os.path.join(scratch, 'target.bin')
    downloads, gets, cats = [], [], []
    for _ in range(runs):
        for measures, transfer in (
                (downloads, lambda: file.download(target, overwrite=True)),
                (gets, lambda: fs.get_file(f'{PROJECT}/uploaded.bin',
                                           target))):
            warm_memory(size, folders)
            with Measured() as measured:
                transfer()
            measures.append(measured)
            assert digest(target) == expected
            os.remove(target)
        warm_memory(size, folders)
        with Measured() as read:
            content = fs.cat_file(f'{PROJECT}/uploaded.bin')
        assert len(content) == size
        del content
        cats.append(read)
    downloaded, got, read = (min(measures, key=lambda m: m.seconds)
                             for measures in (downloads, gets, cats))
    for label, measured, note in (
            ('get_file', got, ''),
            ('cat_file', read, f'; peak RSS {read.peak:.0f} MiB: the '
                               f'bytes are returned')):
        ratio = downloaded.seconds / measured.seconds
        rows.append((f'{label} of {mib} MiB vs file.download',
                     f'{throughput(measured.seconds, size):.0f} vs '
                     f'{throughput(downloaded.seconds, size):.0f} MiB/s '
                     f'({ratio:.0%}{note})', ratio >= 0.8))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--mib', type=int, default=512,
                        help='size of the large transfers, MiB')
    parser.add_argument('--latency', type=float, default=0,
                        help='milliseconds added to every request')
    parser.add_argument('--runs', type=int, default=2,
                        help='runs of each transfer (the fastest counts)')
    args = parser.parse_args()
    scratch, preload = scratch_with_preload(preload_document())
    print(f'emulator in a child process, latency {args.latency:g} ms per '
          f'request; client figures are this process\'s')
    try:
        with ChildEmulator(latency=args.latency or None, preload=preload,
                           data_dir=os.path.join(scratch, 'emulator'),
                           rate_limit='10000000/300',
                           api_latency=args.latency) as emulator:
            # transfers first: the peak memory of a write is measured
            # before the listings of 10,000 files and pandas fill this
            # process
            rows = transfer_figures(emulator, scratch, args.mib * MIB,
                                    args.runs)
            rows += requests_figures(emulator)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    width = max(len(label) for label, _, _ in rows)
    for label, figure, met in rows:
        print(f'  {label:{width}}  {figure}  [{verdict(met)}]')


if __name__ == '__main__':
    main()
