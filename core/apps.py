from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and that knows no newsroom model: the text rules, absolute
    links, database routing, the Redis cache client, robots.txt and the health check, and
    how errors are recorded and answered (core/errors.py)."""

    name = "core"

    def ready(self):
        from django.db.backends.signals import connection_created

        from core.errors import start_error_tracker
        from core.parts import install_lock_waits

        start_error_tracker()
        connection_created.connect(install_lock_waits, dispatch_uid="core.parts.lock_waits")
