from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The newsroom's workflow: roles, transitions, saves with the version check,
    revisions, corrections, notifications, preview and the article admin."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"

    def ready(self):
        from django.conf import settings
        from django.contrib import admin

        from editorial.permissions import shared_preview_shows
        from pictures.access import register_grant

        # Whoever holds a shared preview link sees the pictures of its story.
        register_grant(shared_preview_shows)

        # The desk is the paper's own, not "Django administration".
        admin.site.site_header = f"{settings.SITE_NAME} · newsroom"
        admin.site.site_title = f"{settings.SITE_NAME} newsroom"
        admin.site.index_title = "Your desk"
