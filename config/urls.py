from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps import views as sitemap_views
from django.urls import include, path

from articles.sitemaps import ArticleSitemap, HomeSitemap, NewsSitemap, sitemap_index
from core.views import robots_txt, slug_for
from sections.sitemaps import SectionSitemap

# The styled 500 page with the request id; a database error answers the 503 instead.
handler500 = "core.errors.server_error"

SITEMAPS = {"home": HomeSitemap, "sections": SectionSitemap, "articles": ArticleSitemap}

urlpatterns = [
    # Staff password reset lives beside the admin; it must precede the admin's patterns.
    path(settings.ADMIN_URL, include("security.urls")),
    path(f"{settings.ADMIN_URL}slug/", slug_for, name="admin-slug"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("robots.txt", robots_txt, name="robots"),
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
    path("", include("editorial.urls")),
    path("sections/", include("sections.urls")),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG or settings.NEWSROOM_SERVE_MEDIA:
    # Uploads served by Django: for development and single-machine set-ups only;
    # production puts nginx or object storage in front of MEDIA_URL (docs/production.md).
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
