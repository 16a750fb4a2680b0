from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and that knows no newsroom model: the text rules, absolute
    links, database routing, the Redis cache client, robots.txt and the health check, and
    how errors are recorded and answered (core/errors.py)."""

    name = "core"

    def ready(self):
        from core.errors import start_error_tracker

        start_error_tracker()
