"""``python -m sevenbridges.emulator``: serve the emulator until SIGINT or
SIGTERM; print ``{"url", "token", "session_id", "storage_url",
"storage_profile"}`` as one JSON line when ready (``session_id`` is the
default user's)."""
import argparse
import json
import signal
import sys
import threading

from sevenbridges.emulator import Emulator


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m sevenbridges.emulator',
        description='A local emulator of the Seven Bridges platform.')
    parser.add_argument('--host', default='127.0.0.1')
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--data-dir', help='keep the state here')
    parser.add_argument('--token', help='the default user\'s token')
    parser.add_argument('--task-seconds', type=float, default=0.2,
                        help='how long tasks stay queued, then running')
    parser.add_argument('--rate-limit', default='10000/300',
                        help='requests per token and window: N/SECONDS')
    parser.add_argument('--faults', help='a JSON file of fault rules')
    parser.add_argument('--tls', action='store_true',
                        help='serve https with a certificate made at start')
    parser.add_argument('--preload', help='a JSON file of users, projects, '
                                          'files and apps to create')
    network = parser.add_argument_group(
        'storage network profile', 'make the storage listener behave like '
                                   'cloud object storage')
    network.add_argument('--storage-rate', type=float, metavar='MIB_S',
                         help='bandwidth cap per connection, MiB/s')
    network.add_argument('--storage-latency', type=float, metavar='MS',
                         help='milliseconds before each request\'s body is '
                              'read and its answer starts')
    network.add_argument('--storage-aggregate-rate', type=float,
                         metavar='MIB_S',
                         help='bandwidth cap of all connections, MiB/s')
    engines = parser.add_argument_group(
        'task engines', 'what runs tasks: cwltool runs CWL v1.x apps for '
                        'real, the simulation writes reports')
    engines.add_argument('--engine', default='auto',
                         choices=('auto', 'simulated', 'cwltool'),
                         help='auto: cwltool when it can run the app here '
                              '(default)')
    engines.add_argument('--no-container', action='store_true',
                         help='run tools that require a container on the '
                              'host')
    engines.add_argument('--max-parallel-runs', type=int, metavar='N',
                         help='real runs at once (default: the cores)')
    engines.add_argument('--instance-limit', type=int, metavar='N',
                         default=25,
                         help="tasks a user runs at once, the platform's "
                              "limit on parallel instances (default: 25)")
    args = parser.parse_args(argv)
    try:
        count, seconds = (int(part) for part in args.rate_limit.split('/'))
    except ValueError:
        parser.error('--rate-limit takes N/SECONDS, e.g. 1000/300')
    from sevenbridges.http.client import is_loopback
    if not is_loopback(args.host):
        parser.error('the emulator serves plain http: use a loopback host')
    try:
        emulator = Emulator(
            host=args.host, port=args.port, data_dir=args.data_dir,
            token=args.token, task_seconds=args.task_seconds,
            rate_limit=(count, seconds), faults=args.faults, tls=args.tls,
            preload=args.preload, storage_rate=args.storage_rate,
            storage_latency=args.storage_latency,
            storage_aggregate_rate=args.storage_aggregate_rate,
            engine=args.engine, no_container=args.no_container,
            max_parallel_runs=args.max_parallel_runs,
            instance_limit=args.instance_limit)
    except (TypeError, ValueError) as error:
        message = str(error)
        for name in ('storage_rate', 'storage_latency',
                     'storage_aggregate_rate', 'max_parallel_runs',
                     'instance_limit', 'engine'):
            message = message.replace(name, '--' + name.replace('_', '-'))
        parser.error(message)
    stopped = threading.Event()
    for name in ('SIGINT', 'SIGTERM'):
        signal.signal(getattr(signal, name), lambda *_: stopped.set())
    emulator.start()
    ready = {'url': emulator.url, 'token': emulator.token,
             'session_id': emulator.session_id(),
             'storage_url': emulator.storage_url,
             'storage_profile': emulator.storage_profile.as_dict()}
    if emulator.ca_cert:
        ready['ca_cert'] = emulator.ca_cert
    sys.stdout.write(json.dumps(ready) + '\n')
    sys.stdout.flush()
    try:
        stopped.wait()
    finally:
        emulator.stop()


if __name__ == '__main__':
    main()
