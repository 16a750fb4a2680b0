from django import template

from articles.metadata import article_json_ld, json_ld_script, social_image
from core.links import absolute_url

register = template.Library()


@register.filter
def absolute(path):
    """A path on the configured public origin (settings.NEWSROOM_SITE_URL)."""
    return absolute_url(str(path))


@register.simple_tag
def article_structured_data(article):
    """The article's NewsArticle JSON-LD, as a data <script> element."""
    return json_ld_script(article_json_ld(article))


@register.simple_tag
def article_social_image(article):
    """{"url", "width", "height"} of the article's social card picture, or None."""
    return social_image(article)
