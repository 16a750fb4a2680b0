"""Media in an S3-compatible bucket (MEDIA_STORAGE_BUCKET), for several app servers: the
same upload pipeline, names and renditions as on disk, and the same addresses. A picture's
address stays MEDIA_URL + its name, so every request still passes the media gate
(pictures/views.py), which reads the bytes from the bucket: a draft's picture is answered
to staff only, exactly as on disk, and the bucket itself can stay private."""

from django.conf import settings
from django.utils.encoding import filepath_to_uri
from storages.backends.s3 import S3Storage


class GatedS3Storage(S3Storage):
    def url(self, name, parameters=None, expire=None, http_method=None):
        return settings.MEDIA_URL + filepath_to_uri(name)
