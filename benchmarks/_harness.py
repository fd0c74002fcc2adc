"""What the benchmarks share: the emulator in a child process, the meters
of CPU seconds and resident memory, scratch space, test data, and the raw
storage baseline of ``curl``.

A benchmark imports it as ``from _harness import ...`` (the benchmarks
folder is on ``sys.path`` when a benchmark runs as a script).
"""
import argparse
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time

import sevenbridges as sbg

KIB = 1024
MIB = 1024 * KIB
GIB = 1024 * MIB

#: Where the benchmarks keep their sources and downloads: in memory where
#: possible, so that the disk's write-back does not decide. (The emulator
#: keeps its state in the default temporary folder, as users run it,
#: unless a benchmark gives it a ``data_dir``.)
SCRATCH = '/dev/shm' if os.path.isdir('/dev/shm') else None


def _leave_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


# A benchmark stopped by SIGTERM (``timeout``, a CI limit) unwinds, so that
# its scratch folders (hundreds of MiB in memory under /dev/shm) are
# removed: left behind, they starve the page cache of later runs, and
# those runs measure the machine's memory pressure instead of the code.
signal.signal(signal.SIGTERM, _leave_on_sigterm)


# -- meters -------------------------------------------------------------------

def cpu_seconds(pid=None):
    """CPU seconds (user and system) of this process, or of the child
    process ``pid`` (``None`` without ``/proc``)."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    try:
        with open(f'/proc/{pid}/stat') as fp:
            fields = fp.read().rsplit(')', 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')


def children_cpu_seconds():
    """CPU seconds of the finished child processes (``curl``)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _status_mib(field):
    """A ``kB`` field of ``/proc/self/status`` in MiB (``None`` without
    it)."""
    try:
        with open('/proc/self/status') as fp:
            for line in fp:
                if line.startswith(field + ':'):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def rss_mib():
    """This process's resident memory now, in MiB."""
    return _status_mib('VmRSS') or 0.0


#: The highest resident memory (MiB) seen before :func:`_reset_peak` last
#: set the kernel's mark back.
_peak_before_resets = 0.0


def peak_rss_mib():
    """This process's highest resident memory so far, in MiB: its
    ``VmHWM``, since ``ru_maxrss`` also counts what the parent held when
    it forked this process (Linux keeps it across ``exec``), and the
    highest mark that :class:`Measured` set back."""
    peak = _status_mib('VmHWM')
    if peak is None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return max(peak, _peak_before_resets)


def _reset_peak():
    """Set the kernel's mark of the highest resident memory (``VmHWM``)
    back to the resident memory now (``/proc/self/clear_refs``, Linux
    4.0 and later); whether it could."""
    global _peak_before_resets
    before = _status_mib('VmHWM')
    try:
        with open('/proc/self/clear_refs', 'w') as fp:
            fp.write('5')
    except OSError:
        return False
    _peak_before_resets = max(_peak_before_resets, before or 0.0)
    return True


class Measured:
    """Wall seconds (:attr:`seconds`), CPU seconds of this process
    (:attr:`cpu`) and its highest resident memory (:attr:`peak`, MiB)
    while the block runs.

    The peak is the kernel's mark, set back when the block starts: no
    thread runs beside the measured code (a sampler waking every 20 ms
    spent CPU that counted as the code's, the more the longer it ran).
    Where the mark cannot be set back, a thread samples the resident
    memory every 20 ms instead.
    """

    def __enter__(self):
        self.peak = rss_mib()
        self._thread = None
        if not _reset_peak():
            self._done = threading.Event()
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()
        self._cpu, self._began = cpu_seconds(), time.perf_counter()
        return self

    def _sample(self):
        while not self._done.wait(0.02):
            self.peak = max(self.peak, rss_mib())

    def __exit__(self, *exc):
        self.seconds = time.perf_counter() - self._began
        self.cpu = cpu_seconds() - self._cpu
        if self._thread is None:
            self.peak = max(self.peak, _status_mib('VmHWM') or 0.0)
        else:
            self._done.set()
            self._thread.join()


