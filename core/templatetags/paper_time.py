from django import template

from core.dates import gmt_label

register = template.Library()


@register.filter
def gmt(value):
    """`{{ article.published_at|gmt }}` -> "GMT+7", the paper's offset at that time."""
    return gmt_label(value) if value else ""
