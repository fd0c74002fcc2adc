"""pandas, pyarrow and dask on ``sbg://`` URLs, against the emulator:
round trips, the requests they cost, and a dask cluster of worker
processes that rebuild the filesystem from ``storage_options``."""
import pandas as pd
import pytest

from tests.fs.conftest import api_requests


@pytest.fixture
def options(emulator):
    """``storage_options`` of a filesystem with a cache of its own."""
    return {'endpoint': emulator.url, 'token': emulator.token,
            'skip_instance_cache': True}


def samples(rows):
    return pd.DataFrame({'sample': [f's{n}' for n in range(rows)],
                         'reads': range(rows),
                         'ratio': [n / 7 for n in range(rows)]})


def test_pandas_csv_round_trip_in_three_requests(emulator, project,
                                                 options):
    frame = samples(1000)
    url = f'sbg://{project.id}/runs/samples.csv'
    frame.to_csv(url, index=False, storage_options=options)
    before = len(emulator.requests)
    read = pd.read_csv(url, storage_options=options)
    pd.testing.assert_frame_equal(read, frame)
    file_id = [entry for entry in emulator.state.files.of_project(project.id)
               if entry['name'] == 'samples.csv'][0]['id']
    # the project's root, runs/, and the file's URL
    assert api_requests(emulator, before) == [
        ('GET', '/v2/files/scroll'), ('GET', '/v2/files/scroll'),
        ('GET', f'/v2/files/{file_id}/download_info')]


def test_pyarrow_parquet_round_trip_reads_ranges(emulator, project,
                                                 options):
    frame = samples(5000)
    url = f'sbg://{project.id}/tables/samples.parquet'
    frame.to_parquet(url, engine='pyarrow', storage_options=options)
    before = len(emulator.requests)
    read = pd.read_parquet(url, engine='pyarrow', storage_options=options)
    pd.testing.assert_frame_equal(read, frame)
    ranges = [entry['headers'].get('Range') for entry in
              emulator.requests[before:] if entry['listener'] == 'storage']
    assert ranges and all(value.startswith('bytes=') for value in ranges)


def test_dask_reads_twenty_files_on_worker_processes(emulator, project,
                                                     sbg_fs):
    dd = pytest.importorskip('dask.dataframe')
    distributed = pytest.importorskip('distributed')
    for number in range(20):
        sbg_fs.pipe_file(f'{project.id}/csv/part-{number:02}.csv',
                         f'n,value\n{number},{number * 10}\n'
                         f'{number},1\n'.encode())
    options = {'endpoint': emulator.url, 'token': emulator.token}
    before = len(emulator.requests)
    with distributed.LocalCluster(processes=True, n_workers=2,
                                  threads_per_worker=1,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster):
        frame = dd.read_csv(f'sbg://{project.id}/csv/*.csv',
                            storage_options=options)
        read = frame.compute()
    assert read['value'].sum() == sum(number * 10 + 1 for number in range(20))
    assert sorted(read['n']) == sorted(list(range(20)) * 2)
    sent = api_requests(emulator, before)
    urls = [entry for entry in sent if entry[1].endswith('/download_info')]
    listings = [entry for entry in sent if entry[1] == '/v2/files/scroll']
    # one URL per file, and one for the client's look at the first file
    # (dask reads a sample for the columns)
    assert len(urls) == 20 + 1
    # a listing of the project's root and of csv/ per process that reads:
    # the client, and the workers the tasks went to
    assert len(listings) in (2 * 2, 2 * 3)
    assert len(sent) == len(urls) + len(listings)
