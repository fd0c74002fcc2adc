"""A batch's status as a table, a dict, an HTML table; its cost; the record
read from task descriptions. Nothing is requested."""
import subprocess
import sys

from sevenbridges.batches.record import (
    Marker,
    build_record,
    description,
    marker_of,
)
from sevenbridges.batches.status import BatchStatus
from sevenbridges.models.task import Task

UUID = '00000000-0000-4000-8000-{:012d}'


def task(number, key, status, attempt=1, price=0.0, start=None, end=None,
         batch='b'):
    return Task(api=None, id=UUID.format(number), name=f'{batch} - {key}',
                status=status, price={'currency': 'USD', 'amount': price},
                start_time=start, end_time=end,
                description=description(Marker(batch, key, attempt)))


def status_of(tasks):
    return BatchStatus(build_record('b', 'u/p', tasks))


def test_the_marker_goes_into_the_description_and_back():
    marker = Marker('cohort 1', 'S<1>', 2, max_running=10, budget=5.0)
    text = description(marker)
    assert text == ('Row S<1> of batch cohort 1 (attempt 2).\nsbg-batch: '
                    '{"attempt": 2, "batch": "cohort 1", "budget": 5.0, '
                    '"key": "S<1>", "max_running": 10}')
    assert marker_of(text) == marker
    assert marker_of('a description') is None
    assert marker_of('sbg-batch: {not json') is None


def test_rows_are_the_last_attempts_with_the_price_of_all():
    status = status_of([
        task(1, 's2', 'FAILED', 1, 0.25),
        task(2, 's1', 'COMPLETED', 1, 1.0, '2026-01-01T10:00:00Z',
             '2026-01-01T10:01:30Z'),
        task(3, 's2', 'RUNNING', 2, 0.5, '2026-01-01T11:00:00Z'),
        task(4, 's3', 'COMPLETED', 1, 9.0, batch='other'),
        Task(api=None, id=UUID.format(5), name='x', status='QUEUED',
             description='no marker')])
    assert status.as_dict() == {
        'name': 'b', 'counts': {'COMPLETED': 1, 'RUNNING': 1},
        'rows': [{'key': 's1', 'task': UUID.format(2), 'status': 'COMPLETED',
                  'price': 1.0, 'duration': 90.0},
                 {'key': 's2', 'task': UUID.format(3), 'status': 'RUNNING',
                  'price': 0.75, 'duration': status.rows[1].duration}]}
    assert status.rows[1].duration > 0 and status.rows[1].attempt == 2
    assert not status.ended and not status.succeeded
    cost = status.cost(top=1)
    assert (cost.total, cost.mean, cost.most_expensive) == (
        1.75, 0.875, [('s1', 1.0)])
    assert str(cost) == ('total 1.75 USD, mean 0.88 per row; most '
                         'expensive: s1 1.00')


def test_the_status_prints_as_a_table_and_as_html():
    status = status_of([task(1, '<s1>', 'COMPLETED', 1, 0.5,
                             '2026-01-01T10:00:00Z', '2026-01-01T10:00:07Z')])
    assert str(status).splitlines() == [
        'batch b: 1 rows (COMPLETED 1)',
        'KEY   TASK                                  STATUS     DURATION  '
        'PRICE',
        f'<s1>  {UUID.format(1)}  COMPLETED  7s        0.50']
    html = status._repr_html_()
    assert '<td style="text-align:left">&lt;s1&gt;</td>' in html
    assert html.endswith('<p>COMPLETED: 1</p>')
    assert status.succeeded and status.ended


def test_import_sevenbridges_does_not_load_the_batches():
    code = ('import sys, sevenbridges\n'
            'assert "sevenbridges.batches" not in sys.modules\n'
            'api = sevenbridges.Api(url="https://api.sbgenomics.com/v2", '
            'token="t")\n'
            'assert api.batches is api.batches\n'
            'assert "sevenbridges.batches" in sys.modules\n')
    subprocess.run([sys.executable, '-c', code], check=True)
