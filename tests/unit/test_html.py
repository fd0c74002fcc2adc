"""Jupyter tables: ``_repr_html_`` of resources and collections."""
from sevenbridges.meta.collection import Collection
from sevenbridges.models.file import File
from sevenbridges.models.project import Project
from tests.conftest import BASE


def file_json(number, **extra):
    return dict({'href': f'{BASE}/files/f{number}', 'id': f'f{number}',
                 'name': f'sample{number}.bam', 'size': 1000 + number,
                 'project': 'rfranklin/demo', 'type': 'file',
                 'metadata': {'sample_id': f'S{number}'}}, **extra)


def test_resource_table_lists_the_held_fields_in_declared_order(
        api, mocked):
    file = File(api=api, **file_json(1, colour='<b>red</b>'))
    table = file._repr_html_()
    assert table.startswith('<table><caption style="text-align:left"><b>'
                            '&lt;File: id=f1&gt;</b></caption>')
    rows = table.split('<tr>')[2:]
    names = [row.split('</td>')[0].rsplit('>', 1)[1] for row in rows]
    assert names == ['href', 'id', 'type', 'name', 'size', 'project',
                     'metadata', 'colour']
    assert '<td style="text-align:left">{&quot;sample_id&quot;: ' \
           '&quot;S1&quot;}</td>' in table
    assert '&lt;b&gt;red&lt;/b&gt;' in table and '<b>red</b>' not in table
    assert len(mocked.calls) == 0          # nothing was fetched
    assert repr(file) == '<File: id=f1>'


def test_long_values_are_cut(api):
    project = Project(api=api, id='rfranklin/demo', description='x' * 500)
    table = project._repr_html_()
    assert 'x' * 79 + '\u2026' in table and 'x' * 80 not in table


def test_collection_table_has_one_row_per_item(api, mocked):
    items = [File(api=api, **file_json(n)) for n in range(3)]
    page = Collection(resource=File, href=f'{BASE}/files', total=120,
                      items=items, links=[], api=api)
    table = page._repr_html_()
    assert table.startswith('<table><caption style="text-align:left"><b>'
                            'Collection of File</b></caption>')
    header = table.split('<thead>')[1].split('</thead>')[0]
    assert [cell.rsplit('>', 1)[1] for cell in header.split('</th>')[:-1]] == \
        ['id', 'name', 'type', 'size', 'project']
    assert table.count('<tr>') == 4
    assert '<td style="text-align:left">sample2.bam</td>' in table
    assert table.endswith('<p>3 of 3 on this page, 120 in all</p>')
    assert len(mocked.calls) == 0
