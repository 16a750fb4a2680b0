"""The site's URLs plus views that fail on purpose, to test the error pages end to end."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.shortcuts import render
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("malformed on purpose")


def forbidden(request):
    raise PermissionDenied


def too_many(request):
    return render(request, "429.html", status=429)


def broken(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [
    path("test-errors/400/", bad_request),
    path("test-errors/403/", forbidden),
    path("test-errors/429/", too_many),
    path("test-errors/500/", broken),
    *site_urlpatterns,
]
