"""Values of invoices and billing breakdowns."""
from sevenbridges._lazy import lazy_submodules

__getattr__ = lazy_submodules(__name__)
