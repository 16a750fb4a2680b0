from django.views.generic import DetailView, TemplateView

from articles.models import Article
from frontpage.models import PaperPage
from frontpage.selectors import HOME_RECENT_NEWS_STORIES, home_front, home_sections
from sections.models import Section


class HomeView(TemplateView):
    """The lead and featured stories, then the latest stories of each section."""

    template_name = "frontpage/home.html"

    def get_context_data(self, **kwargs):
        published = Article.objects.published().for_listing()
        lead, featured = home_front(published=published)
        on_page = [a for a in [lead, *featured] if a is not None]
        blocks = home_sections(published=published, sections=Section.objects.all(), exclude=on_page)
        for _section, section_stories in blocks:
            on_page.extend(section_stories)
        return super().get_context_data(
            lead=lead,
            featured=featured,
            section_blocks=blocks,
            on_page=on_page,
            recent_count=HOME_RECENT_NEWS_STORIES,
            **kwargs,
        )


class PaperPageView(DetailView):
    """One of the paper's own pages (about, contact, ...)."""

    model = PaperPage
    template_name = "frontpage/paper_page.html"
    context_object_name = "paper_page"
