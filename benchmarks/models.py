"""Model construction speed: build File objects from server JSON and read
five fields of each (name, size, metadata, created_on, tags).

Target: 20,000 files in at most 100 ms.

    python benchmarks/models.py [--count N] [--repeat R]
"""
import argparse
import gc
import statistics
import time

from sevenbridges.models.file import File


def server_json(count):
    return [{
        'href': f'https://api.sbgenomics.com/v2/files/{i:024x}',
        'id': f'{i:024x}',
        'type': 'file',
        'name': f'sample_{i}.fastq.gz',
        'size': 1000 + i,
        'parent': '5f0a' + '0' * 20,
        'project': 'rfranklin/demo',
        'created_on': '2024-03-01T10:20:30Z',
        'modified_on': '2024-03-02T10:20:30.123Z',
        'origin': {'task': None},
        'storage': {'type': 'PLATFORM', 'hosted_on_locations': []},
        'metadata': {'sample_id': f'S{i}', 'platform': 'ILLUMINA'},
        'tags': ['raw', 'fastq'],
    } for i in range(count)]


def run(count):
    items = server_json(count)
    # The JSON exists before the clock starts (as a parsed response would);
    # collect so that each repeat starts from the same heap. The garbage
    # collector stays on while timing.
    gc.collect()
    start = time.perf_counter()
    files = [File(api=None, **item) for item in items]
    for file in files:
        row = (file.name, file.size, file.metadata, file.created_on,
               file.tags)
    assert row[0] == items[-1]['name']
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--count', type=int, default=20000)
    parser.add_argument('--repeat', type=int, default=7)
    args = parser.parse_args()
    timings = [run(args.count) for _ in range(args.repeat)]
    print(f'models: {args.count} File objects built and read '
          f'(5 fields each): median {statistics.median(timings) * 1000:.1f} '
          f'ms, best {min(timings) * 1000:.1f} ms (target 100 ms)')


if __name__ == '__main__':
    main()
