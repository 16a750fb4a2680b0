from django.apps import AppConfig


class MostReadConfig(AppConfig):
    """What readers read: views counted by a beacon the page sends (no cache stores it), and
    the "Most read" lists of the last 24 hours, site-wide and per section."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "mostread"
    verbose_name = "Most read"
