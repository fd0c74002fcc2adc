"""Values of volumes: listing entries, services, properties."""
from sevenbridges._lazy import lazy_submodules

__getattr__ = lazy_submodules(__name__)
