"""The emulator's cost of many simulated tasks: N tasks of about a second
each (``task_seconds`` queued, then as long running) launched at once and
run to completion under the limit on parallel instances, and what a step
of the state machine costs while the queue waits for the limit.

    python benchmarks/emulator_tasks.py [--tasks 1000] [--limit 25 100]
        [--task-seconds 0.5]

Tasks are created through the emulator's tasks service (not over HTTP:
the client's side is ``benchmarks/batches.py``), in the emulator's own
process, and its background runner moves them along as it does for any
client. CPU seconds are the process's (user and system).

Target: no thread per task, and a step with a full queue held by the limit
under a millisecond of CPU.
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from _harness import cpu_seconds  # noqa: E402

from sevenbridges.emulator import Emulator  # noqa: E402

APP = 'admin/sbg-public-data/file-report'


def launch(state, count):
    """``count`` tasks of one small file, queued now."""
    user = state.users.get('rfranklin')
    project = state.projects.create(user, {'name': 'Many tasks'})
    reads = state.files.add_file(project['id'], project['root_folder'],
                                 'reads.fq', content=b'@r\nACGT\n+\nIIII\n')
    for n in range(count):
        with state.store.transaction():
            state.tasks.create(user, {
                'project': project['id'], 'app': APP, 'name': f'row-{n}',
                'inputs': {'input_files': [{'class': 'File',
                                            'path': reads['id']}]}},
                run=True)


def run(count, limit, task_seconds):
    with Emulator(engine='simulated', task_seconds=task_seconds,
                  instance_limit=limit) as emu:
        threads = threading.active_count()
        started, cpu = time.time(), cpu_seconds()
        launch(emu.state, count)
        launched = time.time() - started
        most = 0
        while emu.state.tasks.active():
            most = max(most, len(emu.state.tasks.active(('RUNNING',))))
            time.sleep(0.1)
        wall, cpu = time.time() - started, cpu_seconds() - cpu
        assert threading.active_count() == threads
        print(f'{count} tasks, instance limit {limit}, task_seconds '
              f'{task_seconds}: launched in {launched:.2f} s, all ended in '
              f'{wall:.2f} s (at least '
              f'{task_seconds * (1 + count / limit):.1f} s), {cpu:.2f} CPU '
              f's ({cpu / count * 1000:.1f} ms a task), '
              f'at most {most} running, {threads} threads throughout')


def held_step(count):
    """CPU of one step while ``count - 1`` tasks wait for a limit of 1."""
    with Emulator(engine='simulated', task_seconds=0.01,
                  instance_limit=1) as emu:
        emu.state.runner.stop()
        launch(emu.state, count)
        clock = time.time() + 1
        emu.state.tasks.step(clock)
        cpu = cpu_seconds()
        for _ in range(200):
            emu.state.tasks.step(clock)
        return (cpu_seconds() - cpu) / 200 * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--tasks', type=int, default=1000)
    parser.add_argument('--limit', type=int, nargs='+', default=[25, 100])
    parser.add_argument('--task-seconds', type=float, default=0.5)
    args = parser.parse_args()
    for limit in args.limit:
        run(args.tasks, limit, args.task_seconds)
    step = held_step(args.tasks)
    print(f'a step with {args.tasks - 1} tasks held by the limit: '
          f'{step:.3f} CPU ms (target under 1 ms: '
          f'{"met" if step < 1 else "missed"})')


if __name__ == '__main__':
    main()
