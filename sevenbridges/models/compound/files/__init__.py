"""Values of files: origin, storage, metadata, download info."""
from sevenbridges._lazy import lazy_submodules

__getattr__ = lazy_submodules(__name__)
