from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app uses and that knows no newsroom model: the text rules, absolute
    links, database routing, the Redis cache client, robots.txt and the health check."""

    name = "core"
