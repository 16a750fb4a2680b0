from django.conf import settings
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from articles.models import Article
from core.pagination import BoundedPaginator
from sections.models import Section


class SectionDetailView(ListView):
    """A section's articles, newest first. Page numbers out of range answer 404."""

    template_name = "sections/section_detail.html"
    context_object_name = "articles"
    paginate_by = settings.NEWSROOM_PAGE_SIZE
    # A section's archive grows for ever: count no further than the pages read.
    paginator_class = BoundedPaginator

    def get_queryset(self):
        self.section = get_object_or_404(Section, slug=self.kwargs["slug"])
        return Article.objects.published().filter(section=self.section).for_listing()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(section=self.section, **kwargs)
        # Each page of the list is its own canonical page; page 1 is the plain address.
        path, page = self.section.get_absolute_url(), context["page_obj"]
        context["canonical_path"] = f"{path}?page={page.number}" if page.number > 1 else path
        return context
