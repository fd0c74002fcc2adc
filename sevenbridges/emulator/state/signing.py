"""Signed, expiring URLs of the storage listener."""
import hashlib
import hmac
import os
import time
import uuid


class UrlSigner:
    """Signs storage paths with the data directory's secret (made at its
    first use, kept across restarts).

    :param data_dir: where the secret is kept.
    """

    def __init__(self, data_dir):
        path = os.path.join(data_dir, 'secret')
        if not os.path.exists(path):
            with open(path, 'w') as fp:
                fp.write(uuid.uuid4().hex)
        with open(path) as fp:
            self._secret = fp.read().strip().encode()

    def _signature(self, path, expires):
        return hmac.new(self._secret, f'{path}:{expires}'.encode(),
                        hashlib.sha256).hexdigest()

    def sign(self, storage_base, path, lifetime=600):
        """The URL of ``path`` under ``storage_base``, valid ``lifetime``
        seconds."""
        expires = int(time.time()) + lifetime
        return (f'{storage_base}{path}?expires={expires}'
                f'&signature={self._signature(path, expires)}')

    def check(self, path, expires, signature):
        """Whether ``expires`` and ``signature`` of a URL of ``path`` are
        valid now."""
        try:
            alive = int(expires) >= time.time()
        except (TypeError, ValueError):
            return False
        return alive and hmac.compare_digest(
            self._signature(path, expires), signature or '')
