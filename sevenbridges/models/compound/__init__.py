"""Nested values of resources (prices, errors, metadata, ...)."""
from sevenbridges._lazy import lazy_submodules

__getattr__ = lazy_submodules(__name__)
