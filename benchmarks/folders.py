"""Folder trees through ``api.folders`` against the plain loop a script
runs today (``api.files.upload`` per file, ``file.download`` per file):
1,000 files of 10 KiB and 20 files of 64 MiB, up and down, with the
client's CPU seconds and peak resident memory; then the emulator on deep
trees: listing a folder of 10,000 files, creating 1,000 folders.

    python benchmarks/folders.py [--small 1000] [--large 20]
        [--large-mib 64] [--latency MS] [--workers N] [--runs 3]

The emulator runs in a child process: the CPU seconds printed are this
process's alone (user and system, all its threads), and the peak memory is
the kernel's mark, with no sampler thread beside the code measured.
``--latency`` delays every API and storage request by MS milliseconds (a
network to a real platform); without it everything is loopback, where the
client's and the emulator's CPU decide. Bytes are checked identical after
every download. Targets (issues 16 and 26): small files at least 5x faster
than the loop each way, at most 0.4x the loop's client CPU; large files
at least 1.5x; peak RSS at most 150 MiB. The last lines print the CPU
ratios and the most a client making the loop's requests gains over it: the
loop's time over its CPU (on loopback about 1.5x; with ``--latency 5``,
about 7x). A tree's upload makes the loop's five requests per small file;
its download two instead of three (the listing told the size: no probe).
"""
import argparse
import http.client
import json
import os
import shutil
import sys
import tempfile
from urllib.parse import urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import (  # noqa: E402
    KIB,
    MIB,
    Measured,
    curl_get_many,
    digest,
    median,
    new_project,
    peak_rss_mib,
    scratch_with_preload,
    unpaced_emulator,
    warm_memory,
)

SMALL_FOLDERS = 10
BIG_FOLDER = 10_000
NEW_FOLDERS = 1_000


