"""Values of files: origin, storage, metadata, download info."""
