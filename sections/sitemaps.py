from django.db.models import Max

from articles.models import Article
from articles.sitemaps import SiteSitemap
from sections.models import Section


class SectionSitemap(SiteSitemap):
    """Section pages, last modified when their latest published story changed."""

    changefreq = "hourly"
    priority = 0.8

    def items(self):
        latest = {
            section: max(updated, published)
            for section, updated, published in Article.objects.published()
            .order_by()
            .values("section")
            .annotate(updated=Max("updated"), published=Max("published_at"))
            .values_list("section", "updated", "published")
        }
        sections = list(Section.objects.all())
        for section in sections:
            section.latest_change = latest.get(section.pk)
        return sections

    def lastmod(self, item):
        return item.latest_change

    def get_latest_lastmod(self):
        # Sections with no story yet have no date; the others still give the index one.
        return max(filter(None, (self.lastmod(s) for s in self.items())), default=None)
