"""The money: invoices and billing-group breakdowns computed from the
emulator's own tasks, storage and downloads (egress).

Prices are the emulator's own, made up but stable: storage costs
``STORAGE_PRICE`` USD per GB-month, egress ``EGRESS_PRICE`` USD per GB, and a
task costs what its ``price`` says when it ends.
"""
import uuid
from datetime import datetime, timezone

from sevenbridges.emulator.state.common import now
from sevenbridges.emulator.state.errors import ApiError

STORAGE_PRICE = 0.023
EGRESS_PRICE = 0.09
GB = 1000 ** 3


def _gb(size):
    return round(size / GB, 9)


def _money(amount):
    return {'currency': 'USD', 'amount': round(amount, 6)}


def _period_start(clock=None):
    clock = clock or datetime.now(timezone.utc)
    return clock.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def _parse_day(value):
    """A ``MM-DD-YYYY`` (the platform's format) or ISO date, as text
    comparable with the stored ISO timestamps."""
    if not value:
        return None
    for pattern in ('%m-%d-%Y', '%Y-%m-%d'):
        try:
            return datetime.strptime(value, pattern).strftime('%Y-%m-%d')
        except ValueError:
            continue
    raise ApiError(400, f'Invalid date {value!r}: use MM-DD-YYYY.', 9000)


class Invoices:
    """Invoices and breakdowns of billing groups, and the ``egress``
    collection (what was downloaded, by whom, when).

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param billing: the :class:`~.billing.BillingGroups`.
    :param projects: the :class:`~.projects.Projects` billed.
    :param files: the :class:`~.files.Files` stored (storage costs).
    :param tasks: the :class:`~.tasks.Tasks` run (analysis costs).
    """

    def __init__(self, store, billing, projects, files, tasks):
        self.store = store
        self.billing = billing
        self.projects = projects
        self.files = files
        self.tasks = tasks

    def analysis_rows(self, user, group_id, since=None, until=None):
        group = self.billing.get(user, group_id)
        rows = []
        for project in self.projects.of_billing_group(group['id']):
            for task in self.tasks.of_project(project['id']):
                if task['batch'] or not task.get('start_time'):
                    continue
                day = task['start_time'][:10]
                if (since and day < since) or (until and day > until):
                    continue
                amount = (task.get('price') or {}).get('amount', 0.0)
                rows.append({
                    'project_name': project['name'],
                    'analysis_app_name': task['app'].split('/')[2],
                    'analysis_name': task['name'],
                    'analysis_type': 'TASK', 'analysis_id': task['id'],
                    'ran_by': task['executed_by'],
                    'analysis_status': task['status'],
                    'analysis_cost': {
                        'currency': 'USD', 'amount': str(amount),
                        'breakdown': {'storage': 0.0, 'computation': amount,
                                      'data_transfer_in': 0.0}},
                    'refunded_amount': 0.0,
                    'time_started': task['start_time'],
                    'time_finished': task.get('end_time'),
                    'project_locked': project['settings'].get('locked',
                                                              False)})
        return rows

    def storage_rows(self, user, group_id):
        group = self.billing.get(user, group_id)
        rows = []
        for project in self.projects.of_billing_group(group['id']):
            size = sum(file['size'] for file in
                       self.files.of_project(project['id'])
                       if file['type'] == 'file')
            rows.append({
                'project_name': project['name'],
                'project_created_by': project['created_by'],
                'location': 'aws:us-east-1',
                'active': {'size': _gb(size), 'unit': 'GB',
                           'cost': _money(_gb(size) * STORAGE_PRICE)},
                'archived': {'size': 0.0, 'unit': 'GB',
                             'cost': _money(0.0)},
                'project_locked': project['settings'].get('locked', False)})
        return rows

    def egress_rows(self, user, group_id, since=None, until=None):
        group = self.billing.get(user, group_id)
        rows = []
        for project in self.projects.of_billing_group(group['id']):
            by_user = {}
            for event in self.store.find('egress', project=project['id']):
                day = event['on'][:10]
                if (since and day < since) or (until and day > until):
                    continue
                by_user[event['username']] = \
                    by_user.get(event['username'], 0) + event['size']
            for username, size in sorted(by_user.items()):
                rows.append({
                    'project_name': project['name'],
                    'downloaded_by': username,
                    'downloaded': {'size': _gb(size), 'unit': 'GB'},
                    'egress_cost': {'currency': 'USD', 'amount': str(
                        round(_gb(size) * EGRESS_PRICE, 6))},
                    'project_locked': project['settings'].get('locked',
                                                              False)})
        return rows

    def record_download(self, user, file):
        """Count a download towards its project's egress."""
        if file.get('project'):
            self.store.put('egress', {
                'id': uuid.uuid4().hex, 'username': user['username'],
                'size': file['size'], 'on': now()}, project=file['project'])

    def invoices(self, user):
        """One pending invoice per billing group of the user: this month
        so far."""
        start = _period_start()
        since = start.strftime('%Y-%m-%d')
        found = []
        for group in self.billing.of(user):
            analysis = sum(float(row['analysis_cost']['amount']) for row in
                           self.analysis_rows(user, group['id'], since))
            storage = sum(row['active']['cost']['amount']
                          for row in self.storage_rows(user, group['id']))
            found.append({
                'id': str(uuid.uuid5(uuid.NAMESPACE_URL,
                                     f'{group["id"]}/{since}')),
                'pending': True, 'analysis_costs': _money(analysis),
                'storage_costs': _money(storage),
                'total': _money(analysis + storage),
                'invoice_period': {'from': start.strftime(
                    '%Y-%m-%dT%H:%M:%SZ'), 'to': now()},
                '_group': group['id']})
        return found

    def invoice(self, user, invoice_id):
        for invoice in self.invoices(user):
            if invoice['id'] == invoice_id:
                return invoice
        raise ApiError(404, f'Invoice {invoice_id} not found.', 5019)

    def breakdown_window(self, user, group_id, args):
        """The ``(since, until)`` days of a breakdown request: its dates, or
        the period of the invoice it names."""
        since = _parse_day(args.get('date_from'))
        until = _parse_day(args.get('date_to'))
        invoice_id = args.get('invoice_id')
        if invoice_id:
            invoice = self.invoice(user, invoice_id)
            if invoice['_group'] != group_id:
                raise ApiError(400, 'The invoice is not of this billing '
                                    'group.', 9000)
            since = invoice['invoice_period']['from'][:10]
            until = invoice['invoice_period']['to'][:10]
        return since, until

    def analysis_breakdown(self, user, group_id, args):
        """The analysis rows of the window ``args`` name (see
        :meth:`breakdown_window`)."""
        since, until = self.breakdown_window(user, group_id, args)
        return self.analysis_rows(user, group_id, since, until)

    def storage_breakdown(self, user, group_id, args):
        """The storage rows (now, whatever the window; it is checked)."""
        self.breakdown_window(user, group_id, args)
        return self.storage_rows(user, group_id)

    def egress_breakdown(self, user, group_id, args):
        """The egress rows of the window ``args`` name."""
        since, until = self.breakdown_window(user, group_id, args)
        return self.egress_rows(user, group_id, since, until)
