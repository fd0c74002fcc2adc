"""What a fresh emulator holds: two users (and an admin) in a division,
their billing groups, a public project with small reference files, public
apps and two datasets."""
import uuid

from sevenbridges.emulator.state.common import (
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


def is_seeded(state):
    """Whether the state was seeded already (a data directory used
    before)."""
    return state.users.exists('rfranklin')


def seed(state, token):
    """Fill a new data directory.

    :param state: the services (:class:`~sevenbridges.emulator.wiring.State`).
    :param token: the token of ``rfranklin``.
    """
    users = state.users
    users.add('rfranklin', 'rosalind@example.org', token, 'Rosalind',
              'Franklin')
    users.add('jwatson', 'james@example.org', SECOND_TOKEN, 'James',
              'Watson')
    users.add('admin', 'admin@example.org',
              f'emulator-admin-{uuid.uuid4().hex}', 'Platform', 'Admin')
    for username, name in (('rfranklin', 'Franklin Lab'),
                           ('jwatson', 'Watson Lab'),
                           ('admin', 'Public Data')):
        state.billing.add(username, name, str(uuid.uuid5(
            uuid.NAMESPACE_URL, f'emulator/billing/{username}')))
    admin = users.get('admin')
    public = state.projects.create(
        admin, {'name': PUBLIC_PROJECT.split('/')[1],
                'description': 'Reference files and apps for everyone.'},
        public=True)
    for name, content in (('chrM_fragment.fasta', REFERENCE_FASTA),
                          ('chrM_fragment.gtf', REFERENCE_GTF)):
        state.files.add_file(public['id'], public['root_folder'], name,
                             content=content,
                             metadata={'reference_genome': 'GRCh38'},
                             tags=['reference'])
    for name, raw in PUBLIC_APPS.items():
        state.apps.install(admin, f'{public["id"]}/{name}', raw)
    state.teams.add_division('emulated-division', 'Emulated Division',
                             {'rfranklin': 'admin', 'jwatson': 'member'})
    state.datasets.add('admin', 'chrm-reference', 'The public chrM '
                       'reference files.', public=True, project=public['id'])
    state.datasets.add('rfranklin', 'franklin-cohort', 'A private cohort '
                       'of the Franklin lab.')
    state.store.put('meta', {'id': 'seeded', 'on': now()})
