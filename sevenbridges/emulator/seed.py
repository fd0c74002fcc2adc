"""What a fresh emulator holds: two users (and an admin) in a division,
their billing groups, a public project with small reference files, public
apps and two datasets."""
import uuid

from sevenbridges.emulator.platform import (
    PUBLIC_PROJECT,
    SECOND_TOKEN,
    now,
)

REFERENCE_FASTA = (b'>chrM_fragment\nGATCACAGGTCTATCACCCTATTAACCACTCACGGGAGCT'
                   b'CTCCATGCATTTGGTATTTTCGTCTGGGGGGTATGCACGCGATAGCATTGCGAG\n')
REFERENCE_GTF = (b'chrM\temulator\tgene\t1\t80\t.\t+\t.\tgene_id "MT-FRAG";'
                 b'\n')


def tool(label, inputs, outputs, doc):
    """A small CWL v1.0 CommandLineTool, a stand-in for a platform app: its
    ``sbg:`` key keeps it simulated by every task engine (it runs
    ``true``, which makes no outputs)."""
    return {
        'cwlVersion': 'v1.0', 'class': 'CommandLineTool', 'label': label,
        'doc': doc, 'baseCommand': ['true'], 'sbg:toolkit': 'Emulator',
        'inputs': inputs, 'outputs': outputs,
        'requirements': [{'class': 'DockerRequirement',
                          'dockerPull': 'alpine:3.19'}],
    }


PUBLIC_APPS = {
    'file-report': tool(
        'File report',
        [{'id': 'input_files', 'type': 'File[]'},
         {'id': 'title', 'type': 'string?'}],
        [{'id': 'report', 'type': 'File'}],
        'Lists its input files with their sizes and SHA-256 checksums.'),
    'fastqc-lite': tool(
        'FastQC (emulated)',
        [{'id': 'reads', 'type': 'File'}],
        [{'id': 'qc_report', 'type': 'File'}],
        'A stand-in for FastQC: reports the reads file it was given.'),
}


def seed(platform, token):
    """Fill a new data directory."""
    platform.add_user('rfranklin', 'rosalind@example.org', token,
                      'Rosalind', 'Franklin')
    platform.add_user('jwatson', 'james@example.org', SECOND_TOKEN,
                      'James', 'Watson')
    platform.add_user('admin', 'admin@example.org',
                      f'emulator-admin-{uuid.uuid4().hex}', 'Platform',
                      'Admin')
    for username, name in (('rfranklin', 'Franklin Lab'),
                           ('jwatson', 'Watson Lab'),
                           ('admin', 'Public Data')):
        group_id = str(uuid.uuid5(uuid.NAMESPACE_URL,
                                  f'emulator/billing/{username}'))
        platform.store.put('billing_groups', {
            'id': group_id, 'owner': username, 'name': name,
            'type': 'regular', 'pending': False, 'disabled': False,
            'balance': {'currency': 'USD', 'amount': 1000.0},
            '_members': [username]})
    admin = platform.user('admin')
    public = platform.create_project(
        admin, {'name': PUBLIC_PROJECT.split('/')[1],
                'description': 'Reference files and apps for everyone.'},
        public=True)
    for name, content in (('chrM_fragment.fasta', REFERENCE_FASTA),
                          ('chrM_fragment.gtf', REFERENCE_GTF)):
        platform.add_file(public['id'], public['root_folder'], name,
                          content=content,
                          metadata={'reference_genome': 'GRCh38'},
                          tags=['reference'])
    from sevenbridges.emulator.apps_tasks import Apps
    apps = Apps(platform)
    for name, raw in PUBLIC_APPS.items():
        apps.install(admin, f'{public["id"]}/{name}', raw)
    platform.store.put('divisions', {
        'id': 'emulated-division', 'name': 'Emulated Division',
        '_members': {'rfranklin': 'admin', 'jwatson': 'member'}})
    from sevenbridges.emulator.accounts import Accounts
    accounts = Accounts(platform)
    accounts.add_dataset('admin', 'chrm-reference', 'The public chrM '
                         'reference files.', public=True,
                         project=public['id'])
    accounts.add_dataset('rfranklin', 'franklin-cohort', 'A private '
                         'cohort of the Franklin lab.')
    platform.store.put('meta', {'id': 'seeded', 'on': now()})
