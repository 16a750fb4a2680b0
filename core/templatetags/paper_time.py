from django import template
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.html import format_html

from core.dates import gmt_label

register = template.Library()


@register.filter
def gmt(value):
    """`{{ article.published_at|gmt }}` -> "GMT+7", the paper's offset at that time."""
    return gmt_label(value) if value else ""


@register.simple_tag
def time_element(value):
    """The <time> element a card prints for `value`: what `<time datetime="{{ value|date:ISO
    }}">{{ value|date:"j F Y, H:i" }}</time>` prints (ISO being "Y-m-d, T, H:i:sO"), in the
    current time zone and with the month named in the current language, without the date
    filter's parsing of its formats letter by letter for each card:
    `<time datetime="2026-02-10T09:00:00+0700">10 February 2026, 09:00</time>`."""
    if not value:
        return format_html('<time datetime="">{}</time>', "")
    at = timezone.localtime(value) if timezone.is_aware(value) else value
    offset = int(at.utcoffset().total_seconds()) if at.utcoffset() is not None else 0
    sign, offset = ("-" if offset < 0 else "+"), abs(offset)
    return format_html(
        '<time datetime="{}">{}</time>',
        f"{at.year:04d}-{at.month:02d}-{at.day:02d}T{at.hour:02d}:{at.minute:02d}:{at.second:02d}"
        f"{sign}{offset // 3600:02d}{(offset // 60) % 60:02d}",
        f"{at.day} {MONTHS[at.month]} {at.year:04d}, {at.hour:02d}:{at.minute:02d}",
    )
