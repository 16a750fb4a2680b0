"""The body's rich-text editor: assets shipped in the package, output sanitised on save."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.editorial.admin_forms import change_form_data
from tests.factories import EditorFactory, ReporterFactory, article_by, jpeg_bytes

pytestmark = pytest.mark.django_db


def test_editor_assets_are_served_from_the_installed_package_not_a_cdn(client):
    reporter = ReporterFactory()
    client.force_login(reporter)
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    for asset in ["django_prose_editor/editor.js", "django_prose_editor/editor.css"]:
        assert f"/static/{asset}" in html
        assert "site-packages" in finders.find(asset)
    assert "data-django-prose-editor-configurable" in html
    assert "cdn" not in html.lower()


def test_title_and_lead_carry_a_live_character_count_against_their_limits(client):
    client.force_login(ReporterFactory())
    html = client.get(reverse("admin:articles_article_add")).content.decode()
    assert "/static/admin/js/char_count.js" in html
    title = re.search(r'<input[^>]*name="title"[^>]*>', html).group()
    lead = re.search(r'<textarea[^>]*name="lead"[^>]*>', html).group()
    assert "data-char-count" in title and 'maxlength="200"' in title
    assert "data-char-count" in lead and 'maxlength="1000"' in lead
    assert finders.find("admin/js/char_count.js")


def test_body_html_from_the_editor_is_sanitised_and_keeps_figures_with_captions(client):
    reporter = ReporterFactory()
    article = article_by(reporter)
    client.force_login(reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    body = (
        '<p onclick="steal()">Intro<script>alert(1)</script></p>'
        '<figure><img src="/media/body/dam.jpg" alt="The dam" onerror="x()">'
        "<figcaption>The Nậm Rốm dam at dawn.</figcaption></figure>"
        '<p><a href="javascript:alert(1)">bad link</a></p>'
    )
    response = client.post(url, change_form_data(client.get(url), body=body))
    assert response.status_code == 302
    article.refresh_from_db()
    assert "script" not in article.body and "onclick" not in article.body
    assert "onerror" not in article.body and "javascript:" not in article.body
    assert '<img src="/media/body/dam.jpg" alt="The dam">' in article.body
    assert "<figcaption>The Nậm Rốm dam at dawn.</figcaption>" in article.body


def test_reporter_uploads_a_body_image_and_places_it_as_a_figure_with_caption(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from pictures.models import BodyImage

    reporter = ReporterFactory()
    client.force_login(reporter)
    upload = SimpleUploadedFile(
        "lake.jpg", jpeg_bytes(300, 200, (10, 10, 200)), content_type="image/jpeg"
    )
    response = client.post(
        reverse("admin:pictures_bodyimage_add"), {"image": upload, "description": "Pá Khoang lake"}
    )
    assert response.status_code == 302
    picture = BodyImage.objects.get()
    assert picture.uploaded_by == reporter
    page = client.get(reverse("admin:pictures_bodyimage_change", args=[picture.pk]))
    assert picture.image.url in page.content.decode()

    article = article_by(reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    figure = (
        f'<figure><img src="{picture.image.url}" alt="Pá Khoang lake">'
        "<figcaption>Pá Khoang lake in spring.</figcaption></figure>"
    )
    client.post(url, change_form_data(client.get(url), body=figure))
    client.force_login(EditorFactory())
    html = client.get(reverse("editorial:preview", args=[article.pk])).content.decode()
    assert figure in html
