"""Upload and download through the SDK (``api.files.upload`` and
``file.download``): MiB/s, the client's CPU seconds per GiB and its peak
resident memory, on loopback and under a cloud-like storage profile, next
to a raw baseline of ``curl`` against the same storage (several parallel
streams and one stream; the faster is the bar).

    python benchmarks/transfer.py [--size-mib 512] [--runs 3]
        [--profile loopback|cloud|both] [--workers N] [--part-mib N]
        [--scratch DIR] [--memory as-is|warm] [--idle SECONDS]
        [--process fresh|same]

By default it measures what users meet (issue 26): the source, the
downloads and the emulator's data on the disk file system (a folder under
the system's temporary directory, or ``--scratch DIR``), memory as the
host gives it back (``--memory as-is``: before every measured transfer,
the SDK's and the raw client's alike, the disk finishes writing back what
the transfer before left (``os.sync``: the emulator's copy is on this disk,
a platform's is not), then the machine idles ``--idle``
seconds, 3 by default, long enough for the host to take back memory freed
just before, as it has when a user starts a transfer), each SDK transfer in
a fresh
Python process (``--process fresh``: the figures are of the transfer
call; the peak resident memory is the process's, imports included). The
warm regime of issue 15 is ``--scratch /dev/shm --memory warm --process
same``.

The emulator runs in a child process, so the CPU and memory figures are
the client's alone. Bytes are checked identical after every download.
Next to the SDK it prints the raw client in the same conditions:
``curl``, several parallel ranged streams written into one file at their
offsets (parts PUT from their files), and one stream; CPU s/GiB included.
Targets (issue 26): client CPU per GiB at most half the reference's and
within 1.2x of the best raw client's; throughput at least 1.5x the
reference's on loopback and 3x under the cloud profile, or 90% of the best
raw client where the machine is the bound; peak resident memory at most
100 MiB.
"""
import argparse
import inspect
import json
import os
import statistics
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import (  # noqa: E402
    GIB,
    MIB,
    ChildEmulator,
    Measured,
    RawStorage,
    add_regime_arguments,
    answer_parent,
    client,
    digest,
    in_fresh_process,
    memory_regime,
    new_project,
    random_file,
    read_through,
    settle,
    warm_memory,
)

from sevenbridges.api import Api  # noqa: E402
from sevenbridges.models.enums import PartSize  # noqa: E402
from sevenbridges.models.file import File  # noqa: E402
from sevenbridges.transfer.parts import download_part_size  # noqa: E402

#: The cloud profile of issue 15: 25 ms to the first byte, 64 MiB/s per
#: connection, no aggregate cap.
CLOUD = {'rate': 64.0, 'latency': 25.0, 'aggregate_rate': None}
#: The reference SDK on these 2-core machines (it cannot run here):
#: MiB/s, client CPU s/GiB, peak RSS MiB; issue 15 measured it warm in
#: /dev/shm, issue 26 as users run it (fresh process, disk, memory as-is).
REFERENCE = {
    'warm': {'loopback': {'upload': ('477-493', '1.1', '193'),
                          'download': ('534-594', '1.7-1.8', '193')}},
    'user': {'loopback': {'upload': ('256-560', '1.1-1.5', '193'),
                          'download': ('300-430', '3.2-4.2', '193')},
             'cloud': {'upload': ('225-228', '', '193'),
                       'download': ('223-230', '5.2-6.7', '193')}}}
REFERENCE_PARTS_IN_FLIGHT = 4


def transfer_in_this_process(api, order):
    """One SDK transfer as ``order`` says (a dict: ``direction``,
    ``source``, ``project``, ``file``, ``target``, ``part_size``); its
    :class:`Measured` and the uploaded file's id."""
    with Measured() as measured:
        if order['direction'] == 'upload':
            done = api.files.upload(
                order['source'], project=order['project'], overwrite=True,
                part_size=order['part_size']).result().id
        else:
            File(api=api, id=order['file']).download(
                order['target'], chunk_size=order['part_size'])
            done = order['file']
    return measured, done


def child_main(order):
    """The fresh process of ``--process fresh``: one transfer, its figures
    on standard output as JSON."""
    api = client(order['url'], order['token'], order['workers'])
    measured, done = transfer_in_this_process(api, order)
    answer_parent(measured, id=done)


