"""Signals here only invalidate the page cache; no business logic lives in signals."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from articles.caching import content_changed


def connect_cache_invalidation(*models, m2m_through=()):
    for model in models:
        post_save.connect(content_changed, sender=model, dispatch_uid=f"cache-save-{model}")
        post_delete.connect(content_changed, sender=model, dispatch_uid=f"cache-del-{model}")
    for through in m2m_through:
        m2m_changed.connect(content_changed, sender=through, dispatch_uid=f"cache-m2m-{through}")
