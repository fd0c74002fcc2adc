"""The one module that knows every family: the store, then the services
(each the owner of its collections), the task engines, the background
runner, the seed and the preload; then the routers the API application
is handed, and the storage listener's application.

A new family adds its service to :func:`build` and its router to
:data:`ROUTERS`.
"""
import os

from sevenbridges.emulator.api import (
    actions,
    apps,
    async_jobs,
    automations,
    billing,
    datasets,
    files,
    markers,
    projects,
    tasks,
    teams,
    uploads,
    users,
    volumes,
)
from sevenbridges.emulator.api.app import ApiApp
from sevenbridges.emulator.api.storage import StorageService
from sevenbridges.emulator.engines.cwl import CwlEngine
from sevenbridges.emulator.engines.failures import TaskFailures
from sevenbridges.emulator.engines.simulated import SimulatedEngine
from sevenbridges.emulator.state import preload as preloading
from sevenbridges.emulator.state.apps import Apps
from sevenbridges.emulator.state.async_files import (
    AsyncFileOperations,
    DrsImports,
)
from sevenbridges.emulator.state.automations import (
    MEMBER_PERMISSIONS,
    Automations,
)
from sevenbridges.emulator.state.background import Background, Runner
from sevenbridges.emulator.state.billing import BillingGroups
from sevenbridges.emulator.state.blobs import Blobs
from sevenbridges.emulator.state.common import READ_ONLY
from sevenbridges.emulator.state.datasets import DATASET_PERMISSIONS, Datasets
from sevenbridges.emulator.state.feedback import Feedback
from sevenbridges.emulator.state.files import Files
from sevenbridges.emulator.state.imports_exports import Exports, Imports
from sevenbridges.emulator.state.invoices import Invoices
from sevenbridges.emulator.state.markers import Markers
from sevenbridges.emulator.state.members import Memberships
from sevenbridges.emulator.state.projects import Projects
from sevenbridges.emulator.state.seed import is_seeded, seed
from sevenbridges.emulator.state.signing import UrlSigner
from sevenbridges.emulator.state.store import Store
from sevenbridges.emulator.state.task_logs import TaskLogs
from sevenbridges.emulator.state.tasks import Tasks
from sevenbridges.emulator.state.teams import Teams
from sevenbridges.emulator.state.uploads import Uploads
from sevenbridges.emulator.state.users import Users
from sevenbridges.emulator.state.volumes import READ_PERMISSIONS, Volumes

#: The router of each URL family, in the order their rules are matched.
ROUTERS = (users.router, billing.router, projects.router, files.router,
           uploads.router, apps.router, tasks.router, datasets.router,
           markers.router, teams.router, volumes.router, async_jobs.router,
           automations.router, actions.router)


class State:
    """The emulated platform: its store, signer, background runner, and a
    service per family (``users``, ``projects``, ``files``, ``tasks``...)
    as attributes."""

    def services(self):
        """The services by name (what API handlers call)."""
        return {name: value for name, value in vars(self).items()
                if name not in ('store', 'runner')}

    def close(self):
        """Stop the task runs, free the bytes of removed files and
        aborted uploads, and close the store."""
        self.tasks.shutdown()
        self.files.blobs.close()
        self.uploads.close()
        self.store.close()


def build(data_dir, token, task_seconds, engine_settings, preload=None,
          task_failures=None):
    """The state of the data directory ``data_dir`` with its services,
    seeded when new, with ``preload`` (a dict, or a JSON file's path)
    loaded.

    :param token: the token of the default user (when seeded).
    :param task_seconds: how long tasks and background work stay in each
        phase.
    :param engine_settings: how tasks run
        (:class:`~sevenbridges.emulator.engines.EngineSettings`).
    :param task_failures: the rules of simulated failures
        (:class:`~sevenbridges.emulator.engines.failures.TaskFailures`).
    :raises ~sevenbridges.emulator.state.preload.PreloadError: a preload
        that is not valid or conflicts with the state (the store is then
        closed).
    """
    state = State()
    store = state.store = Store(os.path.join(data_dir, 'emulator.db'))
    state.signer = UrlSigner(data_dir)
    state.users = Users(store)
    state.teams = Teams(store, users=state.users)

    def members(collection, defaults):
        return Memberships(store, collection, defaults, state.users,
                           state.teams)

    state.billing = BillingGroups(store)
    state.projects = Projects(store, state.billing,
                              members('members', READ_ONLY))
    state.files = Files(store, state.projects,
                        Blobs(os.path.join(data_dir, 'blobs')))
    state.uploads = Uploads(store, state.files,
                            os.path.join(data_dir, 'uploads'))
    state.apps = Apps(store, state.projects)
    logs = TaskLogs(state.files)
    engines = {
        'simulated': SimulatedEngine(state.files, state.users, logs,
                                     task_seconds,
                                     task_failures or TaskFailures()),
        'cwltool': CwlEngine(state.files, state.users, logs,
                             engine_settings,
                             os.path.join(data_dir, 'runs'))}
    state.tasks = Tasks(store, state.users, state.projects, state.files,
                        state.apps, engines, engine_settings, task_seconds)
    state.projects.connect(state.files.add_root,
                           [state.tasks.remove_project,
                            state.files.remove_project])
    state.invoices = Invoices(store, state.billing, state.projects,
                              state.files, state.tasks)
    state.datasets = Datasets(store, state.projects,
                              members('dataset_members', DATASET_PERMISSIONS))
    state.markers = Markers(store, state.files)
    state.feedback = Feedback(store)
    background = Background(store, task_seconds)
    state.volumes = Volumes(store, os.path.join(data_dir, 'buckets'),
                            members('volume_members', READ_PERMISSIONS))
    state.imports = Imports(store, state.users, state.files, state.volumes,
                            background)
    state.exports = Exports(store, state.users, state.files, state.volumes,
                            background)
    state.async_files = AsyncFileOperations(store, state.users, state.files,
                                            background)
    state.drs_imports = DrsImports(store, state.users, state.files,
                                   background)
    state.automations = Automations(
        store, state.users, state.teams, state.billing, state.files,
        members('automation_members', MEMBER_PERMISSIONS), background)
    state.runner = Runner([state.tasks.step, background.step])
    try:
        if not is_seeded(state):
            seed(state, token)
        if isinstance(preload, dict):
            preloading.load(state, preload)
        elif preload is not None:
            preloading.load_file(state, preload)
    except BaseException:
        store.close()
        raise
    return state


def api_app(state, storage_url, faults, rate_limit):
    """The WSGI application of the API listener."""
    return ApiApp(state.store, state.services(), ROUTERS, storage_url,
                  faults=faults, rate_limit=rate_limit)


def storage_service(state, faults, log, profile):
    """What the storage listener answers."""
    return StorageService(state.uploads, state.files, state.signer, faults,
                          log, profile)
