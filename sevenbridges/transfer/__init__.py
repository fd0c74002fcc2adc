"""Uploads and downloads of file bytes: multipart, parallel, resumable,
with bounded memory (see :mod:`sevenbridges.transfer.upload` and
:mod:`sevenbridges.transfer.download`)."""
