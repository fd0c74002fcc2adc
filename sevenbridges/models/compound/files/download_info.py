"""Where to download a file from."""
from sevenbridges.meta.fields import HrefField
from sevenbridges.meta.resource import Resource


class DownloadInfo(Resource):
    """A signed, expiring ``url`` of a file's bytes."""
    url = HrefField(read_only=True)

    def __str__(self):
        return f'<DownloadInfo: url={self.url}>'
