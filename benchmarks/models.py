"""Model construction speed: build File objects from server JSON and read
five fields of each (name, size, metadata, created_on, tags).

Target: 20,000 files in at most 250 ms.

    python benchmarks/models.py [--count N] [--repeat R]
"""
import argparse
import statistics
import time


def file_class():
    """The SDK's File model; a stand-in with the same fields until the files
    model exists."""
    try:
        from sevenbridges.models.file import File
        return File
    except ImportError:
        from sevenbridges.meta.comp_mutable_dict import CompoundMutableDict
        from sevenbridges.meta.fields import (
            BasicListField,
            CompoundField,
            DateTimeField,
            DictField,
            HrefField,
            IntegerField,
            StringField,
        )
        from sevenbridges.meta.resource import Resource

        class Metadata(CompoundMutableDict, Resource):
            _name = 'metadata'

            def __init__(self, **kwargs):
                super().__init__(**kwargs)

            def __getitem__(self, item):
                return self._live_item(item)

        class File(Resource):
            _URL = {'get': '/files/{id}'}
            href = HrefField(read_only=True)
            id = StringField(read_only=True)
            type = StringField(read_only=True)
            name = StringField(read_only=False)
            size = IntegerField(read_only=True)
            parent = StringField(read_only=True)
            project = StringField(read_only=True)
            created_on = DateTimeField(read_only=True)
            modified_on = DateTimeField(read_only=True)
            origin = DictField(read_only=True)
            storage = DictField(read_only=True)
            metadata = CompoundField(Metadata, read_only=False)
            tags = BasicListField(read_only=False)
            _secondary_files = BasicListField(read_only=False,
                                              name='_secondary_files')
        return File


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
    File = file_class()
    items = server_json(count)
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
          f'ms, best {min(timings) * 1000:.1f} ms (target 250 ms)')


if __name__ == '__main__':
    main()
