"""Tags for pages that must render with nothing but the template engine (the 500 page and
pages rendered without a request): no database, no context processors."""

import datetime

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def site_name() -> str:
    """The masthead name, read from settings rather than from a context processor."""
    return settings.SITE_NAME


@register.filter
def minutes(value: datetime.timedelta) -> int:
    """A duration in whole minutes, rounded up: 90 seconds -> 2."""
    return -(-int(value.total_seconds()) // 60)