class Bench:
    """The SDK and the raw baseline against one emulator."""

    def __init__(self, api, raw, source, folder, part_size, warm=True,
                 fresh=None, idle=0.0):
        self.api, self.raw, self.source = api, raw, source
        # before each transfer: the emulator's state and this side's
        # downloads (both in the scratch folder)
        self.warm = warm
        self.warm_folders = [folder]
        self.idle = idle
        #: the emulator's address and the workers, for fresh processes
        #: (``None``: transfers run in this process)
        self.fresh = fresh
        self.project = raw.project
        self.part_size = part_size
        self.target = os.path.join(folder, 'downloaded.bin')
        self.results = {key: [] for key in (
            'upload', 'download', 'raw_put_parallel', 'raw_put_one',
            'raw_get_parallel', 'raw_get_one')}
        self.identical = True

    def warm_up(self):
        """Before each measured transfer: warm the memory, or idle."""
        if self.warm:
            warm_memory(os.path.getsize(self.source), self.warm_folders)
        else:
            settle(self.idle)

    def transfer(self, direction, file_id=None):
        """One SDK transfer, in a fresh process or in this one; the
        uploaded (or downloaded) file's id."""
        order = {'direction': direction, 'source': self.source,
                 'project': self.project.id, 'file': file_id,
                 'target': self.target, 'part_size': self.part_size}
        self.warm_up()
        if self.fresh is None:
            measured, done = transfer_in_this_process(self.api, order)
        else:
            measured, answer = in_fresh_process(
                __file__, dict(order, **self.fresh))
            done = answer['id']
        self.results[direction].append(measured)
        return done

    def sdk_upload(self):
        return self.transfer('upload')

    def sdk_download(self, uploaded):
        if os.path.exists(self.target):
            os.remove(self.target)
        read_through(self.api.files.get(uploaded).download_info().url)
        self.transfer('download', uploaded)
        self.identical &= digest(self.target) == digest(self.source)
        os.remove(self.target)

    def raw_run(self, streams):
        for key, move in (('raw_put', self.raw.put), ('raw_get',
                                                      self.raw.get)):
            for name, count in (('parallel', streams), ('one', 1)):
                self.warm_up()
                seconds, cpu = move(count)
                self.results[f'{key}_{name}'].append((seconds, cpu))

    def run(self, runs, streams):
        for number in range(runs):
            # Alternate the order, so that neither side always meets a
            # storage busy writing back what the other sent.
            if number % 2:
                self.raw_run(streams)
            uploaded = self.sdk_upload()
            self.sdk_download(uploaded)
            if not number % 2:
                self.raw_run(streams)


def median_sdk(measures, size):
    seconds = statistics.median(m.seconds for m in measures)
    cpu = statistics.median(m.cpu for m in measures)
    return (size / MIB / seconds, cpu / (size / GIB),
            max(m.peak for m in measures))


def spread(measures, size):
    """Every run's MiB/s and CPU s/GiB, in the order they ran."""
    return ' '.join(f'{size / MIB / m.seconds:.0f}/{m.cpu / (size / GIB):.2f}'
                    for m in measures)


def median_raw(pairs, size):
    seconds = statistics.median(s for s, _ in pairs)
    cpu = statistics.median(c for _, c in pairs)
    return size / MIB / seconds, cpu / (size / GIB)


