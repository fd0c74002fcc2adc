"""Automations: code packages, members and runs.

The emulator does not execute a package's code. A run goes
QUEUED_FOR_EXECUTION -> RUNNING -> FINISHED and leaves what a run leaves: a
log file (``execution_details.log_file``, downloadable), a state document
(``/automation/runs/{id}/state``) and outputs that echo the inputs. A run
whose ``settings`` hold ``"emulator_fail": "<message>"`` ends FAILED with that
message, so failure handling can be tested.
"""
import json
import uuid

from sevenbridges.emulator.state.checks import check
from sevenbridges.emulator.state.common import in_window, now, ordered
from sevenbridges.emulator.state.errors import ApiError
from sevenbridges.emulator.state.members import check_access

AUTOMATION_PERMISSIONS = {'read': True, 'copy': True, 'execute': True,
                          'admin': True}
MEMBER_PERMISSIONS = {'read': True, 'copy': False, 'execute': False,
                      'admin': False}
TERMINAL = ('FINISHED', 'FAILED', 'ABORTED')
# The keys of automation, package and run bodies, and their types.
AUTOMATION_FIELDS = {'name': str, 'description': str, 'billing_group': str,
                     'secret_settings': dict, 'memory_limit': int,
                     'project_based': bool}
PACKAGE_FIELDS = {'version': str, 'location': str, 'schema': dict,
                  'custom_url': str, 'memory_limit': int, 'python': str}
RUN_FIELDS = {'name': str, 'inputs': dict, 'settings': dict,
              'memory_limit': int, 'package': str, 'resume_from': str}


