"""``/billing``: billing groups, their breakdowns, and invoices."""
from sevenbridges.emulator.api.render import public, resource, selected
from sevenbridges.emulator.api.routing import Router, page

router = Router(__name__)


def _rows(request, rows):
    """A page of breakdown rows (they have no href of their own), only
    the ``fields`` asked for (:func:`~..render.selected`)."""
    fields = request.args.get('fields')
    return page(request, rows,
                lambda row: selected(public(row), fields))


@router.route('/billing/groups', 'GET')
def billing_groups(api, request, user):
    return page(request, api.billing.of(user),
                lambda group: resource(request, group, 'billing/groups'))


@router.route('/billing/groups/<group_id>', 'GET')
def billing_group(api, request, user, group_id):
    return resource(request, api.billing.get(user, group_id),
                    'billing/groups')


@router.route('/billing/groups/<group_id>/breakdown/analysis', 'GET')
def analysis_breakdown(api, request, user, group_id):
    return _rows(request, api.invoices.analysis_breakdown(
        user, group_id, request.args))


@router.route('/billing/groups/<group_id>/breakdown/storage', 'GET')
def storage_breakdown(api, request, user, group_id):
    return _rows(request, api.invoices.storage_breakdown(
        user, group_id, request.args))


@router.route('/billing/groups/<group_id>/breakdown/egress', 'GET')
def egress_breakdown(api, request, user, group_id):
    return _rows(request, api.invoices.egress_breakdown(
        user, group_id, request.args))


@router.route('/billing/invoices', 'GET')
def query_invoices(api, request, user):
    return page(request, api.invoices.invoices(user),
                lambda invoice: resource(request, invoice,
                                         'billing/invoices'))


@router.route('/billing/invoices/<invoice_id>', 'GET')
def get_invoice(api, request, user, invoice_id):
    return resource(request, api.invoices.invoice(user, invoice_id),
                    'billing/invoices')
