import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_hosts(settings):
    settings.ALLOWED_HOSTS = ["news.example", "internal.example"]
    settings.NEWSROOM_SITE_URL = "https://news.example"


@pytest.mark.parametrize("url", ["/", "/no-such-page/", "/admin/login/"])
def test_a_forged_host_header_answers_400(client, production_hosts, url):
    response = client.get(url, HTTP_HOST="evil.example")
    assert response.status_code == 400


def test_an_allowed_host_is_served(client, production_hosts):
    assert client.get("/", HTTP_HOST="news.example").status_code == 200


def test_password_reset_link_uses_the_configured_site_even_from_another_allowed_host(
    client, production_hosts
):
    user = UserFactory(username="editor", email="editor@example.com", is_staff=True)
    response = client.post(
        reverse("admin_password_reset"),
        {"email": "editor@example.com"},
        HTTP_HOST="internal.example",
    )
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    links = re.findall(r"\S+://\S+", body)
    assert len(links) == 1
    assert links[0].startswith("https://news.example/admin/reset/")
    assert "internal.example" not in body

    # The link works: it leads to the form for a new password.
    path = links[0].removeprefix("https://news.example")
    response = client.get(path, HTTP_HOST="news.example", secure=True)
    assert response.status_code == 302
    response = client.get(response["Location"], HTTP_HOST="news.example", secure=True)
    assert response.status_code == 200
    assert response.context["validlink"] is True
    assert response.context["form"].user == user


def test_admin_login_page_offers_password_reset(client):
    html = client.get(reverse("admin:login")).content.decode()
    assert reverse("admin_password_reset") in html
