"""The site's URLs plus views that fail on purpose, to test the error pages end to end."""

from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.urls import path

from config.urls import handler500  # noqa: F401  (the site's error pages here too)
from config.urls import urlpatterns as site_urlpatterns


def bad_request(request):
    raise SuspiciousOperation("malformed on purpose")


def forbidden(request):
    raise PermissionDenied


def too_many(request):
    return render(request, "429.html", status=429)


def broken(request):
    raise RuntimeError("broken on purpose")


def database_gone(request):
    raise OperationalError("server closed the connection unexpectedly")


def connection_closed(request):
    raise InterfaceError("connection already closed")


urlpatterns = [
    path("test-errors/database/", database_gone),
    path("test-errors/connection/", connection_closed),
    path("test-errors/400/", bad_request),
    path("test-errors/403/", forbidden),
    path("test-errors/429/", too_many),
    path("test-errors/500/", broken),
    *site_urlpatterns,
]
