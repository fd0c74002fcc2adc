"""The HTTP layer: :mod:`sevenbridges.http.client` and the bundled
:mod:`sevenbridges.http.error_handlers`."""
