"""Apps: CWL documents with revisions."""
import time

from sevenbridges.emulator.engines.cwl_document import entries
from sevenbridges.emulator.state.checks import field
from sevenbridges.emulator.state.errors import ApiError

# The keys of an app's raw JSON that the platform sets, whatever the client
# sent.
SERVER_KEYS = (
    'id', 'sbg:id', 'sbg:revision', 'sbg:latestRevision', 'sbg:project',
    'sbg:createdBy', 'sbg:createdOn', 'sbg:modifiedOn', 'sbg:modifiedBy',
    'sbg:revisionsInfo', 'sbg:contributors', 'sbg:appVersion',
    'sbg:validationErrors', 'sbg:copyOf')
# What the terms of ``GET /apps?q=`` are looked for in.
SEARCHED_KEYS = ('label', 'sbg:toolkit', 'sbg:categories', 'sbg:tagline',
                 'description', 'doc')


def _epoch():
    return int(time.time())


class Apps:
    """Apps (CWL documents) with revisions. The stored revisions are what
    clients sent, without the platform's own keys; :meth:`raw_document`
    adds those.

    :param store: the :class:`~sevenbridges.emulator.state.store.Store`.
    :param projects: the :class:`~.projects.Projects` apps are in.
    """

    def __init__(self, store, projects):
        self.store = store
        self.projects = projects

    def install(self, user, app_id, raw, revision=None, copy_of=None,
                new_app=False):
        """Install ``raw`` as the next revision of ``app_id`` (the first
        one of a new app).

        :param revision: the revision number the client asks for (it must
            be the next one).
        :param copy_of: ``owner/project/app/revision`` the app copies.
        :param new_app: ``app_id`` must not exist (a 409 if it does): a
            copy makes a new app, never a revision of another.
        :return: the app and the new revision's number.
        """
        parts = app_id.split('/')
        if len(parts) != 3 or not all(parts):
            raise ApiError(400, f'Invalid app id {app_id}.', 9000)
        project_id = '/'.join(parts[:2])
        self.projects.get(user, project_id, 'write')
        if not isinstance(raw, dict) or 'class' not in raw:
            raise ApiError(400, 'The app is not a CWL document.', 9000)
        raw = {key: value for key, value in raw.items()
               if key not in SERVER_KEYS}
        with self.store.transaction():
            app = self.store.get('apps', app_id)
            if app is not None and new_app:
                raise ApiError(409, f'App {app_id} already exists.', 5005)
            app = app or {
                'id': app_id, 'project': project_id, 'revisions': [],
                'revisions_info': [], 'created_by': user['username'],
                'created_on': _epoch(), 'copy_of': None}
            number = revision if revision is not None \
                else len(app['revisions'])
            if number != len(app['revisions']):
                raise ApiError(400, f'Revision {number} is not the next '
                                    f'one ({len(app["revisions"])}).', 9000)
            app['revisions'].append(raw)
            app['revisions_info'].append({
                'sbg:revision': number, 'sbg:modifiedBy': user['username'],
                'sbg:modifiedOn': _epoch(),
                'sbg:revisionNotes': raw.get('sbg:revisionNotes')})
            app['name'] = raw.get('label') or parts[2]
            if copy_of:
                app['copy_of'] = copy_of
            self.store.put('apps', app, project=project_id)
        return app, number

    @staticmethod
    def raw_document(app, revision, base):
        """The raw JSON of a revision as the platform shows it: what the
        client sent, with the platform's own keys (``id`` is the URL of
        the document under ``base``)."""
        info = app.get('revisions_info') or []
        this = info[revision] if revision < len(info) else {}
        raw = app['revisions'][revision]
        contributors = []
        for entry in info:
            if entry['sbg:modifiedBy'] not in contributors:
                contributors.append(entry['sbg:modifiedBy'])
        document = dict(raw, **{
            'id': f'{base}/apps/{app["id"]}/{revision}/raw/',
            'sbg:id': f'{app["id"]}/{revision}',
            'sbg:revision': revision,
            'sbg:latestRevision': len(app['revisions']) - 1,
            'sbg:project': app['project'],
            'sbg:createdBy': app.get('created_by'),
            'sbg:createdOn': app.get('created_on'),
            'sbg:modifiedBy': this.get('sbg:modifiedBy'),
            'sbg:modifiedOn': this.get('sbg:modifiedOn'),
            'sbg:revisionsInfo': info,
            'sbg:contributors': contributors,
            'sbg:appVersion': [raw.get('cwlVersion', 'sbg:draft-2')],
            # Always sent, null when the revision has none.
            'sbg:revisionNotes': raw.get('sbg:revisionNotes'),
            'sbg:validationErrors': []})
        if app.get('copy_of'):
            document['sbg:copyOf'] = app['copy_of']
        return document

    def exists(self, app_id):
        return self.store.get('apps', app_id) is not None

    def get(self, user, app_id, revision=None):
        app = self.store.get('apps', app_id)
        if app is None:
            raise ApiError(404, f'App {app_id} not found.', 5007)
        self.projects.get(user, app['project'])
        if revision is None:
            revision = len(app['revisions']) - 1
        if not 0 <= revision < len(app['revisions']):
            raise ApiError(404, f'Revision {revision} of {app_id} not '
                                f'found.', 5007)
        return app, revision

    def query(self, user, args):
        """``GET /apps``: the apps of ``project``, the public apps
        (``visibility=public``) or those of every project the user is a
        member of, filtered by ``project_owner``, ``id`` (exact app ids,
        with or without a revision) and ``q`` (every term in one of the
        app's name, label, toolkit, categories, tagline or
        description)."""
        project = args.get('project')
        ids = {_without_revision(app_id) for app_id in args.getlist('id')}
        if project:
            projects = [self.projects.get(user, project)]
        elif args.get('visibility') == 'public':
            projects = self.projects.public()
        else:
            projects = self.projects.of(user)
        owner = args.get('project_owner')
        if owner:
            projects = [found for found in projects
                        if found['id'].split('/')[0] == owner]
        if ids:
            wanted = {app_id.rsplit('/', 1)[0] for app_id in ids}
            projects = [found for found in projects if found['id'] in wanted]
        terms = [term.lower() for value in args.getlist('q')
                 for term in value.split()]
        return [app for found in projects
                for app in self.store.find('apps', project=found['id'])
                if (not ids or app['id'] in ids) and
                all(_mentions(app, term) for term in terms)]

    def resolve(self, user, reference):
        """The app and revision named by ``owner/project/app[/rev]``."""
        parts = reference.split('/')
        if len(parts) == 4 and parts[3].isdigit():
            return self.get(user, '/'.join(parts[:3]), int(parts[3]))
        return self.get(user, reference)

    def copy(self, user, app_id, revision, body):
        """Copy a revision of an app (the latest without ``revision``) into
        the ``project`` of ``body`` as a new app, named its ``name`` (the
        copy's id's last part and its ``label``) when given, as the source
        otherwise; onto an app id that exists it is a 409. Returns the copy
        and its new revision."""
        app, revision = self.get(user, app_id, revision)
        name = field(body, 'name', str)
        raw = app['revisions'][revision]
        if name:
            raw = dict(raw, label=name)
        target = f'{field(body, "project", str, required=True)}/' \
                 f'{name or app_id.split("/")[2]}'
        return self.install(user, target, raw, new_app=True,
                            copy_of=f'{app["id"]}/{revision}')

    def sync(self, user, app_id):
        """Bring a copy up to the latest revision of the app it copies;
        returns the copy and its new revision."""
        app, _ = self.get(user, app_id)
        source = app.get('copy_of')
        if not source:
            raise ApiError(400, f'{app_id} is not a copy of another app.',
                           9000)
        original, latest = self.resolve(user, source.rsplit('/', 1)[0])
        return self.install(user, app_id, original['revisions'][latest],
                            copy_of=f'{original["id"]}/{latest}')


def _without_revision(app_id):
    parts = app_id.split('/')
    if len(parts) == 4 and parts[3].isdigit():
        return '/'.join(parts[:3])
    return app_id


def _mentions(app, term):
    """Whether the latest revision of ``app`` names ``term`` (lower case)
    in one of :data:`SEARCHED_KEYS` or its name."""
    raw = app['revisions'][-1]
    texts = [app['name']] + [raw.get(key) for key in SEARCHED_KEYS]
    for text in texts:
        values = text if isinstance(text, list) else [text]
        if any(isinstance(value, str) and term in value.lower()
               for value in values):
            return True
    return False


def required_inputs(raw):
    """Ids of the inputs a CWL tool needs (no ``?``, no default)."""
    needed = []
    for entry in entries(raw.get('inputs')):
        kind = entry.get('type')
        optional = (isinstance(kind, str) and kind.endswith('?')) or \
            (isinstance(kind, list) and 'null' in kind) or \
            'default' in entry
        if not optional:
            needed.append(entry['id'].lstrip('#'))
    return needed


def output_ids(raw):
    outputs = raw.get('outputs') or []
    if isinstance(outputs, dict):
        return list(outputs)
    return [entry['id'].lstrip('#') for entry in outputs] or ['report']
