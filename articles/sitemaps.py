"""Sitemaps for search engines: the home page, articles, and Google News."""

import datetime

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem, x_robots_tag
from django.db.models import Max
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Series
from core.links import absolute_url

# Google News lists articles from the last two days only.
NEWS_WINDOW = datetime.timedelta(hours=48)


class SiteSitemap(Sitemap):
    """Locations on the configured public origin, whatever Host the request came with."""

    def get_protocol(self, protocol=None):
        return settings.NEWSROOM_SITE_URL.split("://", 1)[0]

    def get_domain(self, site=None):
        return settings.NEWSROOM_SITE_URL.split("://", 1)[1]


def latest_changes(field: str) -> dict:
    """When the latest published story of each value of `field` ("section", "series")
    changed for readers (its last edit, or its going live if later), in one aggregate."""
    return {
        value: max(updated, published)
        for value, updated, published in Article.objects.published()
        .filter(**{f"{field}__isnull": False})
        .order_by()
        .values(field)
        .annotate(updated=Max("updated"), published=Max("published_at"))
        .values_list(field, "updated", "published")
    }


def _last_change(article) -> datetime.datetime:
    # A scheduled article goes live after its last edit: it changed, for readers, then.
    return max(article.updated, article.published_at)


class HomeSitemap(SiteSitemap):
    changefreq = "hourly"
    priority = 1.0

    def items(self):
        return ["frontpage:home"]

    def location(self, item):
        return reverse(item)

    def lastmod(self, item):
        latest = Article.objects.published().aggregate(
            updated=Max("updated"), published=Max("published_at")
        )
        return max(filter(None, latest.values()), default=None)


class ArticleSitemap(SiteSitemap):
    changefreq = "daily"
    limit = 5000

    def items(self):
        return Article.objects.published().only("slug", "updated", "published_at")

    def lastmod(self, item):
        return _last_change(item)

    def get_latest_lastmod(self):
        # One aggregate, instead of Django's default of reading every article.
        latest = self.items().aggregate(updated=Max("updated"), published=Max("published_at"))
        return max(filter(None, latest.values()), default=None)


class SeriesSitemap(SiteSitemap):
    """Series pages, for the series with a published part, last modified when their latest
    published part changed."""

    changefreq = "daily"
    priority = 0.6

    def items(self):
        changed = latest_changes("series")
        series = list(Series.objects.filter(pk__in=changed).order_by("pk"))
        for item in series:
            item.latest_change = changed[item.pk]
        return series

    def lastmod(self, item):
        return item.latest_change

    def get_latest_lastmod(self):
        return max((self.lastmod(s) for s in self.items()), default=None)


class NewsSitemap(SiteSitemap):
    """Google News: articles published in the last 48 hours (at most 1,000)."""

    limit = 1000

    def items(self):
        since = timezone.now() - NEWS_WINDOW
        return (
            Article.objects.published()
            .filter(published_at__gte=since)
            .only("slug", "title", "updated", "published_at")
        )

    def lastmod(self, item):
        return _last_change(item)


@x_robots_tag
def sitemap_index(request, sitemaps):
    """The sitemap index: every page of every sitemap, on the configured origin.

    Django's own index view takes the domain from the request's Host header. A sitemap
    with nothing in it is left out."""
    entries = []
    for section, sitemap_class in sitemaps.items():
        sitemap = sitemap_class()
        if not sitemap.paginator.count:
            continue  # nothing to list yet (no series with a published part)
        location = absolute_url(reverse("sitemap-section", kwargs={"section": section}))
        lastmod = sitemap.get_latest_lastmod()
        entries.append(SitemapIndexItem(location, lastmod))
        entries += [
            SitemapIndexItem(f"{location}?p={page}", lastmod)
            for page in range(2, sitemap.paginator.num_pages + 1)
        ]
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": entries}, content_type="application/xml"
    )
