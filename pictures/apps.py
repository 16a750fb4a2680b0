from django.apps import AppConfig


class PicturesConfig(AppConfig):
    """Every uploaded picture: the checked field, renditions, the library of body pictures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pictures"
