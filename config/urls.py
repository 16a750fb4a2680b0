from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # Staff password reset lives beside the admin; it must precede the admin's patterns.
    path(settings.ADMIN_URL, include("security.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sections/", include("sections.urls")),
    path("", include("comments.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG or settings.NEWSROOM_SERVE_MEDIA:
    # Uploads served by Django: for development and single-machine set-ups only;
    # production puts nginx or object storage in front of MEDIA_URL (README, Production).
    from django.urls import re_path
    from django.views.static import serve

    urlpatterns += [
        re_path(
            rf"^{settings.MEDIA_URL.lstrip('/')}(?P<path>.*)$",
            serve,
            {"document_root": settings.MEDIA_ROOT},
        )
    ]
