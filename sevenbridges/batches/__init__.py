"""Many tasks at once (``api.batches``): one app over a manifest of
samples, launched, watched, retried, collected and costed.

::

    rows = [{'sample': 'S1', 'reads': 'sample1.fastq'},
            {'sample': 'S2', 'reads': 'sample2.fastq'}]    # or 'samples.csv'
    launch = api.batches.launch(rows, app='rfranklin/demo/bwa-mem',
                                project='rfranklin/demo', name='cohort-1',
                                max_running=50)
    batch = launch.batch
    status = batch.watch(period=1)
    print(status.counts, batch.cost())

The platform is the record: each row's task is named ``<batch> - <key>``
and its description carries the batch, the key and the attempt, so a
launch repeated from any machine finds what exists and creates only the
rest. Status is read with listings and bulk calls (100 tasks per request),
never one request per task.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from sevenbridges.batches.batch import Batch, Failure
from sevenbridges.batches.launch import (
    Action,
    BatchValidationError,
    Launch,
    LaunchRow,
    check_rows,
    launch_rows,
)
from sevenbridges.batches.manifest import (
    Manifest,
    RowProblem,
    app_inputs,
    check_amount,
    check_text,
    read_manifest,
    typed_rows,
)
from sevenbridges.batches.outputs import OutputRow
from sevenbridges.batches.status import BatchStatus, Cost, RowStatus
from sevenbridges.errors import ValidationError
from sevenbridges.meta.arguments import check_count, check_flag
from sevenbridges.meta.transformer import Transform

if TYPE_CHECKING:
    from sevenbridges._types import Api, AppRef, ProjectRef

__all__ = ['Batches', 'Batch', 'Launch', 'LaunchRow', 'Action',
           'BatchStatus', 'RowStatus', 'Cost', 'Failure', 'OutputRow',
           'RowProblem', 'BatchValidationError']


class Batches:
    """Batches of tasks, bound to a client: ``api.batches``.

    :param api: the client.
    """

    def __init__(self, api: Api) -> None:
        self._api = api

    def __repr__(self) -> str:
        return f'<Batches of {self._api.url}>'

    def get(self, name: str, project: ProjectRef) -> Batch:
        """The batch ``name`` of a project (read when first used)."""
        return Batch(self._api, name, project)

    def launch(
            self, manifest: Manifest, app: AppRef, project: ProjectRef,
            name: str, key: str | None = None,
            max_running: int | None = None, budget: float | None = None,
            allow_partial: bool = False, dry_run: bool = False,
            relaunch: bool = False, max_attempts: int = 3,
            batch_by: str | None = None) -> Launch:
        """Launch the app on every row of ``manifest``.

        Every row is checked before anything launches: its values against
        the app's input types (numbers, booleans, enums, arrays), its
        required inputs, its files (found by id, by path in the project
        such as ``fastq/s01.fastq``, or by name), and the first new row's
        task is created as a draft for the platform's own check. Then the
        project's tasks are listed once: a row whose task exists is
        adopted (a draft is run), a failed or aborted row is launched again
        only with ``relaunch``, and each other row gets a task created and
        run in one request.

        :param manifest: a CSV or TSV file with a header row, or a list of
            dicts (``DataFrame.to_dict('records')``): one row per task,
            columns named by the app's input ids, and the key column.
        :param app: the app (id or ``App``; its latest revision, or the
            ``App``'s).
        :param project: where the tasks run (id or ``Project``).
        :param name: the batch's name.
        :param key: the key column (default: the first); sent only when it
            is an input of the app.
        :param max_running: tasks running at once at most; the other rows
            wait as drafts, started by :meth:`Batch.watch` as tasks end.
        :param budget: no new task starts once the batch's tasks cost this
            much (by their ``price``).
        :param allow_partial: launch the good rows when some are bad (the
            bad ones are in :attr:`Launch.problems`).
        :param dry_run: check everything and say what would happen
            (nothing is created).
        :param relaunch: launch failed and aborted rows again (a new
            attempt, up to ``max_attempts``).
        :param max_attempts: attempts per row in all, with ``relaunch``.
        :param batch_by: a metadata field: one native batch task whose
            children are the files of the one input that varies between
            rows, grouped by that field.
        :raises BatchValidationError: when any row is bad (and not
            ``allow_partial``); it lists each bad row with its reason and
            nothing was launched.
        :raises ValidationError: for a bad argument, a manifest with
            columns that are not inputs (nothing is sent but the app's
            read).
        """
        check_text('name', name)
        if not project:
            raise ValidationError('project is required.')
        project_id = Transform.to_project(project)
        check_count('max_running', max_running, optional=True)
        check_amount('budget', budget)
        for flag_name, flag in (('allow_partial', allow_partial),
                                ('dry_run', dry_run),
                                ('relaunch', relaunch)):
            check_flag(flag_name, flag)
        check_count('max_attempts', max_attempts)
        if batch_by is not None:
            check_text('batch_by', batch_by)
        rows = read_manifest(manifest)
        api = self._api
        app_object = app if not isinstance(app, str) else \
            api.apps.get(app, api=api)
        inputs = app_inputs(app_object.raw or {})
        typed = typed_rows(rows, inputs, key)
        problems = check_rows(api, project_id, typed, inputs)
        if problems and not allow_partial:
            raise BatchValidationError(problems)
        good = [row for row in typed if not row.problems]
        batch = Batch(api, name, project_id)
        if batch_by is not None:
            from sevenbridges.batches.native import launch_native
            launch = launch_native(api, batch, app_object, good, inputs,
                                   batch_by, dry_run)
        else:
            launch = launch_rows(api, batch, app_object, good, max_running,
                                 budget, relaunch, max_attempts, dry_run,
                                 allow_partial)
        launch.problems[:0] = problems
        return launch
