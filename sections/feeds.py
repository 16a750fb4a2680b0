"""The RSS 2.0 feed of one section."""

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import reverse

from articles.feeds import LatestArticlesFeed
from articles.models import Article
from core.links import absolute_url
from sections.models import Section


class SectionFeed(LatestArticlesFeed):
    """The latest stories of one section."""

    def get_object(self, request, slug):
        return get_object_or_404(Section, slug=slug)

    def title(self, obj=None):
        return f"{obj.name} — {settings.SITE_NAME}"

    def description(self, obj=None):
        return obj.description or f"The latest {obj.name} news from {settings.SITE_NAME}."

    def link(self, obj=None):
        return absolute_url(obj.get_absolute_url())

    def feed_url(self, obj=None):
        return absolute_url(reverse("sections:feed", kwargs={"slug": obj.slug}))

    def articles(self, obj=None):
        return Article.objects.published().filter(section=obj)
