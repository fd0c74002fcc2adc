"""Start-up cost of the SDK and of ``sbg --help``, against ``import
requests`` (which the SDK needs anyway).

    python benchmarks/import_time.py [--repeat 21]

Each round starts one fresh interpreter per probe, in an order that
rotates from round to round (so a slow patch of a loaded machine falls on
every probe alike):

- ``import requests`` and ``import sevenbridges``: the import alone, timed
  inside the process (the interpreter's own start-up is not counted);
- ``sbg --help``: from the same point, importing the command line (which
  imports the package) and printing the help, as the ``sbg`` console
  script does;
- the whole process of each, timed from outside, beside ``python -c pass``
  (the interpreter alone).

Inside the process both clocks are read: wall time (what a person waits
for) and the process's CPU time, which other work on a loaded machine
barely moves. Printed: the median of each probe with its spread
(quartiles and extremes), the differences of the medians, and the two
goals of issue 24 on each clock: ``import sevenbridges`` at most 30 ms
above ``import requests``, and ``sbg --help`` at most 1.5 times ``import
sevenbridges``.

The children cache bytecode as an installed package does (whatever
``PYTHONDONTWRITEBYTECODE`` says), in a temporary folder
(``PYTHONPYCACHEPREFIX``) filled by one round that is not counted: the
figures are imports, not compilations, and no ``__pycache__`` is left in
the checkout.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

START = 'import sys, time; wall, cpu = time.perf_counter(), time.process_time()'
STOP = ('print(time.perf_counter() - wall, time.process_time() - cpu, '
        'file=sys.stderr)')
IMPORT = f'{START}; import {{module}}; {STOP}'
HELP = (f'{START}; from sevenbridges.cli import main; '
        f'code = main(["--help"]); {STOP}; sys.exit(code)')

PROBES = {
    'import requests': IMPORT.format(module='requests'),
    'import sevenbridges': IMPORT.format(module='sevenbridges'),
    'sbg --help': HELP,
    'python -c pass': 'pass',
}
TIMED = ['import requests', 'import sevenbridges', 'sbg --help']

#: Issue 24: the SDK's own import at most this many seconds above requests.
ABOVE_REQUESTS = 0.030
#: Issue 24: ``sbg --help`` at most this many times ``import sevenbridges``.
HELP_RATIO = 1.5


def run_probe(code, env):
    """((wall, cpu) seconds inside the process, or None; wall seconds of
    the whole process) of one fresh interpreter running ``code``."""
    start = time.perf_counter()
    out = subprocess.run([sys.executable, '-c', code], capture_output=True,
                         text=True, check=True, env=env)
    whole = time.perf_counter() - start
    lines = out.stderr.strip().splitlines()
    inside = tuple(map(float, lines[-1].split())) if lines else None
    return inside, whole


def spread(seconds):
    """``median (q1-q3, min-max)`` in milliseconds."""
    ms = sorted(s * 1000 for s in seconds)
    q1, _, q3 = statistics.quantiles(ms, n=4)
    return (f'{statistics.median(ms):7.1f} ms  (quartiles {q1:.1f}-{q3:.1f},'
            f' range {ms[0]:.1f}-{ms[-1]:.1f})')


def verdicts(clock, runs):
    """The two goals on one clock: ``runs`` maps a probe to its seconds,
    round by round."""
    median = {name: statistics.median(runs[name]) for name in TIMED}
    sdk, requests_ = median['import sevenbridges'], median['import requests']
    above = sdk - requests_
    paired = statistics.median(
        s - r for s, r in zip(runs['import sevenbridges'],
                              runs['import requests']))
    ratio = median['sbg --help'] / sdk
    print(f'{clock}:')
    print(f'  import sevenbridges - import requests: {above * 1000:.1f} ms '
          f'(median of the rounds\' differences: {paired * 1000:.1f} ms); '
          f'goal at most {ABOVE_REQUESTS * 1000:.0f} ms: '
          f'{"met" if above <= ABOVE_REQUESTS else "missed"}')
    print(f'  sbg --help / import sevenbridges: {ratio:.2f}x '
          f'({(median["sbg --help"] - sdk) * 1000:+.1f} ms); '
          f'goal at most {HELP_RATIO}x: '
          f'{"met" if ratio <= HELP_RATIO else "missed"}')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--repeat', type=int, default=21,
                        help='rounds (one process per probe each)')
    args = parser.parse_args()

    names = list(PROBES)
    wall = {name: [] for name in TIMED}
    cpu = {name: [] for name in TIMED}
    whole = {name: [] for name in names}
    with tempfile.TemporaryDirectory(prefix='import-time-') as bytecode:
        env = dict(os.environ, PYTHONPYCACHEPREFIX=bytecode)
        env.pop('PYTHONDONTWRITEBYTECODE', None)
        for code in PROBES.values():
            run_probe(code, env)
        for round_ in range(args.repeat):
            order = names[round_ % len(names):] + names[:round_ % len(names)]
            for name in order:
                inside, process = run_probe(PROBES[name], env)
                if name in TIMED:
                    wall[name].append(inside[0])
                    cpu[name].append(inside[1])
                whole[name].append(process)

    print(f'{args.repeat} rounds of fresh processes, alternated\n')
    print('inside the process, wall time (start-up not counted):')
    for name in TIMED:
        print(f'  {name:20} {spread(wall[name])}')
    print('inside the process, CPU time:')
    for name in TIMED:
        print(f'  {name:20} {spread(cpu[name])}')
    print('whole process, wall time:')
    for name in names:
        print(f'  {name:20} {spread(whole[name])}')
    print()
    verdicts('wall time', wall)
    verdicts('CPU time', cpu)


if __name__ == '__main__':
    main()
