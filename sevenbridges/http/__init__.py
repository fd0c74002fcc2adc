"""The HTTP layer: :mod:`sevenbridges.http.client`, the retry policy of its
calls (:mod:`sevenbridges.http.retry`), their pacing within the rate limit
(:mod:`sevenbridges.http.pacing`) and the bundled
:mod:`sevenbridges.http.error_handlers`."""