class Automations:
    """Automations, their packages and members, and runs (in the
    background): the ``automations``, ``automation_packages`` and
    ``automation_runs`` collections.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param users: the :class:`~.users.Users`.
    :param teams: the :class:`~.teams.Teams` (teams can be members).
    :param billing: the :class:`~.billing.BillingGroups`.
    :param files: the :class:`~.files.Files` (code packages, run logs).
    :param members: the ``automation_members``
        :class:`~.members.Memberships`.
    :param background: the :class:`~.background.Background` that runs
        the runs.
    """

    def __init__(self, store, users, teams, billing, files, members,
                 background):
        self.store = store
        self.users = users
        self.teams = teams
        self.billing = billing
        self.files = files
        self.memberships = members
        self.queue = background.queue('automation_runs', self._start,
                                      self._finish, self._fail)

    # -- automations ----------------------------------------------------------

    def create(self, user, body):
        check(body, AUTOMATION_FIELDS)
        name = body.get('name')
        if not isinstance(name, str):
            raise ApiError(400, 'An automation name is required.', 9000)
        group = body.get('billing_group')
        if group:
            self.billing.get(user, group)
        automation = {
            'id': str(uuid.uuid4()), 'name': name,
            'description': body.get('description') or '',
            'billing_group': group, 'owner': user['username'],
            'created_by': user['username'], 'created_on': now(),
            'modified_by': user['username'], 'modified_on': now(),
            'archived': False,
            'secret_settings': body.get('secret_settings') or {},
            'memory_limit': body.get('memory_limit'),
            'project_based': bool(body.get('project_based'))}
        with self.store.transaction():
            self.store.put('automations', automation)
            self.memberships.add(automation['id'], user['username'], 'USER',
                                 AUTOMATION_PERMISSIONS)
        return automation

    def get(self, user, automation_id, need='read'):
        automation = self.store.get('automations', automation_id)
        permissions = self.permissions(user, automation) \
            if automation else {}
        check_access(permissions, need, 'Automation', automation_id, 5020)
        return automation

    def permissions(self, user, automation):
        """The user's own permissions, or what their teams may do."""
        granted = dict(self.memberships.permissions(automation['id'],
                                                    user['username']))
        if granted:
            return granted
        for team in self.teams.teams_of(user['username']):
            for key, value in self.memberships.permissions(
                    automation['id'], team['id']).items():
                granted[key] = granted.get(key) or value
        return granted

    def query(self, user, args):
        name = args.get('name')
        archived = str(args.get('include_archived')).lower() == 'true'
        project_based = args.get('project_based')
        return [automation for automation in self.store.find('automations')
                if self.permissions(user, automation).get('read')
                and (not name or name.lower() in automation['name'].lower())
                and (archived or not automation['archived'])
                and (project_based is None or automation['project_based'] ==
                     (project_based.lower() == 'true'))]

    def update(self, user, automation_id, body):
        automation = self.get(user, automation_id, 'admin')
        check(body, AUTOMATION_FIELDS)
        for key in AUTOMATION_FIELDS:
            if key in body:
                automation[key] = body[key]
        if body.get('billing_group'):
            self.billing.get(user, body['billing_group'])
        automation.update(modified_by=user['username'], modified_on=now())
        return self.store.put('automations', automation)

    def set_archived(self, user, automation_id, archived):
        automation = self.get(user, automation_id, 'admin')
        automation.update(archived=archived, modified_on=now(),
                          modified_by=user['username'])
        return self.store.put('automations', automation)

    # -- members --------------------------------------------------------------

    def members(self, user, automation_id):
        automation = self.get(user, automation_id)
        return self.memberships.of(automation['id'])

    def member(self, user, automation_id, member_id, need='read'):
        automation = self.get(user, automation_id, need)
        return automation, self.memberships.get(automation['id'], member_id)

    def add_member(self, user, automation_id, body):
        """A user (``username``) or a team (``id`` with type ``team``)."""
        automation = self.get(user, automation_id, 'admin')
        if str(body.get('type', 'USER')).upper() == 'TEAM':
            team = self.teams.group('TEAM', body.get('id') or '')
            if team is None:
                raise ApiError(404, f'Team {body.get("id")} not found.',
                               5016)
            return self.memberships.add(automation['id'], team['id'],
                                        'TEAM', body.get('permissions'),
                                        name=team['name'])
        if not body.get('username'):
            raise ApiError(400, 'A username is required.', 9000)
        return self.memberships.add(automation['id'], body['username'],
                                    'USER', body.get('permissions'))

    def update_member(self, user, automation_id, member_id, body):
        automation = self.get(user, automation_id, 'admin')
        return self.memberships.change(automation['id'], member_id,
                                       (body or {}).get('permissions'))

    def remove_member(self, user, automation_id, member_id):
        automation = self.get(user, automation_id, 'admin')
        self.memberships.remove(automation['id'], member_id,
                                automation['owner'])

    # -- packages -------------------------------------------------------------

    def create_package(self, user, automation_id, body):
        automation = self.get(user, automation_id, 'admin')
        if automation['archived']:
            raise ApiError(400, 'The automation is archived.', 9000)
        check(body, PACKAGE_FIELDS)
        version = body.get('version')
        if not version or not isinstance(version, str):
            raise ApiError(400, 'A package version is required.', 9000)
        location = body.get('location') or ''
        try:
            code = self.files.file(user, location)
        except ApiError:
            raise ApiError(400, f'Code package {location} not found: upload '
                                f'it first.', 9000) from None
        if code['project'] is not None:
            raise ApiError(400, f'{location} is not a code package.', 9000)
        if not isinstance(body.get('schema'), dict):
            raise ApiError(400, 'The package schema (an object) is '
                                'required.', 9000)
        if any(package['version'] == version for package in
               self.store.find('automation_packages',
                               project=automation['id'])):
            raise ApiError(409, f'Version {version} already exists.', 5005)
        package = {'id': str(uuid.uuid4()), 'automation': automation['id'],
                   'version': version, 'location': location,
                   'schema': body['schema'], 'created_by': user['username'],
                   'created_on': now(), 'archived': False,
                   'custom_url': body.get('custom_url') or '',
                   'memory_limit': body.get('memory_limit'),
                   'python': body.get('python') or '3'}
        return self.store.put('automation_packages', package,
                              project=automation['id'])

    def packages(self, user, automation_id):
        automation = self.get(user, automation_id)
        return self.store.find('automation_packages',
                               project=automation['id'])

    def _part(self, user, collection, part_id, need, what, code):
        """A package or a run, if ``user`` may ``need`` its automation
        (a 404 naming the part when they may not read it)."""
        part = self.store.get(collection, part_id)
        if part is None:
            raise ApiError(404, f'{what} {part_id} not found.', code)
        try:
            self.get(user, part['automation'], need)
        except ApiError as error:
            if error.status == 404:
                raise ApiError(404, f'{what} {part_id} not found.',
                               code) from None
            raise
        return part

    def package(self, user, package_id, need='read'):
        return self._part(user, 'automation_packages', package_id, need,
                          'Package', 5021)

    def update_package(self, user, package_id, body):
        package = self.package(user, package_id, 'admin')
        check(body, PACKAGE_FIELDS)
        for key in ('custom_url', 'memory_limit'):
            if key in body:
                package[key] = body[key]
        return self.store.put('automation_packages', package,
                              project=package['automation'])

    def set_package_archived(self, user, automation_id, package_id,
                             archived):
        package = self.package(user, package_id, 'admin')
        if package['automation'] != automation_id:
            raise ApiError(404, f'Package {package_id} not found.', 5021)
        package['archived'] = archived
        return self.store.put('automation_packages', package,
                              project=package['automation'])

    # -- runs -----------------------------------------------------------------

    def create_run(self, user, body, resumed_from=None):
        package = self.package(user, body.get('package') or '', 'execute')
        automation = self.store.get('automations', package['automation'])
        if package['archived'] or automation['archived']:
            raise ApiError(400, 'Archived automations and packages do not '
                                'run.', 9000)
        check(body, RUN_FIELDS)
        inputs = body.get('inputs') or {}
        settings = body.get('settings') or {}
        resume_from = body.get('resume_from') or resumed_from
        if resume_from:
            self.run(user, resume_from)
        run = {
            'id': str(uuid.uuid4()),
            'name': body.get('name') or f'{automation["name"]} '
                                        f'{package["version"]} run',
            'automation': automation['id'], 'package': package['id'],
            'inputs': inputs, 'outputs': {}, 'settings': settings,
            'created_on': now(), 'start_time': None, 'end_time': None,
            'resumed_from': resume_from, 'created_by': user['username'],
            'status': 'QUEUED_FOR_EXECUTION', 'message': 'Queued',
            'execution_details': {},
            'memory_limit': body.get('memory_limit') or
            package.get('memory_limit') or automation.get('memory_limit'),
            'project_id': settings.get('project'),
            '_log': [f'{now()} run queued by {user["username"]}']}
        return self.queue.submit(run)

    def run(self, user, run_id, need='read'):
        return self._part(user, 'automation_runs', run_id, need, 'Run',
                          5022)

    def run_parts(self, run):
        """The automation, the package and the log file (its current
        document) of a run, each ``None`` when there is none."""
        log = (run.get('execution_details') or {}).get('log_file')
        return (self.store.get('automations', run['automation']),
                self.store.get('automation_packages', run['package']),
                self.files.find(log['id']) if log else None)

    def runs(self, user, args):
        found = []
        for run in self.store.find('automation_runs'):
            automation = self.store.get('automations', run['automation'])
            if not automation or \
                    not self.permissions(user, automation).get('read'):
                continue
            checks = (('automation_id', run['automation']),
                      ('package_id', run['package']),
                      ('status', run['status']),
                      ('created_by', run['created_by']),
                      ('project_id', run['project_id']))
            if any(args.get(key) and args.get(key) != value
                   for key, value in checks):
                continue
            if args.get('name') and \
                    args['name'].lower() not in run['name'].lower():
                continue
            if not in_window(run['created_on'], args.get('created_from'),
                             args.get('created_to')):
                continue
            found.append(run)
        return ordered(found, args)

    def update_run(self, user, run_id, body):
        run = self.run(user, run_id, 'execute')
        check(body, RUN_FIELDS)
        for key in ('name', 'inputs', 'settings', 'memory_limit'):
            if key in body:
                run[key] = body[key]
        return self.store.put('automation_runs', run)

    def stop_run(self, user, run_id):
        run = self.run(user, run_id, 'execute')
        if run['status'] in TERMINAL:
            raise ApiError(400, f'Run {run_id} has already ended '
                                f'({run["status"]}).', 9000)
        run['_log'].append(f'{now()} run stopped by {user["username"]}')
        self._end(run, 'ABORTED', 'Stopped by the user')
        return self.queue.end(run)

    def rerun(self, user, run_id):
        old = self.run(user, run_id, 'execute')
        return self.create_run(user, {
            'package': old['package'], 'inputs': old['inputs'],
            'settings': old['settings'], 'name': old['name'],
            'memory_limit': old['memory_limit']}, resumed_from=old['id'])

    def state(self, user, run_id):
        run = self.run(user, run_id)
        return {'status': run['status'], 'inputs': run['inputs'],
                'outputs': run['outputs'], 'resumed_from': run['resumed_from'],
                'steps': [{'name': 'emulated-step', 'status': run['status']}]}

    def _start(self, run):
        run.update(status='RUNNING', message='Running', start_time=now())
        run['_log'].append(f'{now()} run started')

    def _finish(self, run):
        failure = run['settings'].get('emulator_fail')
        if failure:
            run['_log'].append(f'{now()} run failed: {failure}')
            self._end(run, 'FAILED', str(failure))
            return
        run['outputs'] = {'inputs': run['inputs']}
        run['_log'].append(f'{now()} outputs: {json.dumps(run["outputs"])}')
        run['_log'].append(f'{now()} run finished')
        self._end(run, 'FINISHED', 'Finished')

    def _fail(self, run, message):
        self._end(run, 'FAILED', message)

    def _end(self, run, status, message):
        run.update(status=status, message=message, end_time=now())
        user = self.users.get(run['created_by'])
        log = self.files.add_loose_file(
            user, f'{run["id"]}.log',
            content=('\n'.join(run['_log']) + '\n').encode())
        run['execution_details'] = {'log_file': {'id': log['id'],
                                                 'name': log['name']}}