def cloud_targets(profile, size, workers, part_size):
    """80% of min(aggregate cap, parts in flight x per-connection cap), the
    parts in flight, and what a client with 4 parts in flight reaches at
    most (each part pays the first-byte latency once)."""
    per_connection = profile['rate_mib_s']
    in_flight = min(workers, -(-size // part_size))
    ceiling = in_flight * per_connection
    if profile['aggregate_rate_mib_s']:
        ceiling = min(ceiling, profile['aggregate_rate_mib_s'])
    part_mib = part_size / MIB
    part_seconds = profile['latency_ms'] / 1000 + part_mib / per_connection
    four = min(REFERENCE_PARTS_IN_FLIGHT, in_flight) * part_mib / \
        part_seconds
    return 0.8 * ceiling, in_flight, four


def report(name, bench, size, workers, part_sizes, profile, regime):
    print(f'\n{name}: storage profile {profile}, bytes identical: '
          f'{bench.identical}')
    print(f'  {"":9} {"SDK MiB/s":>10} {"CPU s/GiB":>10} {"peak RSS":>9}   '
          f'{"raw parallel":>21} {"raw one stream":>21}   best raw')
    for direction, raw in (('upload', 'raw_put'), ('download', 'raw_get')):
        speed, cpu, peak = median_sdk(bench.results[direction], size)
        parallel = median_raw(bench.results[f'{raw}_parallel'], size)
        one = median_raw(bench.results[f'{raw}_one'], size)
        best = max(parallel[0], one[0])
        print(f'  {direction:9} {speed:10.0f} {cpu:10.2f} {peak:6.0f} MiB'
              f'   {parallel[0]:6.0f} MiB/s {parallel[1]:4.2f} s/GiB'
              f' {one[0]:6.0f} MiB/s {one[1]:4.2f} s/GiB'
              f'   {speed / best * 100:3.0f}% of {best:.0f}')
        print(f'  {"runs":9} MiB/s/CPU s/GiB: '
              f'{spread(bench.results[direction], size)}')
        reference = REFERENCE[regime].get(name)
        if reference:
            ref_speed, ref_cpu, ref_peak = reference[direction]
            issue = 15 if regime == 'warm' else 26
            print(f'  {"reference":9} {ref_speed:>10} {ref_cpu or "-":>10} '
                  f'{ref_peak:>6} MiB   (issue {issue}, not run here)')
        if name != 'loopback':
            target, in_flight, four = cloud_targets(
                profile, size, workers[direction], part_sizes[direction])
            print(f'  {"target":9} {target:10.0f}   = 80% of min(aggregate '
                  f'cap, {in_flight} parts of '
                  f'{part_sizes[direction] // MIB} MiB in flight x '
                  f'{profile["rate_mib_s"]:g} MiB/s); 4 in flight reach '
                  f'<= {four:.0f}, x3 = {3 * four:.0f}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--size-mib', type=int, default=512)
    parser.add_argument('--runs', type=int, default=3)
    parser.add_argument('--profile', choices=('loopback', 'cloud', 'both'),
                        default='both')
    parser.add_argument('--workers', type=int,
                        help='upload/download workers (default: the SDK\'s)')
    parser.add_argument('--part-mib', type=int,
                        help='part size (default: the SDK\'s)')
    parser.add_argument('--raw-streams', type=int, default=16,
                        help='parallel curl streams of the raw baseline')
    add_regime_arguments(parser, 'the source, the downloads and the '
                         'emulator\'s data')
    args = parser.parse_args()
    if args.child:
        child_main(json.loads(args.child))
        return
    size = args.size_mib * MIB
    part_size = args.part_mib * MIB if args.part_mib else None
    part_sizes = {'upload': part_size or PartSize.UPLOAD_RECOMMENDED_SIZE,
                  'download': part_size or download_part_size(size)}
    defaults = inspect.signature(Api).parameters
    workers = {direction: args.workers or
               defaults[f'{direction}_max_workers'].default
               for direction in ('upload', 'download')}
    profiles = {'loopback': {}, 'cloud': CLOUD}
    names = ['loopback', 'cloud'] if args.profile == 'both' else \
        [args.profile]
    memory = memory_regime(args)
    print(f'transfer: {args.size_mib} MiB each way, median of {args.runs} '
          f'runs, workers {args.workers or "SDK default"}, parts '
          f'{args.part_mib or "SDK default"} MiB; raw: {args.raw_streams} '
          f'parallel curl or one curl stream (the emulator in a child '
          f'process; CPU and RSS are the client\'s); scratch and the '
          f'emulator\'s data in {args.scratch}, memory {memory}, SDK '
          f'transfers in {"a fresh" if args.process == "fresh" else "this"}'
          f' process')
    warm = args.memory == 'warm'
    regime = 'warm' if warm else 'user'
    failed = False
    for name in names:
        with tempfile.TemporaryDirectory(dir=args.scratch) as folder, \
                ChildEmulator(**profiles[name], data_dir=os.path.join(
                    folder, 'emulator')) as emulator:
            api = emulator.api(args.workers)
            source = os.path.join(folder, 'source.bin')
            random_file(source, size)
            raw = RawStorage(api, new_project(api), source, size, folder)
            fresh = None if args.process == 'same' else {
                'url': emulator.url, 'token': emulator.token,
                'workers': args.workers}
            bench = Bench(api, raw, source, folder, part_size, warm=warm,
                          fresh=fresh, idle=args.idle)
            bench.run(args.runs, args.raw_streams)
            report(name, bench, size, workers, part_sizes, emulator.profile,
                   regime)
            failed |= not bench.identical
    if failed:
        raise SystemExit('downloaded bytes differ')


if __name__ == '__main__':
    main()
