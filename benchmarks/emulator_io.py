"""The emulator's raw storage throughput, measured with ``curl`` (a client
that is not the SDK and not Python): N parallel ranged GETs against one
stream of the whole object, N parallel part PUTs against one PUT of the
whole object, on loopback or under a storage network profile.

    python benchmarks/emulator_io.py [--size-mib 512] [--streams 16 32]
        [--rate MIB_S] [--latency MS] [--aggregate-rate MIB_S]

Target on loopback: the aggregate of 16 (and 32) parallel transfers at
least 80% of one stream's, both ways. ``benchmarks/transfer.py`` uses the
same helpers for its raw baseline.
"""
import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time

import sevenbridges as sbg

MIB = 1024 * 1024
GIB = 1024 * MIB


#: Where the benchmarks keep their sources and downloads: in memory where
#: possible, so that the disk's write-back does not decide. (The emulator
#: keeps its state in the default temporary folder, as users run it.)
SCRATCH = '/dev/shm' if os.path.isdir('/dev/shm') else None


def _leave_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


# A benchmark stopped by SIGTERM (``timeout``, a CI limit) unwinds, so that
# its scratch folders (hundreds of MiB in memory under /dev/shm) are
# removed: left behind, they starve the page cache of later runs, and
# those runs measure the machine's memory pressure instead of the code.
signal.signal(signal.SIGTERM, _leave_on_sigterm)


