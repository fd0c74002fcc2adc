"""Values of projects and members: settings, permissions."""
from sevenbridges._lazy import lazy_submodules

__getattr__ = lazy_submodules(__name__)
