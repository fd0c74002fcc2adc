"""The emulator's raw storage throughput: plain parallel PUTs of parts from
memory and plain parallel ranged GETs written at their offsets, with a bare
HTTP client (``requests``), so that the SDK's transfer figures can be read
against it.

    python benchmarks/emulator_io.py [--size-mib 512] [--workers 16]
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

import requests

import sevenbridges as sbg

MIB = 1024 * 1024


class RunningEmulator:
    """``python -m sevenbridges.emulator`` in a child process (so that its
    memory is not counted as the client's)."""

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'sevenbridges.emulator'],
            stdout=subprocess.PIPE, text=True)
        ready = json.loads(self.process.stdout.readline())
        self.url, self.token = ready['url'], ready['token']
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(30)

    def api(self, workers):
        return sbg.Api(url=self.url, token=self.token,
                       upload_max_workers=workers,
                       download_max_workers=workers)


def new_project(api):
    group = api.billing_groups.query()[0]
    return api.projects.create(name=f'bench-{time.time_ns()}',
                               billing_group=group)


def raw_put_get(api, size, part_size, workers, project):
    """Plain parallel PUTs and ranged GETs of ``size`` bytes."""
    body = os.urandom(part_size)
    count = -(-size // part_size)
    init = api.post('/upload/multipart', data={
        'name': 'raw.bin', 'size': size, 'part_size': part_size,
        'project': project}).json()
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
    args = parser.parse_args()
    size, part_size = args.size_mib * MIB, args.part_mib * MIB
    with RunningEmulator() as emulator, tempfile.TemporaryDirectory(
            dir='/dev/shm' if os.path.isdir('/dev/shm') else None) as folder:
        api = emulator.api(args.workers)
        project = new_project(api)
        put_seconds, _ = raw_put_get(api, size, part_size, args.workers,
                                     project.id)
        source = os.path.join(folder, 'object.bin')
        with open(source, 'wb') as fp:
            fp.write(os.urandom(size))
        uploaded = api.files.upload(source, project=project,
                                    part_size=part_size).result()
        url = uploaded.download_info().url
        get_seconds = raw_get(url, size, part_size, args.workers,
                              os.path.join(folder, 'raw.bin'))
    print(f'emulator raw storage, {args.size_mib} MiB in {args.part_mib} '
          f'MiB parts, {args.workers} workers: PUT '
          f'{args.size_mib / put_seconds:.1f} MiB/s, GET '
          f'{args.size_mib / get_seconds:.1f} MiB/s')


if __name__ == '__main__':
    main()
