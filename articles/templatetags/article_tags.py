from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from articles.models import Article
from pagecache.versions import for_each_row, template_key

register = template.Library()

CARD_TEMPLATE = "includes/article_card.html"


@register.simple_tag
def article_cards(articles, *, big=False, heading_level=3):
    """The cards of `articles` (or of one article), each rendered once per version of what
    it prints (the values its template prints of the article) and shared by every page."""
    if isinstance(articles, Article):
        articles = [articles]
    context = {"big": big, "heading_level": heading_level, "dateline": settings.NEWSROOM_DATELINE}

    def card(article):
        return render_to_string(CARD_TEMPLATE, {**context, "article": article})

    key = template_key(CARD_TEMPLATE, "article")
    cards = for_each_row(f"card:{int(big)}:{heading_level}", articles, key, card)
    return mark_safe("".join(cards))  # rendered by the template engine, which escaped it
