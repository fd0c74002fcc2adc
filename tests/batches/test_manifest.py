"""Manifests typed by the app's inputs: conversions, and each bad value a
problem of its row (no request is made)."""
import pytest

from sevenbridges.batches.manifest import (
    FileRef,
    InputSpec,
    app_inputs,
    read_manifest,
    typed_rows,
)
from sevenbridges.errors import ValidationError
from tests.batches.conftest import COUNTER

INPUTS = app_inputs(dict(COUNTER, inputs=COUNTER['inputs'] + [
    {'id': '#panel', 'type': ['null', {'type': 'array', 'items': 'File'}]},
    {'id': 'scale', 'type': 'float?'}, {'id': 'paired', 'type': 'boolean?'},
    {'id': 'tags', 'type': 'string[]?'}]))


def test_the_app_types_each_input():
    assert INPUTS == {
        'reads': InputSpec('reads', 'File', required=True),
        'threads': InputSpec('threads', 'int'),
        'mode': InputSpec('mode', 'enum', symbols=('fast', 'slow')),
        'panel': InputSpec('panel', 'File', array=True),
        'scale': InputSpec('scale', 'float'),
        'paired': InputSpec('paired', 'boolean'),
        'tags': InputSpec('tags', 'string', array=True)}


def test_values_are_converted_by_the_input_types():
    [row] = typed_rows([{
        'id': 's1', 'reads': 'fastq/s1.fastq', 'threads': ' 4 ',
        'mode': 'slow', 'panel': '0123456789abcdef01234567; a.bed',
        'scale': '0.5', 'paired': 'Yes', 'tags': '["a", "b"]'}], INPUTS)
    assert row.key == 's1' and row.problems == []
    assert row.inputs == {
        'reads': FileRef('path', 'fastq/s1.fastq'), 'threads': 4,
        'mode': 'slow', 'panel': [FileRef('id', '0123456789abcdef01234567'),
                                  FileRef('name', 'a.bed')],
        'scale': 0.5, 'paired': True, 'tags': ['a', 'b']}


def test_records_of_a_data_frame_keep_their_types():
    [row] = typed_rows([{'sample': 'x', 'reads': 'r.fq', 'threads': 2.0,
                         'scale': float('nan'), 'paired': False}],
                       INPUTS, key='sample')
    assert row.inputs == {'reads': FileRef('name', 'r.fq'), 'threads': 2,
                          'paired': False}


def test_every_bad_value_is_a_problem_of_its_row():
    rows = typed_rows([
        {'id': 'a', 'reads': 'r.fq', 'threads': 'four', 'mode': 'quick'},
        {'id': 'b', 'reads': '', 'paired': 'maybe'},
        {'id': 'a', 'reads': 'r.fq'}, {'id': '', 'reads': 'r.fq'}], INPUTS)
    assert [(row.key, row.problems) for row in rows] == [
        ('a', ["threads: 'four' is not an integer",
               "mode: 'quick' is not one of fast, slow"]),
        ('b', ["paired: 'maybe' is not a boolean (true or false)",
               'reads: a required input is empty']),
        ('a', ['the key a is on another row too']),
        ('row 4', ['the row has no key'])]


def test_a_manifest_with_unknown_columns_is_refused():
    with pytest.raises(ValidationError, match='the columns depth are not '
                                              'inputs'):
        typed_rows([{'id': 'a', 'reads': 'r', 'depth': '3'}], INPUTS)
    with pytest.raises(ValidationError, match="no column 'sample'"):
        typed_rows([{'id': 'a', 'reads': 'r'}], INPUTS, key='sample')


def test_csv_and_tsv_files_are_read_by_their_header(tmp_path):
    (tmp_path / 'a.csv').write_text('id,reads\ns1,"x,y.fq"\n')
    (tmp_path / 'a.tsv').write_text('id\treads\ns1\tx.fq\n')
    assert read_manifest(tmp_path / 'a.csv') == [{'id': 's1',
                                                  'reads': 'x,y.fq'}]
    assert read_manifest(str(tmp_path / 'a.tsv')) == [{'id': 's1',
                                                       'reads': 'x.fq'}]


@pytest.mark.parametrize('manifest', [[], 42, ['a'], {'id': 'x'}])
def test_what_is_not_a_manifest_is_refused(manifest):
    with pytest.raises(ValidationError, match='manifest'):
        read_manifest(manifest)


def test_a_data_frame_is_a_manifest():
    pandas = pytest.importorskip('pandas')
    frame = pandas.DataFrame({'id': ['s1', 's2'], 'reads': ['a.fq', 'b.fq'],
                              'threads': [1, None]})
    rows = typed_rows(read_manifest(frame), INPUTS)
    assert [(row.key, row.inputs) for row in rows] == [
        ('s1', {'reads': FileRef('name', 'a.fq'), 'threads': 1}),
        ('s2', {'reads': FileRef('name', 'b.fq')})]