def write_tree(root, folders, files_per_folder, size):
    for folder in range(folders):
        path = os.path.join(root, f'dir{folder:02d}')
        os.makedirs(path)
        for number in range(files_per_folder):
            with open(os.path.join(path, f'f{number:04d}.bin'), 'wb') as fp:
                for _ in range(size // MIB):
                    fp.write(os.urandom(MIB))
                fp.write(os.urandom(size % MIB))


def digests(root):
    """``{relative path: digest}`` of the files below ``root``."""
    return {os.path.relpath(os.path.join(folder, name), root):
            digest(os.path.join(folder, name))
            for folder, _, names in os.walk(root) for name in names}


def loop_upload(api, root, project):
    """What a script does today: a folder, then each file into it."""
    for name in sorted(os.listdir(root)):
        folder = api.files.create_folder(name, project=project)
        for file_name in sorted(os.listdir(os.path.join(root, name))):
            api.files.upload(os.path.join(root, name, file_name),
                             parent=folder)


def loop_download(api, project, root):
    for folder in api.files.query(project=project).all():
        os.makedirs(os.path.join(root, folder.name))
        for file in folder.list_files().all():
            file.download(os.path.join(root, folder.name, file.name))


class Run:
    """Loop and tree, up and down, once, for the files below ``source``;
    the downloads are checked identical to the source."""

    def __init__(self, api, source, scratch, workers, raw=False):
        self.api, self.source = api, source
        self.scratch, self.workers = scratch, workers
        self.raw, self.raws = raw, []
        self.expected = digests(source)
        self.size = sum(os.path.getsize(os.path.join(folder, name))
                        for folder, _, names in os.walk(source)
                        for name in names)
        self.identical = True

    def loop(self):
        project = new_project(self.api)
        self._warm()
        with Measured() as up:
            loop_upload(self.api, self.source, project)
        target = tempfile.mkdtemp(dir=self.scratch)
        self._warm()
        with Measured() as down:
            loop_download(self.api, project, target)
        self._check(target, project)
        return up, down

    def tree(self):
        project = new_project(self.api)
        self._warm()
        with Measured() as up:
            report = self.api.folders.upload(self.source, project=project,
                                             workers=self.workers)
        assert len(report.moved) == len(self.expected), report
        target = os.path.join(tempfile.mkdtemp(dir=self.scratch), 'tree')
        self._warm()
        with Measured() as down:
            self.api.folders.download(target, project=project,
                                      workers=self.workers)
        if self.raw:
            self.raws.append(self.raw_download(project))
        self._check(target, project)
        return up, down

    def raw_download(self, project):
        """The best raw client fetching the same files: ``curl`` GETs of
        their storage URLs, every file at once, in one stream each and in
        four ranged streams each; the faster counts. The URLs are asked
        for first, untimed (the tree asks for them within its time)."""
        objects, names = [], []
        target = tempfile.mkdtemp(dir=self.scratch)
        for folder in self.api.files.query(project=project).all():
            for file in folder.list_files().all():
                objects.append((file.download_info().url, file.size,
                                os.path.join(target, f'{len(names)}.bin')))
                names.append(os.path.join(folder.name, file.name))
        best = None
        for streams in (1, 4):
            self._warm()
            with Measured() as timed:
                seconds, cpu = curl_get_many(objects, streams)
            timed.seconds, timed.cpu = seconds, cpu
            self.identical &= all(
                digest(path) == self.expected[name]
                for (_, _, path), name in zip(objects, names))
            if best is None or timed.seconds < best.seconds:
                best = timed
        shutil.rmtree(target)
        return best

    def _warm(self):
        """Free as much memory as the transfer writes just before it (see
        ``_harness.warm_memory``): the emulator's state and the
        downloads are in memory, and memory freed a while ago is slow to
        touch again on these VMs."""
        warm_memory(self.size, [self.scratch])

    def _check(self, target, project):
        self.identical &= digests(target) == self.expected
        shutil.rmtree(target)
        project.delete()  # its files' bytes leave the emulator's memory


def compare(api, label, source, size_text, scratch, workers, runs,
            raw=False):
    """Loop and tree, up and down, ``runs`` times in alternating order (so
    that neither always meets the storage busy with the other's bytes):
    the medians; with ``raw``, the best raw client's download too."""
    run = Run(api, source, scratch, workers, raw)
    results = {'loop': [], 'tree': []}
    for number in range(runs):
        for name in (('loop', 'tree') if number % 2 == 0
                     else ('tree', 'loop')):
            results[name].append(getattr(run, name)())
    rows = []
    for index, direction in enumerate(('up', 'down')):
        rows.append((f'{label} {direction}',
                     median([pair[index] for pair in results['loop']]),
                     median([pair[index] for pair in results['tree']])))
    print(f'\n{label} ({size_text}), median of {runs}, bytes identical: '
          f'{run.identical}')
    print(f'  {"":16} {"loop s":>8} {"tree s":>8} {"speedup":>8} '
          f'{"loop CPU":>9} {"tree CPU":>9}')
    for name, loop, tree in rows:
        print(f'  {name:16} {loop.seconds:8.2f} {tree.seconds:8.2f} '
              f'{loop.seconds / tree.seconds:7.1f}x {loop.cpu:8.2f}s '
              f'{tree.cpu:8.2f}s')
    if run.raws:
        raw, tree = median(run.raws), rows[1][2]
        print(f'  {"raw curl down":16} {"":8} {raw.seconds:8.2f} '
              f'{"":8} {"":9} {raw.cpu:8.2f}s   (tree down at '
              f'{raw.seconds / tree.seconds:.0%} of the best raw client: '
              f'curl, every file at once, 1 or 4 streams each)')
    return rows


def raw_create_folders(emulator, project, count):
    """``count`` folders made by a bare ``http.client`` connection kept
    alive (no SDK, no requests): what the emulator itself takes."""
    address = urlsplit(emulator.url)
    connection = http.client.HTTPConnection(address.hostname, address.port)
    headers = {'X-SBG-Auth-Token': emulator.token,
               'Content-Type': 'application/json'}
    try:
        for number in range(count):
            connection.request('POST', f'{address.path.rstrip("/")}/files',
                               json.dumps({'name': f'r{number:04d}',
                                           'type': 'folder',
                                           'project': project}), headers)
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 201, answer.status
    finally:
        connection.close()


def deep_trees(api, emulator, workers, scratch):
    """The preloaded folder of 10,000 files listed, 1,000 folders made."""
    project = api.projects.get('rfranklin/deep')
    big = next(f for f in api.files.query(project=project) if
               f.name == 'big')
    print('\ndeep trees (emulator)')
    for label, listing in (
            ('list 10,000 files, offset pages of 100',
             lambda: big.list_files(limit=100).all()),
            ('list 10,000 files, api.folders.walk_files',
             lambda: api.folders.walk_files(parent=big))):
        served = emulator.cpu_seconds()
        with Measured() as timed:
            count = sum(1 for _ in listing())
        assert count == BIG_FOLDER, count
        print(f'  {label:44} {timed.seconds:6.2f} s (emulator CPU '
              f'{emulator.cpu_seconds() - served:.2f} s)')
    target = new_project(api)
    served = emulator.cpu_seconds()
    with Measured() as timed:
        for number in range(NEW_FOLDERS):
            api.files.create_folder(f'd{number:04d}', project=target)
    print(f'  {"create 1,000 folders, one call each":44} {timed.seconds:6.2f}'
          f' s (emulator CPU {emulator.cpu_seconds() - served:.2f} s)')
    target = new_project(api)
    served = emulator.cpu_seconds()
    with Measured() as timed:
        raw_create_folders(emulator, target.id, NEW_FOLDERS)
    print(f'  {"create 1,000 folders, raw keep-alive client":44} '
          f'{timed.seconds:6.2f} s (emulator CPU '
          f'{emulator.cpu_seconds() - served:.2f} s)')
    empty = tempfile.mkdtemp(dir=scratch)
    for number in range(NEW_FOLDERS):
        os.mkdir(os.path.join(empty, f'd{number:04d}'))
    served = emulator.cpu_seconds()
    with Measured() as timed:
        report = api.folders.upload(empty, project=new_project(api),
                                    workers=workers)
    assert len(report.folders_created) == NEW_FOLDERS
    print(f'  {"create 1,000 folders, api.folders.upload":44} '
          f'{timed.seconds:6.2f} s (emulator CPU '
          f'{emulator.cpu_seconds() - served:.2f} s)')
    shutil.rmtree(empty)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--small', type=int, default=1000)
    parser.add_argument('--large', type=int, default=20)
    parser.add_argument('--large-mib', type=int, default=64)
    parser.add_argument('--latency', type=float, default=0,
                        help='milliseconds added to every request')
    parser.add_argument('--workers', type=int, default=None,
                        help='files in flight (default: the client\'s)')
    parser.add_argument('--runs', type=int, default=3,
                        help='runs of each comparison (the median counts)')
    args = parser.parse_args()
    scratch, preload = scratch_with_preload(
        {'projects': [{'id': 'rfranklin/deep', 'name': 'deep',
                       'files': [{'name': f'f{n:05d}.txt', 'folder': 'big',
                                  'content': ''}
                                 for n in range(BIG_FOLDER)]}]})
    print(f'emulator in a child process, latency {args.latency:g} ms per '
          f'request; client CPU and peak RSS are this process\'s')
    try:
        # The emulator's state in memory too: each upload creates a file
        # there, and on a disk whose folder saw many files deleted (a
        # busy /tmp), ext4 spends up to 0.7 ms of CPU finding a free inode
        # for each, the loop's and the tree's alike.
        with unpaced_emulator(scratch, preload, args.latency) as emulator:
            api = emulator.api()
            rows = []
            if args.small:
                small = os.path.join(scratch, 'small')
                write_tree(small, SMALL_FOLDERS,
                           args.small // SMALL_FOLDERS, 10 * KIB)
                rows += compare(api, f'{args.small} files', small,
                                '10 KiB each', scratch, args.workers,
                                args.runs)
                shutil.rmtree(small)
            if args.large:
                large = os.path.join(scratch, 'large')
                write_tree(large, 1, args.large, args.large_mib * MIB)
                rows += compare(api, f'{args.large} files', large,
                                f'{args.large_mib} MiB each', scratch,
                                args.workers, args.runs, raw=True)
                shutil.rmtree(large)
            deep_trees(api, emulator, args.workers, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f'\npeak RSS of the client: {peak_rss_mib():.0f} MiB '
          f'(target at most 150)')
    print('targets: small files >= 5x the loop each way, large files >= '
          '1.5x: ' + ', '.join(
              f'{name} {loop.seconds / tree.seconds:.1f}x'
              for name, loop, tree in rows))
    print('client CPU of the tree over the loop\'s (target for small files '
          'at most 0.4x): ' + ', '.join(
              f'{name} {tree.cpu / loop.cpu:.2f}x'
              for name, loop, tree in rows))
    # The loop's time is its client's CPU plus what it waits for (the
    # emulator, the latency); a tree making the same requests spends at
    # least the same client CPU, in one process: it can gain at most what
    # the loop waits. (Uploads make the loop's five requests per file;
    # downloads of one part make two instead of three.)
    print('most a tree making the loop\'s requests can gain '
          '(loop s / loop CPU): ' + ', '.join(
              f'{name} {loop.seconds / loop.cpu:.1f}x'
              for name, loop, tree in rows))


if __name__ == '__main__':
    main()
