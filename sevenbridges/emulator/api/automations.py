"""``/automation``: automations, their members and packages, and runs
(code packages are uploaded through
:mod:`~sevenbridges.emulator.api.uploads`)."""
from sevenbridges.emulator.api.members import member_json
from sevenbridges.emulator.api.render import file_json, resource
from sevenbridges.emulator.api.routing import Router, body, page

router = Router(__name__)
PATH = 'automation/automations'


def automation_json(request, automation):
    return resource(request, automation, PATH)


def package_json(request, package):
    return resource(request, package, 'automation/packages')


def run_json(api, request, run):
    """A run with its automation and package as objects, and its log file
    with the file's current fields."""
    data = resource(request, run, 'automation/runs')
    automation, package, log_file = api.automations.run_parts(run)
    if automation:
        data['automation'] = automation_json(request, automation)
    if package:
        data['package'] = package_json(request, package)
    log = (run.get('execution_details') or {}).get('log_file')
    if log:
        data['execution_details'] = dict(
            data['execution_details'],
            log_file=file_json(request, log_file) if log_file else log)
    return data


# -- automations --------------------------------------------------------------

@router.route('/automation/automations', 'GET')
def query_automations(api, request, user):
    return page(request, api.automations.query(user, request.args),
                lambda a: automation_json(request, a))


@router.route('/automation/automations', 'POST')
def create_automation(api, request, user):
    automation = api.automations.create(user, body(request))
    return 201, automation_json(request, automation)


@router.route('/automation/automations/<automation_id>', 'GET')
def get_automation(api, request, user, automation_id):
    return automation_json(request, api.automations.get(user, automation_id))


@router.route('/automation/automations/<automation_id>', 'PATCH')
def patch_automation(api, request, user, automation_id):
    return automation_json(request, api.automations.update(
        user, automation_id, body(request)))


@router.route('/automation/automations/<automation_id>/actions/'
              '<any(archive, restore):action>', 'POST')
def archive_automation(api, request, user, automation_id, action):
    return automation_json(request, api.automations.set_archived(
        user, automation_id, action == 'archive'))


# -- members ------------------------------------------------------------------

@router.route('/automation/automations/<automation_id>/members', 'GET')
def automation_members(api, request, user, automation_id):
    return page(request, api.automations.members(user, automation_id),
                lambda m: member_json(request, m, PATH))


@router.route('/automation/automations/<automation_id>/members', 'POST')
def add_automation_member(api, request, user, automation_id):
    member = api.automations.add_member(user, automation_id,
                                        body(request))
    return 201, member_json(request, member, PATH)


@router.route('/automation/automations/<automation_id>/members/<member_id>',
              'GET')
def get_automation_member(api, request, user, automation_id, member_id):
    _, member = api.automations.member(user, automation_id, member_id)
    return member_json(request, member, PATH)


@router.route('/automation/automations/<automation_id>/members/<member_id>',
              'PATCH')
def patch_automation_member(api, request, user, automation_id, member_id):
    member = api.automations.update_member(user, automation_id, member_id,
                                           body(request))
    return member_json(request, member, PATH)


@router.route('/automation/automations/<automation_id>/members/<member_id>',
              'DELETE')
def remove_automation_member(api, request, user, automation_id, member_id):
    api.automations.remove_member(user, automation_id, member_id)
    return 204, {}


# -- packages -----------------------------------------------------------------

@router.route('/automation/automations/<automation_id>/packages', 'GET')
def automation_packages(api, request, user, automation_id):
    return page(request, api.automations.packages(user, automation_id),
                lambda p: package_json(request, p))


@router.route('/automation/automations/<automation_id>/packages', 'POST')
def create_package(api, request, user, automation_id):
    package = api.automations.create_package(user, automation_id,
                                             body(request))
    return 201, package_json(request, package)


@router.route('/automation/packages/<package_id>', 'GET')
def get_package(api, request, user, package_id):
    return package_json(request, api.automations.package(user, package_id))


@router.route('/automation/packages/<package_id>', 'PATCH')
def patch_package(api, request, user, package_id):
    return package_json(request, api.automations.update_package(
        user, package_id, body(request)))


@router.route('/automation/automations/<automation_id>/packages/<package_id>/'
              'actions/<any(archive, restore):action>', 'POST')
def archive_package(api, request, user, automation_id, package_id, action):
    return package_json(request, api.automations.set_package_archived(
        user, automation_id, package_id, action == 'archive'))


# -- runs ---------------------------------------------------------------------

@router.route('/automation/runs', 'GET')
def query_runs(api, request, user):
    return page(request, api.automations.runs(user, request.args),
                lambda run: run_json(api, request, run))


@router.route('/automation/runs', 'POST')
def create_run(api, request, user):
    run = api.automations.create_run(user, body(request))
    return 201, run_json(api, request, run)


@router.route('/automation/runs/<run_id>', 'GET')
def get_run(api, request, user, run_id):
    return run_json(api, request, api.automations.run(user, run_id))


@router.route('/automation/runs/<run_id>', 'PATCH')
def patch_run(api, request, user, run_id):
    return run_json(api, request, api.automations.update_run(
        user, run_id, body(request)))


@router.route('/automation/runs/<run_id>/actions/stop', 'POST')
def stop_run(api, request, user, run_id):
    return run_json(api, request, api.automations.stop_run(user, run_id))


@router.route('/automation/runs/<run_id>/actions/rerun', 'POST')
def rerun(api, request, user, run_id):
    return 201, run_json(api, request, api.automations.rerun(user, run_id))


@router.route('/automation/runs/<run_id>/state', 'GET')
def run_state(api, request, user, run_id):
    return api.automations.state(user, run_id)
