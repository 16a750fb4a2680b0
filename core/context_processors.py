from django.conf import settings


def paper(request):
    """The paper's name and dateline, on every page."""
    return {
        "site_name": settings.SITE_NAME,
        "dateline": settings.NEWSROOM_DATELINE,
    }
