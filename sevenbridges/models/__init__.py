"""One module per platform resource; ``compound`` holds nested values.
Submodules load when first used."""
from sevenbridges._lazy import lazy_submodules

__getattr__ = lazy_submodules(__name__)
