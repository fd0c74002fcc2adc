"""Time of ``import sevenbridges`` in a fresh interpreter (target 0.12 s).

    python benchmarks/import_time.py [--repeat R]

Each run starts a new interpreter and times the import alone (the
interpreter's own start-up is not counted). The import loads the whole
client (requests, every model, transfers); the emulator is not loaded.
"""
import argparse
import statistics
import subprocess
import sys

PROBE = ('import time; t = time.perf_counter(); import {module}; '
         'print(time.perf_counter() - t)')


def import_seconds(module):
    out = subprocess.run([sys.executable, '-c', PROBE.format(module=module)],
                         capture_output=True, text=True, check=True)
    return float(out.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=15)
    args = parser.parse_args()
    timings = [import_seconds('sevenbridges') for _ in range(args.repeat)]
    print(f'import sevenbridges: median '
          f'{statistics.median(timings) * 1000:.1f} ms, max '
          f'{max(timings) * 1000:.1f} ms (target: 120 ms)')


if __name__ == '__main__':
    main()
