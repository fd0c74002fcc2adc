"""A batch of simulated tasks on the emulator: requests to launch it, to
watch it, and to launch it again once it has ended.

    python benchmarks/batches.py [--rows 500] [--task-seconds 1] [--period 1]

The emulator (a child process, the platform's default rate limit of 1,000
requests per 5 minutes, tasks simulated for ``--task-seconds`` queued and
as long running) holds a project with ten read files in ``fastq/`` and a
line-counting app. The client launches a manifest of ``--rows`` rows (each
row's file by its project path), watches the batch until every task has
ended (a round every ``--period`` seconds), then launches the same
manifest again. Every request the client sends is counted (a response
hook), and so are the answers of 429.

Targets (issue 28): at most ``rows + 20`` requests to launch (one per
task plus the listings), at most ceil(running / 100) + 1 requests per
status round, no answer of 429, and a second launch in at most 10
requests that creates nothing. The last line names each target with its
figure and says met or missed.
"""
import argparse
import math
import os
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import ChildEmulator, Measured  # noqa: E402

COUNTER = {
    'cwlVersion': 'v1.0', 'class': 'CommandLineTool',
    'baseCommand': ['wc', '-l'], 'stdout': 'counts.txt',
    'inputs': [{'id': 'reads', 'type': 'File',
                'inputBinding': {'position': 1}},
               {'id': 'threads', 'type': 'int?'}],
    'outputs': [{'id': 'counts', 'type': 'stdout'}]}
ACTIVE = ('QUEUED', 'RUNNING')


class Counter:
    """Every response the client gets: how many, and how many were
    429."""

    def __init__(self, api):
        self.sent = 0
        self.limited = 0
        api.session.hooks['response'].append(self)

    def __call__(self, response, *args, **kwargs):
        self.sent += 1
        self.limited += response.status_code == 429


def setting(api, folder):
    """A project with ``fastq/s00.fastq``... and the app."""
    group = api.billing_groups.query()[0]
    project = api.projects.create(name=f'batch-{time.time_ns()}',
                                  billing_group=group)
    local = os.path.join(folder, 'fastq')
    os.makedirs(local)
    for index in range(10):
        with open(os.path.join(local, f's{index:02}.fastq'), 'w') as fp:
            fp.write('@r\nACGT\n+\nIIII\n' * (index + 1))
    api.folders.upload(folder, project=project)
    app = api.apps.install_app(id=f'{project.id}/counter', raw=COUNTER)
    return project, app


def verdict(name, figure, target, met):
    return f'{name} {figure} (target {target}) {"met" if met else "MISSED"}'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--rows', type=int, default=500)
    parser.add_argument('--task-seconds', type=float, default=1.0)
    parser.add_argument('--period', type=float, default=1.0)
    args = parser.parse_args()
    rows = [{'sample': f's{index:04}',
             'reads': f'fastq/s{index % 10:02}.fastq',
             'threads': str(index % 4 + 1)} for index in range(args.rows)]
    emulator = ChildEmulator(rate_limit='1000/300')
    emulator.options += ['--task-seconds', str(args.task_seconds),
                         '--engine', 'simulated']
    with tempfile.TemporaryDirectory() as folder, emulator:
        api = emulator.api()
        project, app = setting(api, folder)
        counter = Counter(api)

        before = counter.sent
        with Measured() as launching:
            launch = api.batches.launch(rows, app=app.id, project=project.id,
                                        name='bench')
        launch_requests = counter.sent - before
        print(f'launch: {launch} in {launch_requests} requests, '
              f'{launching.seconds:.1f} s (client CPU {launching.cpu:.1f} s)')

        rounds = []     # (requests so far, tasks running at that round)
        with Measured() as watching:
            final = launch.batch.watch(
                period=args.period, on_round=lambda status: rounds.append(
                    (counter.sent, sum(row.status in ACTIVE
                                       for row in status.rows))))
        per_round = [(after - before, math.ceil(active / 100) + 1)
                     for (before, active), (after, _) in
                     zip(rounds, rounds[1:])]
        worst = max(per_round, key=lambda pair: pair[0] - pair[1],
                    default=(0, 1))
        print(f'watch: {final.summary()} in {len(rounds)} rounds, '
              f'{watching.seconds:.1f} s (client CPU {watching.cpu:.1f} s); '
              f'requests per round {[sent for sent, _ in per_round]}')

        before = counter.sent
        again = api.batches.launch(rows, app=app.id, project=project.id,
                                   name='bench')
        again_requests = counter.sent - before
        created = sum(row.action != 'adopt' for row in again.rows)
        print(f'second launch: {again} in {again_requests} requests')
        print(f'conditions: {args.rows} rows, tasks {args.task_seconds} s '
              f'queued + {args.task_seconds} s running (simulated), watch '
              f'period {args.period} s, rate limit 1000/300 s, emulator '
              f'CPU {emulator.cpu_seconds() or 0:.1f} s, '
              f'{os.cpu_count()} cores')
        print('targets: ' + '; '.join([
            verdict('launch requests', launch_requests,
                    f'<= {args.rows + 20}', launch_requests <= args.rows + 20),
            verdict('requests per status round (worst)', worst[0],
                    f'<= ceil(running/100)+1 = {worst[1]}',
                    all(sent <= bound for sent, bound in per_round)),
            verdict('429 answers', counter.limited, '0',
                    counter.limited == 0),
            verdict('second launch', f'{again_requests} requests, '
                    f'{created} created', '<= 10 requests, 0 created',
                    again_requests <= 10 and created == 0)]))


if __name__ == '__main__':
    main()
