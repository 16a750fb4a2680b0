from django.apps import AppConfig


class ImportingConfig(AppConfig):
    """The old site's text exports: the parser, and a writer that goes through the
    editorial services (manage.py import_articles)."""

    name = "importing"
