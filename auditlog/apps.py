from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditlogConfig(AppConfig):
    """The newsroom's audit log: every transition, moderation decision, revision restore,
    deletion and shared preview link, written by the services that make them."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "auditlog"
    verbose_name = _("Audit")
