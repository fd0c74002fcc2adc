"""Endpoints of automations, packages, members and runs (registered on
import by :mod:`server`)."""
from sevenbridges.emulator.members import member_json
from sevenbridges.emulator.server import public, route

PATH = 'automation/automations'


def automation_json(api, request, automation):
    return dict(public(automation),
                href=f'{api.base(request)}/automation/automations/'
                     f'{automation["id"]}')


def package_json(api, request, package):
    return dict(public(package),
                href=f'{api.base(request)}/automation/packages/'
                     f'{package["id"]}')


def run_json(api, request, run):
    """A run with its automation and package as objects, and its log file
    with the file's current fields."""
    store = api.platform.store
    data = dict(public(run),
                href=f'{api.base(request)}/automation/runs/{run["id"]}')
    automation = store.get('automations', run['automation'])
    package = store.get('automation_packages', run['package'])
    if automation:
        data['automation'] = automation_json(api, request, automation)
    if package:
        data['package'] = package_json(api, request, package)
    log = (run.get('execution_details') or {}).get('log_file')
    if log:
        current = store.get('files', log['id'])
        data['execution_details'] = dict(
            data['execution_details'],
            log_file=api.file_json(request, current) if current else log)
    return data


# -- automations --------------------------------------------------------------

@route('/automation/automations', 'GET')
def query_automations(api, request, user):
    return api.page(request, api.automations.query(user, request.args),
                    lambda a: automation_json(api, request, a))


@route('/automation/automations', 'POST')
def create_automation(api, request, user):
    automation = api.automations.create(user, api.body(request))
    return 201, automation_json(api, request, automation)


@route('/automation/automations/<automation_id>', 'GET')
def get_automation(api, request, user, automation_id):
    return automation_json(api, request,
                           api.automations.get(user, automation_id))


@route('/automation/automations/<automation_id>', 'PATCH')
def patch_automation(api, request, user, automation_id):
    return automation_json(api, request, api.automations.update(
        user, automation_id, api.body(request)))


@route('/automation/automations/<automation_id>/actions/'
       '<any(archive, restore):action>', 'POST')
def archive_automation(api, request, user, automation_id, action):
    return automation_json(api, request, api.automations.set_archived(
        user, automation_id, action == 'archive'))


# -- members ------------------------------------------------------------------

@route('/automation/automations/<automation_id>/members', 'GET')
def automation_members(api, request, user, automation_id):
    return api.page(request, api.automations.members(user, automation_id),
                    lambda m: member_json(api, request, m, PATH))


@route('/automation/automations/<automation_id>/members', 'POST')
def add_automation_member(api, request, user, automation_id):
    member = api.automations.add_member(user, automation_id,
                                        api.body(request))
    return 201, member_json(api, request, member, PATH)


@route('/automation/automations/<automation_id>/members/<member_id>', 'GET')
def get_automation_member(api, request, user, automation_id, member_id):
    _, member = api.automations.member(user, automation_id, member_id)
    return member_json(api, request, member, PATH)


@route('/automation/automations/<automation_id>/members/<member_id>',
       'PATCH')
def patch_automation_member(api, request, user, automation_id, member_id):
    member = api.automations.update_member(user, automation_id, member_id,
                                           api.body(request))
    return member_json(api, request, member, PATH)


@route('/automation/automations/<automation_id>/members/<member_id>',
       'DELETE')
def remove_automation_member(api, request, user, automation_id, member_id):
    api.automations.remove_member(user, automation_id, member_id)
    return 204, {}


# -- packages -----------------------------------------------------------------

@route('/automation/automations/<automation_id>/packages', 'GET')
def automation_packages(api, request, user, automation_id):
    return api.page(request, api.automations.packages(user, automation_id),
                    lambda p: package_json(api, request, p))


@route('/automation/automations/<automation_id>/packages', 'POST')
def create_package(api, request, user, automation_id):
    package = api.automations.create_package(user, automation_id,
                                             api.body(request))
    return 201, package_json(api, request, package)


@route('/automation/packages/<package_id>', 'GET')
def get_package(api, request, user, package_id):
    return package_json(api, request,
                        api.automations.package(user, package_id))


@route('/automation/packages/<package_id>', 'PATCH')
def patch_package(api, request, user, package_id):
    return package_json(api, request, api.automations.update_package(
        user, package_id, api.body(request)))


@route('/automation/automations/<automation_id>/packages/<package_id>/'
       'actions/<any(archive, restore):action>', 'POST')
def archive_package(api, request, user, automation_id, package_id, action):
    return package_json(api, request, api.automations.set_package_archived(
        user, automation_id, package_id, action == 'archive'))


# -- runs ---------------------------------------------------------------------

@route('/automation/runs', 'GET')
def query_runs(api, request, user):
    return api.page(request, api.automations.runs(user, request.args),
                    lambda run: run_json(api, request, run))


@route('/automation/runs', 'POST')
def create_run(api, request, user):
    run = api.automations.create_run(user, api.body(request))
    return 201, run_json(api, request, run)


@route('/automation/runs/<run_id>', 'GET')
def get_run(api, request, user, run_id):
    return run_json(api, request, api.automations.run(user, run_id))


@route('/automation/runs/<run_id>', 'PATCH')
def patch_run(api, request, user, run_id):
    return run_json(api, request, api.automations.update_run(
        user, run_id, api.body(request)))


@route('/automation/runs/<run_id>/actions/stop', 'POST')
def stop_run(api, request, user, run_id):
    return run_json(api, request, api.automations.stop_run(user, run_id))


@route('/automation/runs/<run_id>/actions/rerun', 'POST')
def rerun(api, request, user, run_id):
    return 201, run_json(api, request, api.automations.rerun(user, run_id))


@route('/automation/runs/<run_id>/state', 'GET')
def run_state(api, request, user, run_id):
    return api.automations.state(user, run_id)
