"""Platform files as a filesystem: ``sbg://OWNER/PROJECT/folder/name`` for
fsspec, and through it pandas, pyarrow, dask, xarray and zarr.

Needs the ``fs`` extra (``pip install 'sevenbridges-python[fs]'``); fsspec
finds the filesystem by its protocols ``sbg`` and ``sevenbridges``::

    import fsspec
    fs = fsspec.filesystem('sbg')          # settings as Api() finds them
    fs.ls('rfranklin/demo')

See :class:`~sevenbridges.fs.filesystem.SevenBridgesFileSystem`.
"""
from sevenbridges.fs.filesystem import SevenBridgesFileSystem

__all__ = ['SevenBridgesFileSystem']
