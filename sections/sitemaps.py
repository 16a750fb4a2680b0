from articles.sitemaps import SiteSitemap, latest_changes
from sections.models import Section


class SectionSitemap(SiteSitemap):
    """Section pages, last modified when their latest published story changed."""

    changefreq = "hourly"
    priority = 0.8

    def items(self):
        latest = latest_changes("section")
        sections = list(Section.objects.all())
        for section in sections:
            section.latest_change = latest.get(section.pk)
        return sections

    def lastmod(self, item):
        return item.latest_change

    def get_latest_lastmod(self):
        # Sections with no story yet have no date; the others still give the index one.
        return max(filter(None, (self.lastmod(s) for s in self.items())), default=None)
