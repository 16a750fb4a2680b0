from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path, re_path

from articles.sitemaps import (
    ArticleSitemap,
    HomeSitemap,
    NewsSitemap,
    SeriesSitemap,
    sitemap_index,
)
from core.views import robots_txt, slug_for
from editorial.admin.language import desk_language_view
from pictures.views import media
from sections.sitemaps import SectionSitemap

# The styled 500 page with the request id; a database error answers the 503 instead.
handler500 = "core.errors.server_error"

SITEMAPS = {
    "home": HomeSitemap,
    "sections": SectionSitemap,
    "articles": ArticleSitemap,
    "series": SeriesSitemap,
}

urlpatterns = [
    # Staff password reset lives beside the admin; it must precede the admin's patterns.
    path(settings.ADMIN_URL, include("security.urls")),
    path(f"{settings.ADMIN_URL}slug/", slug_for, name="admin-slug"),
    path(
        f"{settings.ADMIN_URL}language/",
        admin.site.admin_view(desk_language_view),
        name="admin-language",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", robots_txt, name="robots"),
    # Uploads pass the media gate: readers get published pictures only (pictures/views.py).
    re_path(rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.+)$", media, name="media"),
    path("sitemap.xml", sitemap_index, {"sitemaps": SITEMAPS}, name="sitemap"),
    path(
        "sitemap-news.xml",
        sitemap_views.sitemap,
        {"sitemaps": {"news": NewsSitemap}, "template_name": "sitemaps/news.xml"},
        name="news-sitemap",
    ),
    path(
        "sitemap-<slug:section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("", include("core.urls")),
    path("", include("search.urls")),
    path("", include("frontpage.urls")),
    path("", include("mostread.urls")),
    path("", include("live.urls")),
    path("", include("editorial.urls")),
    path("sections/", include("sections.urls")),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]
