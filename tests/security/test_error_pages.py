import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.factories import SectionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.error_urls")]

STYLESHEET = '<link rel="stylesheet" href="/static/css/site.css">'


def assert_site_page(response, status, heading):
    assert response.status_code == status
    assert response["Content-Type"] == "text/html; charset=utf-8"
    html = response.content.decode()
    assert STYLESHEET in html
    assert 'class="masthead__title"' in html and "Điện Biên Phủ Online" in html
    assert f'<p class="error-page__code">{status}</p>' in html
    assert heading in html
    assert "Traceback" not in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    return html


@pytest.mark.parametrize(
    ("url", "status", "heading"),
    [
        ("/test-errors/400/", 400, "This request could not be understood"),
        ("/test-errors/403/", 403, "You are not allowed to see this page"),
        ("/no-such-page/", 404, "Page not found"),
        ("/test-errors/429/", 429, "Too many requests"),
    ],
)
def test_client_errors_answer_a_page_in_the_sites_style(client, url, status, heading):
    assert_site_page(client.get(url), status, heading)


def test_pages_rendered_with_a_request_keep_the_section_navigation(client):
    SectionFactory(name="Photo Essays", slug="photo-essays")
    for url in ["/no-such-page/", "/test-errors/403/", "/test-errors/429/"]:
        assert "Photo Essays" in client.get(url).content.decode(), url


def test_server_error_answers_a_page_in_the_sites_style(client):
    client.raise_request_exception = False
    html = assert_site_page(client.get("/test-errors/500/"), 500, "Something went wrong")
    assert "broken on purpose" not in html


def test_server_error_page_needs_neither_database_nor_context_processors(settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "OPTIONS": {**settings.TEMPLATES[0]["OPTIONS"]}},
    ]
    settings.TEMPLATES[0]["OPTIONS"]["context_processors"] = []
    with CaptureQueriesContext(connection) as queries:
        html = render_to_string("500.html")
    assert len(queries) == 0
    assert "Something went wrong on our side" in html
    assert "Điện Biên Phủ Online" in html


def test_wrong_method_answers_405_with_a_page(client):
    response = client.post("/")
    html = assert_site_page(response, 405, "This page cannot be used that way")
    assert response["Allow"] == "GET, HEAD, OPTIONS"
    assert "<nav" in html


def test_missing_csrf_token_answers_a_page_in_the_sites_style():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/admin/login/", {"username": "x", "password": "y"})
    assert_site_page(response, 403, "This form could not be accepted")


def test_forged_host_answers_the_400_page(client, settings):
    settings.ALLOWED_HOSTS = ["news.example"]
    assert_site_page(client.get("/", HTTP_HOST="evil.example"), 400, "could not be understood")
