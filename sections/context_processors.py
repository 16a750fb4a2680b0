from django.conf import settings


def paper(request):
    """The paper's name and dateline, on every page. (The section navigation is the
    `section_nav` tag: it is kept rendered per content version.)"""
    return {
        "site_name": settings.SITE_NAME,
        "dateline": settings.NEWSROOM_DATELINE,
    }
