from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PicturesConfig(AppConfig):
    """Every uploaded picture: the checked field, renditions, the library of body pictures."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "pictures"
    verbose_name = _("Pictures")
