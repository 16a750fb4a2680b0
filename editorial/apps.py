from django.apps import AppConfig
from django.utils.translation import gettext_lazy


class EditorialConfig(AppConfig):
    """The newsroom's workflow: roles, transitions, saves with the version check,
    revisions, corrections, notifications, preview and the article admin."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = gettext_lazy("Editorial")

    def ready(self):
        from django.conf import settings
        from django.contrib import admin
        from django.utils.text import format_lazy
        from django.utils.translation import gettext_lazy as _

        from editorial.permissions import shared_preview_shows
        from pictures.access import register_grant

        # Whoever holds a shared preview link sees the pictures of its story.
        register_grant(shared_preview_shows)

        # The desk is the paper's own, not "Django administration".
        admin.site.site_header = format_lazy(_("{site} · newsroom"), site=settings.SITE_NAME)
        admin.site.site_title = format_lazy(_("{site} newsroom"), site=settings.SITE_NAME)
        admin.site.index_title = _("Your desk")