def warm_memory(size, folders):
    """Write ``size`` bytes (and 64 MiB more) to a file in each folder and
    remove it, so that the transfer measured next finds that much freed
    memory at hand.

    These VMs report free memory back to their host (free page reporting):
    memory freed more than a second or two ago costs about 2 ms per MiB to
    touch again (a plain write of 512 MiB: 530 MiB/s cold, 6,500 warm),
    which would decide the figure of whichever transfer writes fresh page
    cache first, the SDK's or the raw baseline's.
    """
    chunk = bytes(MIB)
    for folder in folders:
        path = os.path.join(folder, f'.warm-{os.getpid()}')
        try:
            with open(path, 'wb') as fp:
                for _ in range(size // MIB + 64):
                    fp.write(chunk)
        finally:
            if os.path.exists(path):
                os.remove(path)


class RunningEmulator:
    """``python -m sevenbridges.emulator`` in a child process (its CPU and
    memory are not the client's), with a storage network profile."""

    def __init__(self, rate=None, latency=None, aggregate_rate=None):
        self.options = []
        for option, value in (('--storage-rate', rate),
                              ('--storage-latency', latency),
                              ('--storage-aggregate-rate', aggregate_rate)):
            if value is not None:
                self.options += [option, str(value)]

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'sevenbridges.emulator', *self.options],
            stdout=subprocess.PIPE, text=True)
        ready = json.loads(self.process.stdout.readline())
        self.url, self.token = ready['url'], ready['token']
        self.profile = ready['storage_profile']
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(30)

    def cpu_seconds(self):
        """The emulator's CPU seconds so far (``None`` without ``/proc``)."""
        try:
            with open(f'/proc/{self.process.pid}/stat') as fp:
                fields = fp.read().rsplit(')', 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf(
            'SC_CLK_TCK')

    def api(self, workers=None):
        """A client; ``workers`` bounds both pools (default: the SDK's)."""
        pools = {} if workers is None else {
            'upload_max_workers': workers, 'download_max_workers': workers}
        return sbg.Api(url=self.url, token=self.token, **pools)


def new_project(api):
    group = api.billing_groups.query()[0]
    return api.projects.create(name=f'bench-{time.time_ns()}',
                               billing_group=group)


def random_file(path, size):
    with open(path, 'wb') as fp:
        for _ in range(size // MIB):
            fp.write(os.urandom(MIB))
        fp.write(os.urandom(size % MIB))


def children_cpu():
    """CPU seconds of the finished child processes (``curl``)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_curls(commands):
    """Run ``curl`` commands side by side; ``(seconds, their CPU
    seconds)``."""
    cpu = children_cpu()
    began = time.perf_counter()
    processes = [subprocess.Popen(['curl', '--silent', '--show-error',
                                   '--fail', *command])
                 for command in commands]
    failed = [process.wait() for process in processes]
    seconds = time.perf_counter() - began
    if any(failed):
        raise SystemExit(f'curl failed: {failed}')
    return seconds, children_cpu() - cpu


def ranges(size, count):
    """``count`` contiguous ``(start, end)`` ranges covering ``size``."""
    step = -(-size // count)
    return [(start, min(start + step, size) - 1)
            for start in range(0, size, step)]


def curl_get(url, size, streams, folder):
    """``streams`` parallel ranged GETs of the object, each written to its
    own file in ``folder`` (1: one GET of the whole object)."""
    commands = [['--output', os.path.join(folder, 'whole.bin'), url]]
    if streams > 1:
        commands = [['--range', f'{start}-{end}', '--output',
                     os.path.join(folder, f'range-{start}.bin'), url]
                    for start, end in ranges(size, streams)]
    try:
        return run_curls(commands)
    finally:
        for name in os.listdir(folder):
            if name.startswith(('whole', 'range-')):
                os.remove(os.path.join(folder, name))


def split_parts(source, size, count, folder):
    """The parts of ``source`` as files (``curl`` uploads whole files)."""
    paths = []
    with open(source, 'rb') as fp:
        for number, (start, end) in enumerate(ranges(size, count), 1):
            path = os.path.join(folder, f'part-{count}-{number}.bin')
            fp.seek(start)
            with open(path, 'wb') as part:
                part.write(fp.read(end - start + 1))
            paths.append(path)
    return paths


def curl_put(api, project, parts):
    """PUT the part files of one multipart upload side by side (one file:
    a single PUT of the whole object); the upload is aborted after."""
    sizes = [os.path.getsize(path) for path in parts]
    init = api.post('/upload/multipart', data={
        'name': 'raw.bin', 'size': sum(sizes), 'part_size': sizes[0],
        'project': project}).json()
    base = f'/upload/multipart/{init["upload_id"]}/part'
    urls = [api.get(f'{base}/{number}').json()['url']
            for number in range(1, len(parts) + 1)]
    try:
        return run_curls([['--upload-file', path, '--header', 'Expect:',
                           '--output', os.devnull, url]
                          for path, url in zip(parts, urls)])
    finally:
        api.delete(f'/upload/multipart/{init["upload_id"]}')


class RawStorage:
    """``curl`` against one emulator: an object to GET, its parts to PUT."""

    def __init__(self, api, project, source, size, folder):
        self.api, self.project, self.size = api, project, size
        self.source, self.folder = source, folder
        self._parts = {}
        uploaded = api.files.upload(source, project=project,
                                    file_name='raw-object.bin').result()
        self.url = uploaded.download_info().url

    def get(self, streams):
        return curl_get(self.url, self.size, streams, self.folder)

    def put(self, streams):
        if streams not in self._parts:
            self._parts[streams] = ([self.source] if streams == 1 else
                                    split_parts(self.source, self.size,
                                                streams, self.folder))
        return curl_put(self.api, self.project.id, self._parts[streams])


def rate(size, seconds):
    return size / MIB / seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size-mib', type=int, default=512)
    parser.add_argument('--streams', type=int, nargs='+', default=[16, 32])
    parser.add_argument('--runs', type=int, default=5)
    parser.add_argument('--rate', type=float, help='MiB/s per connection')
    parser.add_argument('--latency', type=float, help='first-byte ms')
    parser.add_argument('--aggregate-rate', type=float, help='MiB/s')
    args = parser.parse_args()
    size = args.size_mib * MIB
    with tempfile.TemporaryDirectory(dir=SCRATCH) as folder, \
            RunningEmulator(args.rate, args.latency,
                            args.aggregate_rate) as emulator:
        api = emulator.api()
        source = os.path.join(folder, 'object.bin')
        random_file(source, size)
        raw = RawStorage(api, new_project(api), source, size, folder)
        print(f'emulator raw storage (curl), {args.size_mib} MiB, profile '
              f'{emulator.profile}, median of {args.runs} runs (emulator '
              f'CPU s/GiB in brackets):')
        for direction, move in (('GET', raw.get), ('PUT', raw.put)):
            figures = {}
            for streams in [1] + args.streams:
                runs = []
                for _ in range(args.runs):
                    before = emulator.cpu_seconds()
                    seconds = move(streams)[0]
                    after = emulator.cpu_seconds()
                    runs.append((seconds, None if before is None else
                                 (after - before) / (size / GIB)))
                figures[streams] = sorted(runs)[len(runs) // 2]
            one = figures[1][0]
            print(f'  {direction}: ' + '; '.join(
                f'{streams:2} stream{"s" if streams > 1 else ""} '
                f'{rate(size, seconds):5.0f} MiB/s ({cpu or 0:.2f})'
                + (f' {one / seconds * 100:3.0f}%' if streams > 1 else '')
                for streams, (seconds, cpu) in figures.items())
                + ' (target 80% of one stream)')


if __name__ == '__main__':
    main()