def median(measures, key=lambda measure: measure.seconds):
    """The middle one of ``measures`` by ``key`` (the upper of two)."""
    ordered = sorted(measures, key=key)
    return ordered[len(ordered) // 2]


# -- one measured transfer in a fresh Python process ---------------------------

class Figures:
    """What a fresh process measured (as :class:`Measured` has them)."""

    def __init__(self, seconds, cpu, peak):
        self.seconds, self.cpu, self.peak = seconds, cpu, peak


def in_fresh_process(script, order):
    """Run ``python SCRIPT --child ORDER`` (``order`` a dict, as JSON): a
    new Python process that measures one thing and answers with
    :func:`answer_parent`. ``(Figures, the rest of its answer)``."""
    answer = json.loads(subprocess.run(
        [sys.executable, os.path.abspath(script), '--child',
         json.dumps(order)],
        check=True, stdout=subprocess.PIPE, text=True).stdout)
    figures = Figures(answer.pop('seconds'), answer.pop('cpu'),
                      answer.pop('peak'))
    return figures, answer


def answer_parent(measured, **answer):
    """In the process of :func:`in_fresh_process`: print what ``measured``
    (a :class:`Measured`) saw, and ``answer``, as JSON on standard output.
    The peak is the process's, imports included."""
    print(json.dumps(dict(answer, seconds=measured.seconds,
                          cpu=measured.cpu,
                          peak=max(measured.peak, peak_rss_mib()))))


# -- the emulator in a child process ------------------------------------------

class ChildEmulator:
    """``python -m sevenbridges.emulator`` in a child process, so that its
    CPU and memory are not the client's.

    :param rate: storage MiB/s per connection.
    :param latency: storage milliseconds to the first byte.
    :param aggregate_rate: storage MiB/s of all connections.
    :param preload: a preload JSON file.
    :param data_dir: where it keeps its state.
    :param rate_limit: ``'requests/seconds'`` of the API's rate limit.
    :param api_latency: milliseconds added to every API request (a fault
        of the emulator's, set once it runs).
    """

    def __init__(self, rate=None, latency=None, aggregate_rate=None,
                 preload=None, data_dir=None, rate_limit=None,
                 api_latency=None):
        self.options = []
        for option, value in (('--storage-rate', rate),
                              ('--storage-latency', latency),
                              ('--storage-aggregate-rate', aggregate_rate),
                              ('--preload', preload),
                              ('--rate-limit', rate_limit),
                              ('--data-dir', data_dir)):
            if value is not None:
                self.options += [option, str(value)]
        self.api_latency = api_latency

    def __enter__(self):
        self.process = subprocess.Popen(
            [sys.executable, '-m', 'sevenbridges.emulator', *self.options],
            stdout=subprocess.PIPE, text=True)
        ready = json.loads(self.process.stdout.readline())
        self.url, self.token = ready['url'], ready['token']
        self.profile = ready['storage_profile']
        if self.api_latency:
            admin = self.url.replace('/v2', '/_emulator/faults')
            self.api().session.post(admin, data=json.dumps({
                'listener': 'api', 'delay': self.api_latency / 1000,
                'times': None}))
        return self

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(30)

    def cpu_seconds(self):
        """The emulator's CPU seconds so far (``None`` without ``/proc``)."""
        return cpu_seconds(self.process.pid)

    def api(self, workers=None):
        """A client; ``workers`` bounds both pools (default: the SDK's)."""
        return client(self.url, self.token, workers)


def unpaced_emulator(scratch, preload, latency):
    """A :class:`ChildEmulator` with ``preload``, its data in
    ``scratch/emulator``, ``latency`` milliseconds (0: none) added to every
    API and storage request, and a rate limit no run reaches (nothing is
    paced)."""
    return ChildEmulator(latency=latency or None, preload=preload,
                         data_dir=os.path.join(scratch, 'emulator'),
                         rate_limit='10000000/300', api_latency=latency)


def scratch_with_preload(document, where=SCRATCH):
    """A new scratch folder in ``where`` (default: in memory where the
    machine has /dev/shm) holding the client's cache (``XDG_CACHE_HOME``)
    and ``preload.json``, the emulator's preload ``document``:
    ``(scratch, preload path)``."""
    scratch = tempfile.mkdtemp(dir=where)
    os.environ['XDG_CACHE_HOME'] = os.path.join(scratch, 'cache')
    preload = os.path.join(scratch, 'preload.json')
    with open(preload, 'w') as fp:
        json.dump(document, fp)
    return scratch, preload


def client(url, token, workers=None):
    """A client of ``url``; ``workers`` bounds both transfer pools
    (default: the SDK's)."""
    pools = {} if workers is None else {
        'upload_max_workers': workers, 'download_max_workers': workers}
    return sbg.Api(url=url, token=token, **pools)


# -- data ---------------------------------------------------------------------

def new_project(api):
    """A new project of the first billing group."""
    group = api.billing_groups.query()[0]
    return api.projects.create(name=f'bench-{time.time_ns()}',
                               billing_group=group)


def random_file(path, size):
    """Write ``size`` random bytes to ``path``."""
    with open(path, 'wb') as fp:
        for _ in range(size // MIB):
            fp.write(os.urandom(MIB))
        fp.write(os.urandom(size % MIB))


def digest(path):
    """The SHA-256 of the file at ``path`` (hex)."""
    sha = hashlib.sha256()
    with open(path, 'rb') as fp:
        for chunk in iter(lambda: fp.read(MIB), b''):
            sha.update(chunk)
    return sha.hexdigest()


def add_regime_arguments(parser, scratch_help):
    """The options of the measuring regime that ``transfer.py`` and
    ``filesystem.py`` share: ``--scratch``, ``--memory``, ``--idle``,
    ``--process`` and the hidden ``--child`` of a fresh process."""
    parser.add_argument('--scratch', default=tempfile.gettempdir(),
                        help=f'where {scratch_help} go (default: the '
                             f'system\'s temporary directory; /dev/shm: in '
                             f'memory)')
    parser.add_argument('--memory', choices=('warm', 'as-is'),
                        default='as-is',
                        help='warm: free as much memory as the transfer '
                             'writes just before it (see warm_memory); '
                             'as-is: measure whatever memory the host '
                             'gives back')
    parser.add_argument('--idle', type=float, default=3.0,
                        help='with --memory as-is: seconds idle before '
                             'each measured transfer (default 3)')
    parser.add_argument('--process', choices=('fresh', 'same'),
                        default='fresh',
                        help='fresh: each measured transfer in a new '
                             'Python process; same: in this one')
    parser.add_argument('--child', help=argparse.SUPPRESS)


def memory_regime(args):
    """How the memory was measured, for the figures' heading."""
    return args.memory if args.memory == 'warm' else \
        f'{args.memory} (after {args.idle:g} s idle)'


def settle(idle):
    """Before a measured transfer in the as-is regime: let the disk finish
    what earlier transfers left in the page cache (``os.sync``: the
    emulator's copy of a file just uploaded is still being written back,
    and the next transfer, SDK or raw, would share the disk with that
    write-back, which no user meets: the platform's storage is not the
    user's disk), then idle ``idle`` seconds, long enough for the host to
    take back memory freed just before, as it has when a user starts a
    transfer."""
    os.sync()
    if idle:
        time.sleep(idle)


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


# -- the raw baseline: curl against the emulator's storage --------------------

def run_curls(commands):
    """Run ``curl`` commands side by side (each a list of arguments, or a
    pair of them and the descriptor its standard output goes to);
    ``(seconds, their CPU seconds)``."""
    cpu = children_cpu_seconds()
    began = time.perf_counter()
    processes = []
    for command in commands:
        output = None
        if isinstance(command, tuple):
            command, output = command
        processes.append(subprocess.Popen(
            ['curl', '--silent', '--show-error', '--fail', *command],
            stdout=output))
    failed = [process.wait() for process in processes]
    seconds = time.perf_counter() - began
    if any(failed):
        raise SystemExit(f'curl failed: {failed}')
    return seconds, children_cpu_seconds() - cpu


def read_through(url):
    """GET ``url`` once into nothing, so that the emulator serves the
    object from its page cache afterwards: its files are on the client's
    disk here, and a first read from that disk would contend with the
    client's own writes, which a platform's storage does not. Done before
    the SDK's and the raw client's measured downloads alike."""
    subprocess.run(['curl', '--silent', '--show-error', '--fail',
                    '--output', os.devnull, url], check=True)


def ranges(size, count):
    """``count`` contiguous ``(start, end)`` ranges covering ``size``."""
    step = -(-size // count)
    return [(start, min(start + step, size) - 1)
            for start in range(0, size, step)]


def curl_get(url, size, streams, target):
    """``streams`` parallel ranged GETs of the object, each written into
    the one file ``target`` at its offset (each ``curl`` writes to its own
    descriptor of the file, positioned at its range's start: no pipe, no
    copy); 1: one GET of the whole object. The file is removed after."""
    try:
        return curl_get_many([(url, size, target)], streams)
    finally:
        if os.path.exists(target):
            os.remove(target)


def curl_get_many(objects, streams):
    """:func:`curl_get` of several objects side by side: ``objects`` are
    ``(url, size, target)``, each fetched in ``streams`` ranged GETs (1:
    one GET of the whole object), all at once; ``(seconds, CPU
    seconds)``. The targets are left in place."""
    descriptors = []
    try:
        commands = []
        for url, size, target in objects:
            with open(target, 'wb'):
                pass
            for start, end in ranges(size, streams):
                descriptor = os.open(target, os.O_WRONLY)
                descriptors.append(descriptor)
                os.lseek(descriptor, start, os.SEEK_SET)
                command = ['--output', '-', url]
                if streams > 1:
                    command[:0] = ['--range', f'{start}-{end}']
                commands.append((command, descriptor))
        result = run_curls(commands)
        for _url, size, target in objects:
            if os.path.getsize(target) != size:
                raise SystemExit(f'curl wrote {os.path.getsize(target)} '
                                 f'bytes, not {size}')
        return result
    finally:
        for descriptor in descriptors:
            os.close(descriptor)


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
        read_through(self.url)

    def get(self, streams):
        return curl_get(self.url, self.size, streams,
                        os.path.join(self.folder, 'raw-download.bin'))

    def put(self, streams):
        if streams not in self._parts:
            self._parts[streams] = ([self.source] if streams == 1 else
                                    split_parts(self.source, self.size,
                                                streams, self.folder))
        return curl_put(self.api, self.project.id, self._parts[streams])
