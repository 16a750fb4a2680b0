"""RSS 2.0 feeds: the whole paper and each section, published articles only."""

import mimetypes

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Enclosure

from articles.models import Article
from core.dates import paper_time
from core.links import absolute_url

FEED_ITEMS = 30


class LatestArticlesFeed(Feed):
    """The latest stories of the whole paper."""

    description = "The latest news from Điện Biên province, in English."

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return absolute_url(reverse("frontpage:home"))

    def feed_url(self, obj=None):
        return absolute_url(reverse("articles:feed"))

    def articles(self, obj=None):
        return Article.objects.published()

    def items(self, obj=None):
        articles = (
            self.articles(obj).for_listing(counts=False).with_bylines().prefetch_related("tags")
        )
        return articles[:FEED_ITEMS]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    # On the paper's clock (+0700), not the UTC the database hands back.
    def item_pubdate(self, item):
        return paper_time(item.published_at)

    def item_updateddate(self, item):
        return paper_time(item.updated)

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.ordered_authors) or None

    def item_categories(self, item):
        return [item.section.name, *(tag.name for tag in item.tags.all())]

    def item_enclosures(self, item):
        image = feed_image(item)
        if image is None:
            return []
        url, length, mime_type = image
        return [Enclosure(url, str(length), mime_type)]


def feed_image(article) -> tuple[str, int, str] | None:
    """(absolute URL, bytes, MIME type) of the article's picture, or None without one."""
    if not article.image:
        return None
    try:
        length = article.image.size
    except OSError:  # the file went missing from storage: list the story without it
        return None
    mime_type = mimetypes.guess_type(article.image.name)[0] or "image/jpeg"
    return absolute_url(article.image.url), length, mime_type
