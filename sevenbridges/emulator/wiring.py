"""The parts of the emulated platform, put together."""
from sevenbridges.emulator.accounts import Accounts
from sevenbridges.emulator.apps_tasks import Apps, Tasks
from sevenbridges.emulator.automations import Automations
from sevenbridges.emulator.file_jobs import AsyncFileJobs, DrsImports
from sevenbridges.emulator.jobs import Jobs, Runner
from sevenbridges.emulator.volumes import Exports, Imports, Volumes


def build(platform, engine_settings=None):
    """The services the API answers from (by attribute name on the API
    application) and the runner that moves tasks and jobs along.

    :param engine_settings: how tasks run
        (:class:`~sevenbridges.emulator.engines.EngineSettings`).
    """
    jobs = Jobs(platform)
    apps = Apps(platform)
    tasks = Tasks(platform, apps, engine_settings)
    volumes = Volumes(platform)
    services = {
        'apps': apps, 'tasks': tasks, 'volumes': volumes,
        'imports': Imports(platform, volumes, jobs),
        'exports': Exports(platform, volumes, jobs),
        'drs_imports': DrsImports(platform, jobs),
        'file_jobs': AsyncFileJobs(platform, jobs),
        'automations': Automations(platform, jobs),
        'accounts': Accounts(platform),
    }
    return services, Runner([tasks.step, jobs.step])
