"""Version of the sevenbridges-python SDK (importable before anything else)."""

__version__ = '0.1.0'
