import unicodedata

from django import template
from django.template.defaultfilters import truncatechars

from articles.metadata import article_json_ld, json_ld_script, social_image
from core.links import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """A path on the configured public origin (settings.NEWSROOM_SITE_URL)."""
    return absolute_url(str(path))


@register.filter(is_safe=True)
def lead_chars(value, length: int):
    """`value|truncatechars:length`, without the filter's walk over each character when the
    text (in NFC, as the filter counts it) is no longer than `length`: then it is the NFC
    text itself, whatever its combining characters."""
    text = unicodedata.normalize("NFC", str(value))
    if len(text) <= length:
        return text
    return truncatechars(value, length)


@register.simple_tag
def article_structured_data(article):
    """The article's NewsArticle JSON-LD, as a data <script> element."""
    return json_ld_script(article_json_ld(article))


@register.simple_tag
def article_social_image(article):
    """{"url", "width", "height"} of the article's social card picture, or None."""
    return social_image(article)
