"""Upload and download throughput and peak memory of the SDK, against the
raw throughput of the same local storage: plain parallel PUTs of the same
bytes from memory, and plain parallel ranged GETs written to a file.

    python benchmarks/transfer.py [--size-mib 512] [--workers 16]

The storage is the local emulator (``python -m sevenbridges.emulator``) in
a child process, the raw side the plain client of
``benchmarks/emulator_io.py``. Targets: the
SDK at least 80% of the raw figures, peak resident memory at most 100 MiB,
bytes identical.
"""
import argparse
import hashlib
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from emulator_io import (  # noqa: E402
    RunningEmulator,
    new_project,
    raw_get,
    raw_put_get,
)

from sevenbridges.models.file import File  # noqa: E402

MIB = 1024 * 1024


def rss_mib():
    with open('/proc/self/status') as fp:
        for line in fp:
            if line.startswith('VmRSS:'):
                return int(line.split()[1]) / 1024
    return 0.0


class PeakMemory:
    """The highest resident memory seen while the block runs."""

    def __enter__(self):
        self.peak = rss_mib()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._done.wait(0.02):
            self.peak = max(self.peak, rss_mib())

    def __exit__(self, *exc):
        self._done.set()
        self._thread.join()


def remove_if_present(path):
    if os.path.exists(path):
        os.remove(path)


def digest(path):
    sha = hashlib.sha256()
    with open(path, 'rb') as fp:
        for chunk in iter(lambda: fp.read(MIB), b''):
            sha.update(chunk)
    return sha.hexdigest()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size-mib', type=int, default=512)
    parser.add_argument('--workers', type=int, default=16)
    parser.add_argument('--part-mib', type=int, default=32)
    parser.add_argument('--repeat', type=int, default=4)
    parser.add_argument(
        '--target-dir', default='/dev/shm' if os.path.isdir('/dev/shm')
        else None, help='where downloads are written (default: memory, so '
                        'that the disk\'s write-back does not decide)')
    args = parser.parse_args()
    size = args.size_mib * MIB
    part_size = args.part_mib * MIB
    with tempfile.TemporaryDirectory() as folder, \
            RunningEmulator() as emulator:
        api = emulator.api(args.workers)
        project = new_project(api)
        source = os.path.join(folder, 'source.bin')
        with open(source, 'wb') as fp:
            for _ in range(args.size_mib):
                fp.write(os.urandom(MIB))
        baseline = rss_mib()
        targets = tempfile.mkdtemp(dir=args.target_dir)
        target = os.path.join(targets, 'downloaded.bin')
        timings = {'upload': [], 'download': [], 'raw_put': [],
                   'raw_get': []}
        peaks = {'upload': 0.0, 'download': 0.0}
        def sdk_upload():
            os.sync()
            with PeakMemory() as memory:
                began = time.perf_counter()
                uploaded = api.files.upload(source, project=project,
                                            part_size=part_size,
                                            overwrite=True).result()
                timings['upload'].append(time.perf_counter() - began)
            peaks['upload'] = max(peaks['upload'], memory.peak)
            return uploaded

        def raw_upload():
            os.sync()
            timings['raw_put'].append(
                raw_put_get(api, size, part_size, args.workers,
                            project.id)[0])

        def sdk_download(uploaded):
            remove_if_present(target)
            os.sync()
            with PeakMemory() as memory:
                began = time.perf_counter()
                File(api=api, id=uploaded.id).download(
                    target, chunk_size=part_size)
                timings['download'].append(time.perf_counter() - began)
            peaks['download'] = max(peaks['download'], memory.peak)

        def raw_download(uploaded):
            raw_target = os.path.join(targets, 'raw.bin')
            remove_if_present(raw_target)
            os.sync()
            url = File(api=api, id=uploaded.id).download_info().url
            timings['raw_get'].append(raw_get(
                url, size, part_size, args.workers, raw_target))

        identical = True
        for round_number in range(args.repeat):
            # Alternate the order in each pair, so that neither side always
            # meets a freshly written object or a disk busy writing back.
            if round_number % 2:
                raw_upload()
                uploaded = sdk_upload()
                raw_download(uploaded)
                sdk_download(uploaded)
            else:
                uploaded = sdk_upload()
                raw_upload()
                sdk_download(uploaded)
                raw_download(uploaded)
            identical = identical and digest(source) == digest(target)
        shutil.rmtree(targets)
        medians = {key: statistics.median(values)
                   for key, values in timings.items()}
        bests = {key: min(values) for key, values in timings.items()}
        upload_seconds, download_seconds = (medians['upload'],
                                            medians['download'])
        raw_put_seconds, raw_get_seconds = (medians['raw_put'],
                                            medians['raw_get'])

    def rate(seconds):
        return args.size_mib / seconds

    print(f'transfer: {args.size_mib} MiB, {args.workers} workers, '
          f'{args.part_mib} MiB parts, median of {args.repeat} runs, bytes '
          f'identical: {identical}')
    print(f'  upload:   SDK {rate(upload_seconds):7.1f} MiB/s, raw PUTs '
          f'{rate(raw_put_seconds):7.1f} MiB/s -> '
          f'{raw_put_seconds / upload_seconds * 100:5.1f}% (target 80%), '
          f'peak RSS {peaks["upload"]:.0f} MiB')
    print(f'  download: SDK {rate(download_seconds):7.1f} MiB/s, raw GETs '
          f'{rate(raw_get_seconds):7.1f} MiB/s -> '
          f'{raw_get_seconds / download_seconds * 100:5.1f}% (target 80%), '
          f'peak RSS {peaks["download"]:.0f} MiB')
    print(f'  best runs: upload SDK {rate(bests["upload"]):.1f} vs raw '
          f'{rate(bests["raw_put"]):.1f} MiB/s, download SDK '
          f'{rate(bests["download"]):.1f} vs raw '
          f'{rate(bests["raw_get"]):.1f} MiB/s')
    print(f'  (resident memory before transfers: {baseline:.0f} MiB; '
          f'target peak 100 MiB; downloads written to {args.target_dir})')
    if not identical:
        raise SystemExit('downloaded bytes differ')


if __name__ == '__main__':
    main()
