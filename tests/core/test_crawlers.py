"""What crawlers are told: robots.txt keeps them out of previews and search without naming
the admin's path (anyone may read robots.txt), and every admin response says noindex."""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_does_not_name_the_admin_path(client):
    text = client.get("/robots.txt").content.decode()
    admin_path = reverse("admin:index")
    assert admin_path == "/" + settings.ADMIN_URL
    assert admin_path not in text
    assert settings.ADMIN_URL.strip("/") not in text


@pytest.mark.parametrize(
    "name", ["admin:index", "admin:login", "admin:articles_article_changelist", "admin-slug"]
)
def test_admin_responses_tell_crawlers_not_to_index_them(client, name):
    response = client.get(reverse(name))  # signed out: the login page or a redirect to it
    assert response.status_code in (200, 302)
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_signed_in_admin_pages_are_not_indexed_either(client):
    client.force_login(EditorFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert '<meta name="robots" content="noindex, nofollow">' in response.content.decode()


def test_admin_pages_that_do_not_exist_are_not_indexed(client):
    client.force_login(EditorFactory())
    response = client.get(reverse("admin:index") + "no-such-page/")
    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_public_pages_carry_no_noindex_header(client):
    response = client.get(reverse("frontpage:home"))
    assert response.status_code == 200
    assert "X-Robots-Tag" not in response


def test_previews_are_not_indexed(client):
    response = client.get(reverse("editorial:preview", args=[1]))
    assert response.status_code == 404
    assert response["X-Robots-Tag"] == "noindex, nofollow"
