"""The emulator's raw storage throughput, measured with ``curl`` (a client
that is not the SDK and not Python): N parallel ranged GETs against one
stream of the whole object, N parallel part PUTs against one PUT of the
whole object, on loopback or under a storage network profile.

    python benchmarks/emulator_io.py [--size-mib 512] [--streams 16 32]
        [--rate MIB_S] [--latency MS] [--aggregate-rate MIB_S]
        [--scratch DIR]

The object, the downloads and the emulator's data are on the disk file
system by default (a folder under the system's temporary directory, as
users run it; ``--scratch /dev/shm``: in memory); memory is as the host
gives it back. Parallel GETs write into one file at their offsets.

Target on loopback: the aggregate of 16 (and 32) parallel transfers at
least 80% of one stream's, both ways. ``benchmarks/transfer.py`` uses the
same raw baseline (``_harness.RawStorage``).
"""
import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import (  # noqa: E402
    GIB,
    MIB,
    ChildEmulator,
    RawStorage,
    new_project,
    random_file,
)


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
    parser.add_argument('--scratch', default=tempfile.gettempdir(),
                        help='where the object, the downloads and the '
                             'emulator\'s data go')
    args = parser.parse_args()
    size = args.size_mib * MIB
    with tempfile.TemporaryDirectory(dir=args.scratch) as folder, \
            ChildEmulator(args.rate, args.latency, args.aggregate_rate,
                          data_dir=os.path.join(folder,
                                                'emulator')) as emulator:
        api = emulator.api()
        source = os.path.join(folder, 'object.bin')
        random_file(source, size)
        raw = RawStorage(api, new_project(api), source, size, folder)
        print(f'emulator raw storage (curl), {args.size_mib} MiB, profile '
              f'{emulator.profile}, in {args.scratch}, median of '
              f'{args.runs} runs (emulator CPU s/GiB in brackets):')
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
