"""A batch of a real CWL tool: every row runs through cwltool in the
emulator (small inputs), outputs are real results.

Issue 28 asks for 200 rows; each costs a cwltool run (about a CPU second:
the 200 took 81 s on the 2-core development VM), and a quicker run is one
variable away::

    SBG_BATCH_CWL_ROWS=24 pytest tests/batches/test_cwltool.py
"""
import os

import pytest

from sevenbridges.emulator import engines
from tests.batches.conftest import sample_rows

pytestmark = [
    pytest.mark.skipif(not engines.cwltool_installed(),
                       reason='needs cwltool (emulator-cwl)'),
    pytest.mark.sbg_emulator(engine='cwltool', no_container=True,
                             task_seconds=0.05)]

#: Rows of the test.
ROWS = int(os.environ.get('SBG_BATCH_CWL_ROWS', '200'))


def test_a_batch_of_a_real_tool(setting, tmp_path):
    api, project, app = setting
    rows = sample_rows(ROWS)
    launch = api.batches.launch(rows, app=app.id, project=project.id,
                                name='real')
    final = launch.batch.watch(period=0.5)
    assert final.counts == {'COMPLETED': ROWS}
    launch.batch.download_outputs(str(tmp_path / 'out'))
    for index, row in enumerate(rows):
        [counts] = (tmp_path / 'out' / row['sample']).iterdir()
        lines = 4 * (index % 10 + 1)      # s00 has one record, s01 two...
        assert counts.read_text().split()[0] == str(lines)
    cost = launch.batch.cost()
    assert cost.total == pytest.approx(sum(row.price for row in final.rows))
