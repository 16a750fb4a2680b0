from django.views.generic import DetailView, TemplateView

from frontpage.models import PaperPage
from frontpage.selectors import HOME_RECENT_NEWS_STORIES


class HomeView(TemplateView):
    """The lead and featured stories, then the latest stories of each section: chosen and
    rendered by the template's {% home_stories %}, once per site version."""

    template_name = "frontpage/home.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(recent_count=HOME_RECENT_NEWS_STORIES, **kwargs)


class PaperPageView(DetailView):
    """One of the paper's own pages (about, contact, ...)."""

    model = PaperPage
    template_name = "frontpage/paper_page.html"
    context_object_name = "paper_page"
