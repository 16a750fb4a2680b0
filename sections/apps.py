from django.apps import AppConfig


class SectionsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "sections"
