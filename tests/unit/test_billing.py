"""Billing groups, breakdowns, invoices and their compound values."""
from datetime import datetime

import pytest

from sevenbridges import errors
from sevenbridges.models.billing_analysis_breakdown import (
    BillingGroupAnalysisBreakdown,
)
from sevenbridges.models.billing_egress_breakdown import (
    BillingGroupEgressBreakdown,
)
from sevenbridges.models.billing_group import BillingGroup
from sevenbridges.models.billing_storage_breakdown import (
    BillingGroupStorageBreakdown,
)
from sevenbridges.models.compound.analysis_cost import AnalysisCost
from sevenbridges.models.compound.analysis_cost_breakdown import (
    AnalysisCostBreakdown,
)
from sevenbridges.models.compound.billing.invoice_period import InvoicePeriod
from sevenbridges.models.compound.billing.project_breakdown import (
    ProjectBreakdown,
)
from sevenbridges.models.compound.billing.task_breakdown import TaskBreakdown
from sevenbridges.models.compound.egress_cost import EgressCost
from sevenbridges.models.compound.measurement import Measurement, StorageCost
from sevenbridges.models.compound.price import Price
from sevenbridges.models.compound.price_breakdown import Breakdown
from sevenbridges.models.invoice import Invoice
from tests.conftest import BASE, path_of, query_of

BG = '3ae7d1d4-8f02-4d7e-9d2b-8a8bd7a0d0f1'
GROUP = {'href': f'{BASE}/billing/groups/{BG}', 'id': BG,
         'owner': 'rfranklin', 'name': 'Lab', 'type': 'regular',
         'pending': False, 'disabled': False,
         'balance': {'currency': 'USD', 'amount': '120.5'}}
INVOICE = {'href': f'{BASE}/billing/invoices/inv1', 'id': 'inv1',
           'pending': True,
           'analysis_costs': {'currency': 'USD', 'amount': 3,
                              'breakdown': {'storage': '1',
                                            'computation': '2'}},
           'storage_costs': {'currency': 'USD', 'amount': 1.5},
           'total': {'currency': 'USD', 'amount': 4.5},
           'invoice_period': {'from': '2020-01-01T00:00:00Z',
                              'to': '2020-01-31T23:59:59.5Z'}}


def page(items):
    return {'json': {'href': 'x', 'items': items, 'links': []},
            'headers': {'X-Total-Matching-Query': str(len(items))}}


def test_billing_groups(api, mocked):
    mocked.get(BASE + '/billing/groups', **page([GROUP]))
    mocked.get(f'{BASE}/billing/groups/{BG}', json=GROUP)
    groups = api.billing_groups.query(offset=1, limit=2)
    assert query_of(mocked.calls[0].request) == {
        'offset': ['1'], 'limit': ['2'], 'fields': ['_all']}
    group = groups[0]
    assert (group.id, group.name, group.owner, group.type, group.pending,
            group.disabled) == (BG, 'Lab', 'rfranklin', 'regular', False,
                                False)
    assert isinstance(group.balance, Price) and group.balance.amount == 120.5
    assert str(group.balance) == '<Price: currency=USD, amount=120.5>'
    assert str(group) == repr(group) == f'<BillingGroup: id={BG}>'
    assert api.billing_groups.get(BG) == group
    with pytest.raises(errors.SbgError, match='Resource can not be deleted!'):
        group.delete()
    with pytest.raises(errors.ValidationError):
        BillingGroup(id='not-a-uuid')


BREAKDOWNS = [
    ('analysis_breakdown', BillingGroupAnalysisBreakdown, 'analysis'),
    ('storage_breakdown', BillingGroupStorageBreakdown, 'storage'),
    ('egress_breakdown', BillingGroupEgressBreakdown, 'egress'),
]


@pytest.mark.parametrize('method,cls,path', BREAKDOWNS)
def test_breakdowns(api, mocked, method, cls, path):
    url = f'{BASE}/billing/groups/{BG}/breakdown/{path}'
    mocked.get(url, **page([{'project_name': 'demo'}]))
    group = BillingGroup(api=api, **GROUP)
    rows = getattr(group, method)(date_from='01-01-2020', fields='project_name',
                                  limit=0)
    request = mocked.calls[0].request
    assert path_of(request) == f'/v2/billing/groups/{BG}/breakdown/{path}'
    assert query_of(request) == {'date_from': ['01-01-2020'],
                                 'fields': ['project_name'], 'limit': ['100']}
    assert isinstance(rows[0], cls) and rows[0].project_name == 'demo'
    assert str(rows[0]) == repr(rows[0]) == f'<{cls.__name__}>'
    cls.query(BG, api=api, date_to='02-01-2020', invoice_id='inv1', offset=3)
    assert query_of(mocked.calls[1].request) == {
        'date_to': ['02-01-2020'], 'invoice_id': ['inv1'], 'offset': ['3']}
    with pytest.raises(errors.SbgError, match='Unable to retrieve'):
        cls.get('x', api=api)


