"""Values of task jobs: instances, disks, docker images, logs."""
from sevenbridges._lazy import lazy_submodules

__getattr__ = lazy_submodules(__name__)
