"""The process a real run lives in (never the emulator's own):

    python -m sevenbridges.emulator.engines.cwl_worker RUN_FOLDER -- ARGS

runs cwltool with ``ARGS`` (its output object goes to
``RUN_FOLDER/outputs.json``, its log to this process's stderr) and keeps,
for each job (each tool process cwltool starts):

- its stdout and stderr apart, in ``RUN_FOLDER/logs/<n>/stdout`` and
  ``stderr``, growing while the job runs (when the tool sends them to
  files of its own, the logs are those files);
- a journal, ``RUN_FOLDER/jobs.jsonl``: one JSON line when a job starts
  (``event: start``, ``number``, ``name``, ``command_line``, ``stdout``,
  ``stderr``, ``time``) and one when it ends (``event: end``, ``number``,
  ``exit_code``, ``time``).

cwltool is only imported here. The job hook wraps cwltool's one function
that starts tool processes; it passes every argument through.
"""
import inspect
import itertools
import json
import os
import shlex
import sys
import threading
import time

JOURNAL = 'jobs.jsonl'
OUTPUTS = 'outputs.json'


class Journal:
    """The journal of a run's jobs, written line by line as they happen."""

    def __init__(self, folder: str):
        self.folder = folder
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    def number(self) -> int:
        with self._lock:
            return next(self._numbers)

    def write(self, **event):
        event['time'] = time.time()
        with self._lock, open(os.path.join(self.folder, JOURNAL), 'a',
                              encoding='utf-8') as fp:
            fp.write(json.dumps(event) + '\n')


def _log_file(path: str, declared):
    """Create the log ``path``; when the tool writes that stream to a
    file of its own (``declared``), the log is that file."""
    if declared:
        os.makedirs(os.path.dirname(declared) or '.', exist_ok=True)
        open(declared, 'wb').close()
        try:
            os.link(declared, path)
            return
        except OSError:         # no hard links here: the log stays empty
            pass
    open(path, 'wb').close()


def job_hook(start_process, journal: Journal):
    """``start_process`` (cwltool's ``_job_popen``) with each job's logs
    and journal entries. (A cwltool without ``default_stdout`` sends what
    the tool does not redirect to its own log.)"""
    takes_defaults = 'default_stdout' in \
        inspect.signature(start_process).parameters

    def start_job(commands, *args, **kwargs):
        number = journal.number()
        folder = os.path.join(journal.folder, 'logs', str(number))
        os.makedirs(folder, exist_ok=True)
        stdout = os.path.join(folder, 'stdout')
        stderr = os.path.join(folder, 'stderr')
        _log_file(stdout, kwargs.get('stdout_path'))
        _log_file(stderr, kwargs.get('stderr_path'))
        code = None
        with open(stdout, 'ab') as out, open(stderr, 'ab') as err:
            if takes_defaults:
                kwargs.update(default_stdout=out, default_stderr=err)
            journal.write(event='start', number=number,
                          name=kwargs.get('name') or f'job{number}',
                          command_line=' '.join(shlex.quote(str(part))
                                                for part in commands),
                          stdout=stdout, stderr=stderr)
            try:
                code = start_process(commands, *args, **kwargs)
                return code
            finally:
                journal.write(event='end', number=number, exit_code=code)

    return start_job


def main(argv):
    folder, separator, *args = argv
    if separator != '--':
        raise SystemExit('usage: cwl_worker RUN_FOLDER -- CWLTOOL_ARGS')
    import cwltool.job
    import cwltool.main
    cwltool.job._job_popen = job_hook(cwltool.job._job_popen,
                                      Journal(folder))
    with open(os.path.join(folder, OUTPUTS), 'w', encoding='utf-8') as out:
        return cwltool.main.run(argsl=args, stdout=out)


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
