"""Upload and download throughput and peak memory of the SDK, against the
raw throughput of the same local storage: plain parallel PUTs of the same
bytes from memory, and plain parallel ranged GETs written to a file.

    python benchmarks/transfer.py [--size-mib 512] [--workers 16]

The storage is the fake platform of the tests, started in a child process
on loopback (the emulator takes its place once it exists). Targets: the
SDK at least 80% of the raw figures, peak resident memory at most 100 MiB,
bytes identical.
"""
import argparse
import hashlib
import multiprocessing
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import requests

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(
    __file__))))

import sevenbridges as sbg  # noqa: E402
from sevenbridges.models.file import File  # noqa: E402

MIB = 1024 * 1024


def serve(folder, ready):
    from tests.fake_platform import FakePlatform
    with FakePlatform(folder) as platform:
        ready.put((platform.url, platform.token))
        threading.Event().wait()


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


def raw_put_get(api, size, part_size, workers):
    """Plain parallel PUTs and ranged GETs of ``size`` bytes."""
    body = os.urandom(part_size)
    count = -(-size // part_size)
    init = api.post('/upload/multipart', data={
        'name': 'raw.bin', 'size': size, 'part_size': part_size,
        'project': 'bench/raw'}).json()
    urls = [api.get(f'/upload/multipart/{init["upload_id"]}/part/{n}')
            .json()['url'] for n in range(1, count + 1)]
    session = requests.Session()
    adapter = requests.adapters.HTTPAdapter(pool_maxsize=workers)
    session.mount('http://', adapter)

    def put(index):
        length = min(part_size, size - index * part_size)
        session.put(urls[index], data=body[:length]).raise_for_status()

    start = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        list(pool.map(put, range(count)))
    put_seconds = time.perf_counter() - start
    for number in range(1, count + 1):
        api.post(f'/upload/multipart/{init["upload_id"]}/part/', data={
            'part_number': number, 'response': {'headers': {'ETag': ''}}})
    api.delete(f'/upload/multipart/{init["upload_id"]}')
    return put_seconds, count


def raw_get(url, size, part_size, workers, target):
    """Plain parallel ranged GETs of the same bytes, written at their
    offsets into ``target`` (a download must land on disk)."""
    session = requests.Session()
    session.mount('http://', requests.adapters.HTTPAdapter(
        pool_maxsize=workers))
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)

    def get(index):
        start = index * part_size
        end = min(start + part_size, size) - 1
        with session.get(url, headers={'Range': f'bytes={start}-{end}'},
                         stream=True) as response:
            for chunk in response.iter_content(MIB):
                os.pwrite(fd, chunk, start)
                start += len(chunk)

    began = time.perf_counter()
    try:
        with ThreadPoolExecutor(workers) as pool:
            list(pool.map(get, range(-(-size // part_size))))
    finally:
        os.close(fd)
    return time.perf_counter() - began


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
    with tempfile.TemporaryDirectory() as folder:
        queue = multiprocessing.Queue()
        server = multiprocessing.Process(
            target=serve, args=(os.path.join(folder, 'platform'), queue),
            daemon=True)
        server.start()
        url, token = queue.get(timeout=30)
        api = sbg.Api(url=url, token=token, upload_max_workers=args.workers,
                      download_max_workers=args.workers)
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
                uploaded = api.files.upload(source, project='bench/sdk',
                                            part_size=part_size).result()
                timings['upload'].append(time.perf_counter() - began)
            peaks['upload'] = max(peaks['upload'], memory.peak)
            return uploaded

        def raw_upload():
            os.sync()
            timings['raw_put'].append(
                raw_put_get(api, size, part_size, args.workers)[0])

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
        server.terminate()
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
