from django.conf import settings

from sections.models import Section


def navigation(request):
    """The section navigation and the paper's name, on every page."""
    return {
        "nav_sections": Section.objects.all(),
        "site_name": settings.SITE_NAME,
        "dateline": settings.NEWSROOM_DATELINE,
    }