def test_breakdown_compound_values():
    analysis = BillingGroupAnalysisBreakdown(
        analysis_cost={'currency': 'USD', 'amount': '2.00',
                       'breakdown': {'storage': '0.5', 'computation': 1,
                                     'data_transfer_in': 0}},
        time_started='2020-01-01T00:00:00Z', refunded_amount='0.25')
    assert isinstance(analysis.analysis_cost, AnalysisCost)
    assert str(analysis.analysis_cost) == \
        '<AnalysisCost: currency=USD, amount=2.00>'
    breakdown = analysis.analysis_cost.breakdown
    assert isinstance(breakdown, AnalysisCostBreakdown)
    assert (breakdown.storage, breakdown.computation) == (0.5, 1.0)
    assert str(breakdown) == ('<AnalysisCostBreakdown: storage=0.5, '
                              'computation=1.0, data_transfer_in=0.0>')
    assert analysis.refunded_amount == 0.25
    assert analysis.time_started == datetime(2020, 1, 1)
    storage = BillingGroupStorageBreakdown(
        active={'size': '10', 'unit': 'GB',
                'cost': {'amount': '1.2', 'currency': 'USD'}},
        archived=None)
    assert isinstance(storage.active, Measurement)
    assert str(storage.active) == '<Measurement size=10.0, unit=GB>'
    assert isinstance(storage.active.cost, StorageCost)
    assert str(storage.active.cost) == \
        '<Storage cost breakdown amount=1.2, currency=USD>'
    assert storage.archived is None
    egress = BillingGroupEgressBreakdown(
        downloaded={'size': 1, 'unit': 'GB'},
        egress_cost={'currency': 'USD', 'amount': '0.09'})
    assert isinstance(egress.egress_cost, EgressCost)
    assert str(egress.egress_cost) == '<EgressCost: currency=USD, amount=0.09>'
    assert egress.downloaded.size == 1.0


def test_invoices(api, mocked):
    mocked.get(BASE + '/billing/invoices', **page([INVOICE]))
    mocked.get(BASE + '/billing/invoices/inv1', json=INVOICE)
    invoices = api.invoices.query(limit=10)
    assert query_of(mocked.calls[0].request) == {'limit': ['10'],
                                                 'fields': ['_all']}
    invoice = api.invoices.get('inv1')
    assert isinstance(invoice, Invoice) and invoice == invoices[0]
    assert str(invoice) == '<Invoice: id=inv1>'
    assert invoice.pending is True
    assert invoice.analysis_costs.amount == 3.0
    assert isinstance(invoice.analysis_costs.breakdown, Breakdown)
    assert str(invoice.analysis_costs.breakdown) == \
        '<Breakdown: storage=1, computation=2>'
    assert invoice.total.amount == 4.5
    period = invoice.invoice_period
    assert isinstance(period, InvoicePeriod)
    assert (period.from_, period.to) == (
        datetime(2020, 1, 1), datetime(2020, 1, 31, 23, 59, 59, 500000))
    assert str(period) == ('<InvoicePeriod: from=2020-01-01 00:00:00, '
                           'to=2020-01-31 23:59:59.500000>')
    with pytest.raises(errors.ReadOnlyPropertyError):
        invoice.pending = False


def test_price_and_breakdown_strings():
    assert str(Breakdown(storage='1', computation='2', data_transfer='3')) \
        == '<Breakdown: storage=1, computation=2, data_transfer=3>'
    assert Price(amount=None).amount is None
    assert Price().amount is None


def test_project_and_task_breakdowns():
    project = ProjectBreakdown(
        href='h', analysis_spending={'currency': 'USD', 'amount': 5},
        task_breakdown=[{'href': 't1', 'runner_username': 'bob',
                         'task_cost': {'amount': 1, 'currency': 'USD'},
                         'time_started': '2020-01-01T00:00:00Z'}])
    assert str(project) == '<ProjectBreakdown: href=h>'
    task = project.task_breakdown[0]
    assert isinstance(task, TaskBreakdown)
    assert str(task) == '<TaskBreakdown: href=t1>'
    assert (task.runner_username, task.task_cost.amount) == ('bob', 1.0)
    assert task.time_started == datetime(2020, 1, 1)
    assert ProjectBreakdown(href='h').task_breakdown == []
