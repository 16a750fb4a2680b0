from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """The whole-page cache for anonymous readers and the kept fragments of pages."""

    name = "pagecache"
    label = "pagecache"
