from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """The newsroom's workflow: roles, transitions, saves with the version check,
    revisions, corrections, notifications, preview and the article admin."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
