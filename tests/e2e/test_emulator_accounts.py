"""Divisions, teams, datasets, markers, invoices, breakdowns and actions:
the SDK against the real emulator over HTTP."""
import time

import pytest

from sevenbridges import errors
from sevenbridges.emulator.state.common import PUBLIC_PROJECT, SECOND_TOKEN
from sevenbridges.models.enums import TaskStatus


@pytest.fixture
def group(sbg_api):
    return sbg_api.billing_groups.query()[0]


@pytest.fixture
def project(sbg_api, group):
    return sbg_api.projects.create(name='Accounts', billing_group=group)


def upload(api, project, tmp_path, name, data):
    path = tmp_path / name
    path.write_bytes(data)
    return api.files.upload(str(path), project=project,
                            file_name=name).result()


def test_divisions_and_their_users(sbg_api, sbg_emulator):
    divisions = sbg_api.divisions.query()
    assert [d.id for d in divisions] == ['emulated-division']
    division = divisions[0]
    assert division.name == 'Emulated Division'
    assert sorted(u.username for u in division.get_members()) == \
        ['jwatson', 'rfranklin']
    admins = division.get_members(role='admin')
    assert [u.username for u in admins] == ['rfranklin']
    with pytest.raises(errors.NotFound):
        sbg_api.divisions.get('other-division')


def test_division_admin_disables_a_user(sbg_api, sbg_emulator):
    watson = sbg_emulator.api(token=SECOND_TOKEN)
    with pytest.raises(errors.Forbidden):
        watson.users.get('rfranklin').disable()
    sbg_api.users.get('jwatson').disable()
    with pytest.raises(errors.Unauthorized):
        watson.users.me()


def test_teams(sbg_api, sbg_emulator):
    division = sbg_api.divisions.get('emulated-division')
    team = sbg_api.teams.create(name='Sequencing', division=division)
    assert team.name == 'Sequencing'
    assert [t.id for t in division.get_teams()] == [team.id]
    team.name = 'Sequencing core'
    team.save()
    assert sbg_api.teams.get(team.id).name == 'Sequencing core'
    added = team.add_member('jwatson')
    assert (added.username, added.role) == ('jwatson', 'MEMBER')
    roles = {m.username: m.role for m in team.get_members()}
    assert roles == {'jwatson': 'MEMBER', 'rfranklin': 'ADMIN'}
    watson = sbg_emulator.api(token=SECOND_TOKEN)
    assert [t.id for t in watson.teams.query(division=division)] == [team.id]
    team.remove_member('jwatson')
    assert watson.teams.query(division=division).total == 0
    assert watson.teams.query(division=division, list_all=True).total == 1
    with pytest.raises(errors.Conflict):
        sbg_api.teams.create(name='Sequencing core', division=division)


def test_datasets(sbg_api, sbg_emulator):
    ids = {d.id for d in sbg_api.datasets.query()}
    assert ids == {'admin/chrm-reference', 'rfranklin/franklin-cohort'}
    assert [d.id for d in sbg_api.datasets.query(visibility='public')] == \
        ['admin/chrm-reference']
    mine = sbg_api.datasets.get_owned_by('rfranklin')
    assert [d.id for d in mine] == ['rfranklin/franklin-cohort']
    dataset = sbg_api.datasets.get('rfranklin/franklin-cohort')
    dataset.description = 'Renamed cohort'
    dataset.save()
    assert sbg_api.datasets.get(dataset.id).description == 'Renamed cohort'
    watson = sbg_emulator.api(token=SECOND_TOKEN)
    with pytest.raises(errors.NotFound):
        watson.datasets.get(dataset.id)
    member = dataset.add_member('jwatson', {'read': True, 'copy': False})
    assert member.permissions['read'] and not member.permissions['copy']
    assert watson.datasets.get(dataset.id).name == 'franklin-cohort'
    assert dataset.get_member('jwatson').username == 'jwatson'
    assert sorted(m.username for m in dataset.get_members()) == \
        ['jwatson', 'rfranklin']
    dataset.remove_member('jwatson')
    with pytest.raises(errors.NotFound):
        watson.datasets.get(dataset.id)
    public = sbg_api.datasets.get('admin/chrm-reference')
    with pytest.raises(errors.Forbidden):
        public.description = 'not mine'
        public.save()


