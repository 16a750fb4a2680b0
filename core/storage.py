"""The static files' storage in production."""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's compressed manifest storage, each file's address worked out once per
    process: the manifest is read when the process starts and nothing changes it under it,
    and every page prints the same few addresses (the stylesheet, the fonts, the scripts),
    each costing a manifest lookup and a urljoin() per {% static %}."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._addresses: dict[str, str] = {}

    def url(self, name, force=False):
        if force or settings.DEBUG:  # with DEBUG on, the name as it is (Django's rule)
            return super().url(name, force)
        if (address := self._addresses.get(name)) is None:
            address = self._addresses[name] = super().url(name)
        return address
