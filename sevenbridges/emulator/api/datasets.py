"""``/datasets`` and their members."""
from sevenbridges.emulator.api.members import member_routes
from sevenbridges.emulator.api.render import resource
from sevenbridges.emulator.api.routing import Router, body, page

router = Router(__name__)


def dataset_json(request, dataset):
    return resource(request, dataset, 'datasets')


@router.route('/datasets', 'GET')
def query_datasets(api, request, user):
    datasets = api.datasets.query(user, request.args.get('visibility'))
    return page(request, datasets, lambda d: dataset_json(request, d))


@router.route('/datasets/<owner>', 'GET')
def datasets_of(api, request, user, owner):
    api.users.get(owner)
    return page(request, api.datasets.query(user, owner=owner),
                lambda d: dataset_json(request, d))


@router.route('/datasets/<owner>/<name>', 'GET')
def get_dataset(api, request, user, owner, name):
    return dataset_json(request, api.datasets.get(user, f'{owner}/{name}'))


@router.route('/datasets/<owner>/<name>', 'PATCH')
def patch_dataset(api, request, user, owner, name):
    dataset = api.datasets.update(user, f'{owner}/{name}', body(request))
    return dataset_json(request, dataset)


@router.route('/datasets/<owner>/<name>', 'DELETE')
def delete_dataset(api, request, user, owner, name):
    api.datasets.delete(user, f'{owner}/{name}')
    return 204, {}


def _members(api, user, dataset_id, need):
    dataset = api.datasets.get(user, dataset_id, need)
    return api.datasets.members, dataset['_owner']


member_routes(router, 'datasets', _members)
