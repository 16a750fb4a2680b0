from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """What keeps the site safe on the open internet: security headers, admin protection,
    error pages that need nothing but the template engine, backups."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "security"
