"""Lazy loading of submodules and names, so that ``import sevenbridges``
stays fast and heavy parts load only when used."""
import importlib


def lazy_submodules(package):
    """A module ``__getattr__`` that imports ``package.<name>`` on first
    access of ``<name>``."""

    def __getattr__(name):
        if name.startswith('_'):
            raise AttributeError(name)
        try:
            return importlib.import_module(f'{package}.{name}')
        except ModuleNotFoundError as e:
            if e.name != f'{package}.{name}':
                raise
            raise AttributeError(
                f'module {package!r} has no attribute {name!r}') from None

    return __getattr__
