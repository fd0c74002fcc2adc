"""Version of the sevenbridges-python SDK (importable before anything else).

The public part is the version of the established SDK whose interface this
package mirrors, so that what its users pin (``==2.11.2``, ``>=2.0.0``,
``~=2.9``) accepts this package and ``pip`` keeps it; the local label
(``+sbgpy.N``) numbers this package's own releases of that interface.
"""

__version__ = '2.11.2+sbgpy.1'
