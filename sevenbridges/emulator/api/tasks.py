"""``/tasks`` and ``/bulk/tasks``."""
from sevenbridges.emulator.api.render import base, resource, selected
from sevenbridges.emulator.api.routing import Router, body, outcomes, page

router = Router(__name__)


def task_json(request, task):
    """A task, with only the ``fields`` the query asks for
    (:func:`~sevenbridges.emulator.api.render.selected`)."""
    return selected(resource(request, task, 'tasks'),
                    request.args.get('fields'))


@router.route('/tasks', 'GET')
def query_tasks(api, request, user):
    return page(request, api.tasks.query(user, request.args),
                lambda task: task_json(request, task))


@router.route('/tasks', 'POST')
def create_task(api, request, user):
    task = api.tasks.create(user, body(request),
                            run=request.args.get('action') == 'run',
                            batch=request.args.get('batch') != 'False')
    return 201, task_json(request, task)


@router.route('/bulk/tasks/get', 'POST')
def bulk_get_tasks(api, request, user):
    task_ids = api.tasks.bulk_ids(body(request).get('task_ids'))
    return outcomes(task_ids, lambda task_id: api.tasks.get(user, task_id),
                    lambda task: task_json(request, task))


@router.route('/tasks/<task_id>', 'GET')
def get_task(api, request, user, task_id):
    return task_json(request, api.tasks.get(user, task_id))


@router.route('/tasks/<task_id>', 'PATCH')
def patch_task(api, request, user, task_id):
    return task_json(request, api.tasks.update(user, task_id,
                                               body(request)))


@router.route('/tasks/<task_id>', 'DELETE')
def delete_task(api, request, user, task_id):
    api.tasks.delete(user, task_id)
    return 204, {}


@router.route('/tasks/<task_id>/actions/run', 'POST')
def run_task(api, request, user, task_id):
    return task_json(request, api.tasks.run(
        user, task_id, batch=request.args.get('batch') != 'False'))


@router.route('/tasks/<task_id>/actions/abort', 'POST')
def abort_task(api, request, user, task_id):
    return task_json(request, api.tasks.abort(user, task_id))


@router.route('/tasks/<task_id>/actions/clone', 'POST')
def clone_task(api, request, user, task_id):
    return task_json(request, api.tasks.clone(
        user, task_id, run=request.args.get('action') == 'run'))


@router.route('/tasks/<task_id>/execution_details', 'GET')
def execution_details(api, request, user, task_id):
    details = api.tasks.execution_details(user, task_id, base(request))
    return dict(details, href=f'{base(request)}/tasks/{task_id}/'
                              f'execution_details')
