"""The ``sbg://`` filesystem against the targets of issue 27: requests per
listing page, per glob, per pandas read and per read in a loop; a large
``cat_file``/``get_file`` against ``file.download``, and a large write
through ``open('wb')`` (of an unknown size: spilled; and with ``size=``:
streamed) and ``pipe_file`` against ``api.files.upload``, with their peak
memory.

    python benchmarks/filesystem.py [--mib 512] [--latency MS] [--runs 3]
        [--scratch DIR] [--memory as-is|warm] [--idle SECONDS]
        [--process fresh|same]

The emulator runs in a child process (its CPU is not the client's), with
a preloaded project: a folder of 10,000 files, 100 folders of one CSV and
one text file each, 100 small files and a 1,000-row CSV. ``--latency``
delays every API and storage request by MS milliseconds.

The large transfers are measured as ``benchmarks/transfer.py`` measures
them (what users meet, issue 26): the source, the downloads and the
emulator's data on the disk file system (a folder under the system's
temporary directory, or ``--scratch DIR``), memory as the host gives it
back (``--memory as-is``: ``os.sync`` then ``--idle`` seconds idle before each measured
transfer; ``--memory warm`` frees as much memory just before), each
transfer in a fresh Python process (``--process fresh``: the figures are
of the transfer call, the peak resident memory the process's, imports
included; ``--process same``: in this one). The transfers compared run in
turn (``api.files.upload``, then the writes; ``file.download``, then the
reads), ``--runs`` times; the figure is the median of the runs, every
run's MiB/s printed beside it. A write of an unknown size spills to the system's
temporary folder (as users run it); ``pipe_file`` is given the bytes
read before it is measured (its peak memory holds them). Bytes are
checked identical after every download.

API requests are counted by a response hook on the filesystem's client,
storage requests on its storage session. Each line says whether its
target is met.
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import (  # noqa: E402
    GIB,
    MIB,
    Measured,
    add_regime_arguments,
    answer_parent,
    client,
    digest,
    in_fresh_process,
    median,
    memory_regime,
    random_file,
    read_through,
    scratch_with_preload,
    settle,
    unpaced_emulator,
    warm_memory,
)

from sevenbridges.models.file import File  # noqa: E402

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


def transfer_in_this_process(api, fs, order):
    """One large transfer as ``order`` says (a dict: ``kind``, ``source``,
    ``target``, ``file``); its :class:`Measured`."""
    kind = order['kind']
    remote = f'{PROJECT}/{order.get("name", "uploaded.bin")}'
    if kind == 'pipe_file':
        with open(order['source'], 'rb') as local:
            value = local.read()
    with Measured() as measured:
        if kind == 'upload':
            api.files.upload(order['source'], project=PROJECT,
                             overwrite=True, file_name='uploaded.bin')\
                .result()
        elif kind in WRITES:
            sized = {'size': order['size']} if kind == 'write_sized' else {}
            with open(order['source'], 'rb') as local, \
                    fs.open(f'{PROJECT}/{kind}.bin', 'wb', **sized) as target:
                for block in iter(lambda: local.read(MIB), b''):
                    target.write(block)
        elif kind == 'pipe_file':
            fs.pipe_file(f'{PROJECT}/{kind}.bin', value)
        elif kind == 'download':
            File(api=api, id=order['file']).download(order['target'],
                                                     overwrite=True)
        elif kind == 'get_file':
            fs.get_file(remote, order['target'])
        else:
            content = fs.cat_file(remote)
    if kind == 'cat_file':
        assert len(content) == order['size']
    return measured


def child_main(order):
    """The fresh process of ``--process fresh``: one transfer, its figures
    on standard output as JSON."""
    from sevenbridges.fs import SevenBridgesFileSystem
    api = client(order['url'], order['token'])
    fs = SevenBridgesFileSystem(endpoint=order['url'], token=order['token'],
                                skip_instance_cache=True)
    answer_parent(transfer_in_this_process(api, fs, order))


class Transfers:
    """The large transfers, each measured in a fresh process (or in this
    one), after warming the memory or idling."""

    def __init__(self, emulator, scratch, size, args):
        self.api = emulator.api()
        self.fs, _ = new_fs(emulator)
        self.scratch, self.size = scratch, size
        self.warm = args.memory == 'warm'
        self.idle = args.idle
        self.fresh = None if args.process == 'same' else {
            'url': emulator.url, 'token': emulator.token}
        self.source = os.path.join(scratch, 'source.bin')
        self.target = os.path.join(scratch, 'target.bin')
        self.results = {}

    def measure(self, kind, **order):
        order = dict(order, kind=kind, source=self.source,
                     target=self.target, size=self.size)
        if self.warm:
            warm_memory(self.size, [self.scratch, tempfile.gettempdir()])
        else:
            settle(self.idle)
        if self.fresh is None:
            measured = transfer_in_this_process(self.api, self.fs, order)
        else:
            measured, _ = in_fresh_process(__file__,
                                           dict(order, **self.fresh))
        self.results.setdefault(kind, []).append(measured)

    def downloaded(self, kind, expected, **order):
        self.measure(kind, **order)
        assert digest(self.target) == expected, f'{kind}: bytes differ'
        os.remove(self.target)

    def run(self, runs):
        """The transfers compared measured in turn (``runs`` each)."""
        random_file(self.source, self.size)
        expected = digest(self.source)
        for _ in range(runs):
            self.measure('upload')
            for kind in WRITES + ('pipe_file',):
                self.measure(kind)
        file = self.api.files.get(self.fs.info(
            f'{PROJECT}/uploaded.bin')['id'])
        with open(self.source, 'rb') as local:
            head = local.read(MIB)
        for kind in WRITES + ('pipe_file',):
            written = f'{PROJECT}/{kind}.bin'
            assert self.fs.info(written)['size'] == self.size
            assert self.fs.cat_file(written, 0, MIB) == head
        os.remove(self.source)
        read_through(file.download_info().url)
        for _ in range(runs):
            self.downloaded('download', expected, file=file.id)
            self.downloaded('get_file', expected)
            self.measure('cat_file')

    def compare(self, label, kind, baseline, note=''):
        mib = self.size // MIB
        ours, theirs = (median(self.results[name])
                        for name in (kind, baseline))
        ratio = theirs.seconds / ours.seconds
        runs = ' '.join(f'{throughput(m.seconds, self.size):.0f}'
                        for m in self.results[kind])
        base = ' '.join(f'{throughput(m.seconds, self.size):.0f}'
                        for m in self.results[baseline])
        cpu = self.size / GIB
        return (f'{label} of {mib} MiB vs {BASELINES[baseline]}',
                f'{throughput(ours.seconds, self.size):.0f} vs '
                f'{throughput(theirs.seconds, self.size):.0f} MiB/s '
                f'({ratio:.0%}; runs {runs} vs {base}; CPU '
                f'{ours.cpu / cpu:.2f} vs {theirs.cpu / cpu:.2f} s/GiB; '
                f'peak RSS {ours.peak:.0f} vs {theirs.peak:.0f} MiB{note})',
                ratio >= 0.8)

    def rows(self):
        rows = []
        for kind, label in (('write', "open('wb')"),
                            ('write_sized', "open('wb', size=N)")):
            rows.append(self.compare(label, kind, 'upload'))
            peak = max(measure.peak for measure in self.results[kind])
            rows.append((f'{label} of {self.size // MIB} MiB, peak RSS',
                         f'{peak:.0f} MiB (highest of the runs)',
                         peak <= 150))
        rows.append(self.compare('pipe_file', 'pipe_file', 'upload',
                                 ': the value is in memory'))
        rows.append(self.compare('get_file', 'get_file', 'download'))
        rows.append(self.compare('cat_file', 'cat_file', 'download',
                                 ': the bytes are returned'))
        return rows


BASELINES = {'upload': 'api.files.upload', 'download': 'file.download'}
#: The writes through ``open('wb')``: of an unknown size (spilled), and
#: with ``size=`` (streamed).
WRITES = ('write', 'write_sized')


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--mib', type=int, default=512,
                        help='size of the large transfers, MiB')
    parser.add_argument('--latency', type=float, default=0,
                        help='milliseconds added to every request')
    parser.add_argument('--runs', type=int, default=3,
                        help='runs of each transfer (the median counts)')
    add_regime_arguments(parser, 'the source, the downloads, the '
                         'client\'s cache and the emulator\'s data')
    args = parser.parse_args()
    if args.child:
        child_main(json.loads(args.child))
        return
    scratch, preload = scratch_with_preload(preload_document(),
                                            args.scratch)
    memory = memory_regime(args)
    print(f'emulator in a child process, latency {args.latency:g} ms per '
          f'request; {args.mib} MiB transfers: median of {args.runs} runs, '
          f'each in {"a fresh" if args.process == "fresh" else "this"} '
          f'process, scratch and the emulator\'s data in {args.scratch}, '
          f'memory {memory}; a write of an unknown size spills to the '
          f'system\'s temporary folder ({tempfile.gettempdir()}); request '
          f'counts are this process\'s')
    try:
        with unpaced_emulator(scratch, preload, args.latency) as emulator:
            transfers = Transfers(emulator, scratch, args.mib * MIB, args)
            transfers.run(args.runs)
            rows = transfers.rows() + requests_figures(emulator)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    width = max(len(label) for label, _, _ in rows)
    for label, figure, met in rows:
        print(f'  {label:{width}}  {figure}  [{verdict(met)}]')


if __name__ == '__main__':
    main()
