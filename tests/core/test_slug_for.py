"""The admin proposes slugs by asking the server's rule (core.views.slug_for)."""

import unicodedata

import pytest
from django.urls import reverse

from core.text import slugify_vi
from tests.factories import EditorFactory

pytestmark = pytest.mark.django_db

TITLES = ["Điện Biên Phủ", "Mường Nhé floods", "Tủa Chùa tea: Ẳng, Ỗ, Ự", "ĐBP - Mường Ảng"]


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("title", TITLES)
def test_staff_get_the_servers_slug_for_any_form_of_a_title(client, title, form):
    client.force_login(EditorFactory())
    text = unicodedata.normalize(form, title)
    response = client.get(reverse("admin-slug"), {"text": text, "max": "220"})
    assert response.status_code == 200
    assert response.json() == {"slug": slugify_vi(title, max_length=220)}
    assert "dj" not in response.json()["slug"]


def test_a_slug_keeps_to_the_length_asked(client):
    client.force_login(EditorFactory())
    response = client.get(reverse("admin-slug"), {"text": "Điện Biên Phủ", "max": "6"})
    assert response.json() == {"slug": "dien-b"}
    assert client.get(reverse("admin-slug"), {"text": "x", "max": "abc"}).status_code == 200


def test_readers_cannot_use_it(client):
    response = client.get(reverse("admin-slug"), {"text": "Điện Biên"})
    assert response.status_code == 302
    assert "/login/" in response["Location"]