def test_markers(sbg_api, project, tmp_path):
    bam = upload(sbg_api, project, tmp_path, 'sample.bam', b'BAM')
    marker = sbg_api.markers.create(
        file=bam, name='SNP', position={'start': 100, 'end': 101},
        chromosome='chr1')
    assert (marker.file, marker.created_by) == (bam.id, 'rfranklin')
    assert marker.position['start'] == 100
    marker.position['end'] = 150
    marker.chromosome = 'chr2'
    marker.save()
    fresh = sbg_api.markers.get(marker.id)
    assert (fresh.position['end'], fresh.chromosome) == (150, 'chr2')
    assert [m.id for m in sbg_api.markers.query(file=bam)] == [marker.id]
    with pytest.raises(errors.BadRequest, match='before its start'):
        fresh.position['end'] = 1
        fresh.save()
    marker.delete()
    assert sbg_api.markers.query(file=bam).total == 0


def test_invoices_and_breakdowns_follow_tasks_storage_and_downloads(
        sbg_api, group, project, tmp_path):
    data = b'x' * 2000
    file = upload(sbg_api, project, tmp_path, 'reads.fq', data)
    file.download(str(tmp_path / 'copy.fq'))
    task = sbg_api.tasks.create(
        name='report', project=project,
        app=f'{PUBLIC_PROJECT}/file-report', inputs={'input_files': [file]},
        run=True)
    deadline = time.time() + 10
    while task.status != TaskStatus.COMPLETED:
        assert time.time() < deadline
        time.sleep(0.05)
        task.reload()

    analysis = group.analysis_breakdown()
    assert [(row.analysis_id, row.analysis_name, row.ran_by,
             row.analysis_app_name) for row in analysis] == \
        [(task.id, 'report', 'rfranklin', 'file-report')]
    assert float(analysis[0].analysis_cost.amount) == task.price.amount

    storage = group.storage_breakdown()
    assert [row.project_name for row in storage] == ['Accounts']
    stored = sum(f.size for f in sbg_api.files.query(project=project).all())
    assert storage[0].active.size == pytest.approx(stored / 1e9)

    egress = group.egress_breakdown()
    assert [(row.downloaded_by, row.downloaded.size) for row in egress] == \
        [('rfranklin', pytest.approx(len(data) / 1e9))]

    invoices = sbg_api.invoices.query()
    invoice = [i for i in invoices if i.analysis_costs.amount > 0][0]
    assert invoice.pending is True
    assert invoice.analysis_costs.amount == pytest.approx(task.price.amount)
    assert invoice.total.amount == pytest.approx(
        invoice.analysis_costs.amount + invoice.storage_costs.amount)
    assert sbg_api.invoices.get(invoice.id).id == invoice.id
    by_invoice = group.analysis_breakdown(invoice_id=invoice.id)
    assert [row.analysis_id for row in by_invoice] == [task.id]
    assert group.analysis_breakdown(date_to='01-01-2000').total == 0
    with pytest.raises(errors.BadRequest, match='MM-DD-YYYY'):
        group.analysis_breakdown(date_from='yesterday')


def test_actions(sbg_api, project, tmp_path):
    one = upload(sbg_api, project, tmp_path, 'one.txt', b'1')
    target = sbg_api.projects.create(name='Copies')
    result = sbg_api.actions.bulk_copy_files([one, '0' * 24], target.id)
    assert result[one.id]['status'] == 'OK'
    assert result['0' * 24]['status'] == 'FAILED'
    copy = sbg_api.files.get(result[one.id]['new_file_id'])
    assert copy.project == target.id and copy.name == 'one.txt'
    assert sbg_api.actions.send_feedback(text='Works offline!') is None
