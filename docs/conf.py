"""Sphinx configuration of the sevenbridges-python documentation."""
import os
import sys

sys.path.insert(0, os.path.abspath('..'))
sys.path.insert(0, os.path.abspath('_ext'))

from sevenbridges.version import __version__  # noqa: E402

project = 'sevenbridges-python'
author = 'sevenbridges-python developers'
copyright = '2026, sevenbridges-python developers'
version = release = __version__

extensions = [
    'sphinx.ext.autodoc',
    'sphinx.ext.viewcode',
    'sbg_help',
]
autodoc_member_order = 'bysource'
autodoc_default_options = {'members': True, 'show-inheritance': True}
autodoc_typehints = 'description'
nitpicky = False
exclude_patterns = ['_build', '_ext']
html_theme = 'alabaster'
