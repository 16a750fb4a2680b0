from django.conf import settings
from django.utils.functional import SimpleLazyObject

from articles.caching import for_current_version
from sections.models import Section


def navigation(request):
    """The section navigation and the paper's name, on every page."""
    return {
        # Lazy: pages without the navigation (feeds, error pages) never read it.
        "nav_sections": SimpleLazyObject(
            lambda: for_current_version("sections", lambda: list(Section.objects.all()))
        ),
        "site_name": settings.SITE_NAME,
        "dateline": settings.NEWSROOM_DATELINE,
    }
