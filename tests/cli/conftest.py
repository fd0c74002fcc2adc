"""The ``sbg`` command against a fresh emulator, through click's runner
(standard output and standard error apart)."""
import json

import pytest

pytest.importorskip('click')
pytest.importorskip('rich')

from click.testing import CliRunner  # noqa: E402

from sevenbridges.cli.app import cli  # noqa: E402


class Sbg:
    """Runs ``sbg`` with the emulator's endpoint and token in the
    environment, as a user who exported them would."""

    def __init__(self, emulator):
        self.emulator = emulator
        self.env = {'SB_API_ENDPOINT': emulator.url,
                    'SB_AUTH_TOKEN': emulator.token}

    def __call__(self, *args, code=0, env=None, input=None):
        runner = CliRunner()
        result = runner.invoke(cli, [str(a) for a in args],
                               env={**self.env, **(env or {})},
                               input=input, catch_exceptions=False)
        assert result.exit_code == code, (result.stdout, result.stderr)
        return result

    def json(self, *args):
        return json.loads(self(*args, '--json').stdout)


@pytest.fixture
def sbg(sbg_emulator):
    return Sbg(sbg_emulator)


@pytest.fixture
def project(sbg_api):
    group = sbg_api.billing_groups.query(limit=1)[0]
    return sbg_api.projects.create(name='cli', billing_group=group.id)
