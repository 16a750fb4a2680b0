from functools import lru_cache

from django.conf import settings
from django.http import Http404
from django.utils import timezone
from django.views.generic import TemplateView

from articles.lists import PreparedList, list_page
from articles.models import Article
from core.prepared import PreparedQuery
from pagecache.versions import for_site_version
from sections.models import Section

# The sections, through a statement built once per connection.
SECTIONS = PreparedQuery(Section, lambda: Section.objects.all())


def section_at(slug: str) -> Section:
    """The section whose address is `slug`, or 404: the sections are read once per site
    version (a section saved starts a new one) and shared by every process."""
    sections = for_site_version(
        "sections-by-slug", lambda: {section.slug: section for section in SECTIONS.all()}
    )
    if slug not in sections:
        raise Http404("No such section.")
    return sections[slug]


class SectionDetailView(TemplateView):
    """A section's articles, newest first, a page of them kept per site version
    (articles.lists). Page numbers out of range answer 404."""

    template_name = "sections/section_detail.html"
    paginate_by = settings.NEWSROOM_PAGE_SIZE

    def get_context_data(self, **kwargs):
        section = section_at(self.kwargs["slug"])
        page = list_page(
            f"section:{section.pk}",
            lambda: _section_list(section.pk, self.paginate_by).at(timezone.now()),
            request=self.request,
            per_page=self.paginate_by,
        )
        # Each page of the list is its own canonical page; page 1 is the plain address.
        path = section.get_absolute_url()
        return super().get_context_data(
            section=section,
            article_list=page,
            canonical_path=f"{path}?page={page.number}" if page.number > 1 else path,
            **kwargs,
        )


@lru_cache(maxsize=64)
def _section_list(section_pk: int, per_page: int) -> PreparedList:
    """A section's published articles, newest first, read through statements built once
    per connection (articles.lists.PreparedList)."""
    return PreparedList(
        lambda at: Article.objects.published(at=at).filter(section=section_pk).for_listing(at=at),
        per_page=per_page,
    )
