from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # Staff password reset lives beside the admin; it must precede the admin's patterns.
    path(settings.ADMIN_URL, include("security.urls")),
    path(settings.ADMIN_URL, admin.site.urls),
    path("sections/", include("sections.urls")),
    path("", include("articles.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
