"""Simulated failures: the tasks the simulated engine makes fail, chosen
by name, as a test chooses which request fails with
:mod:`~sevenbridges.emulator.http.faults`::

    emu.task_failures.add(name=r'align - s07', times=1,
                          stderr=['samtools: truncated file', 'Aborted'])

or by an input value, which works from any client of any emulator (a
manifest's cell, a command line): a string input ``emulator-fail: <line>``
fails the task, every time, with ``<line>`` on its stderr.

A task that a rule or an input picks when it starts runs as long as any
other, then
fails: its job ends ``FAILED`` with the rule's ``stderr`` lines at the end
of its ``stderr`` log, and the task's message names the job, its exit code
and the last line (``Job file-report failed (exit code 1): Aborted``), as
a failed cwltool run says.
"""
import re
import threading
from typing import List, Optional, Sequence

DEFAULT_STDERR = ('Error: simulated failure (emulator task_failures rule)',)
#: A string input that starts so fails its task (:func:`asked_by_inputs`).
FAIL_PREFIX = 'emulator-fail:'


class FailureRule:
    """Fail tasks whose name matches ``name`` (a regular expression that
    matches the whole name), ``times`` of them (``None``: every one)."""

    def __init__(self, name: str, times: Optional[int],
                 stderr: Sequence[str], exit_code: int):
        if not isinstance(name, str):
            raise TypeError(f'name must be a string, not {name!r}.')
        if times is not None and (isinstance(times, bool)
                                  or not isinstance(times, int)
                                  or times < 1):
            raise ValueError(f'times must be at least 1 or None, not '
                             f'{times!r}.')
        if isinstance(stderr, str) or not stderr or \
                not all(isinstance(line, str) for line in stderr):
            raise TypeError(f'stderr must be a list of lines (strings), not '
                            f'{stderr!r}.')
        if isinstance(exit_code, bool) or not isinstance(exit_code, int) or \
                not 1 <= exit_code <= 255:
            raise ValueError(f'exit_code must be from 1 to 255, not '
                             f'{exit_code!r}.')
        self.pattern = re.compile(name)
        self.times = times
        self.stderr = list(stderr)
        self.exit_code = exit_code

    def __repr__(self):
        return (f'FailureRule(name={self.pattern.pattern!r}, times='
                f'{self.times}, exit_code={self.exit_code})')


class TaskFailures:
    """The rules of simulated failures (:attr:`Emulator.task_failures`)."""

    def __init__(self):
        self.rules: List[FailureRule] = []
        self._lock = threading.Lock()

    def add(self, name: str, times: Optional[int] = None,
            stderr: Sequence[str] = DEFAULT_STDERR,
            exit_code: int = 1) -> FailureRule:
        """Fail the next ``times`` tasks (every one for ``None``) whose
        name matches the regular expression ``name`` in full, each with
        ``stderr`` (lines) and ``exit_code``.

        :raises TypeError: a name or lines that are not strings.
        :raises ValueError: ``times`` below 1, an exit code outside 1-255,
            a name that is not a valid regular expression.
        """
        try:
            rule = FailureRule(name, times, stderr, exit_code)
        except re.error as error:
            raise ValueError(f'name is not a regular expression: {error}.') \
                from None
        with self._lock:
            self.rules.append(rule)
        return rule

    def clear(self):
        """Remove every rule."""
        with self._lock:
            self.rules.clear()

    def take(self, task_name: str) -> Optional[dict]:
        """The failure of a task named ``task_name`` that starts now
        (``{"stderr": [...], "exit_code": n}``), counted against its
        rule; ``None`` when no rule matches."""
        with self._lock:
            for rule in self.rules:
                if rule.pattern.fullmatch(task_name):
                    if rule.times is not None:
                        rule.times -= 1
                        if rule.times == 0:
                            self.rules.remove(rule)
                    return {'stderr': rule.stderr,
                            'exit_code': rule.exit_code}
        return None


def asked_by_inputs(inputs: dict) -> Optional[dict]:
    """The failure a task's inputs ask for: a string value (or a string in
    a list) ``emulator-fail: <line>`` fails it with ``<line>`` on stderr
    and exit code 1; ``None`` when none does."""
    for value in inputs.values():
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item.startswith(FAIL_PREFIX):
                line = item[len(FAIL_PREFIX):].strip() or DEFAULT_STDERR[0]
                return {'stderr': [line], 'exit_code': 1}
    return None
