"""The media gate: a picture reaches readers only once a published story shows it."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.models import Article
from pictures.models import BodyImage
from pictures.renditions import rendition_files
from tests.factories import NOT_PUBLIC, ArticleFactory, ReporterFactory, jpeg, jpeg_bytes
from tests.pictures.test_images import picture

pytestmark = pytest.mark.django_db

MEDIA_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
}


def url_of(name: str) -> str:
    return "/media/" + name


def body_picture() -> BodyImage:
    picture = BodyImage(description="Mường Thanh field")
    picture.image = SimpleUploadedFile("field.jpg", jpeg_bytes(300, 200))
    picture.save()
    return picture


def figure(picture: BodyImage) -> str:
    return f'<figure><img src="{picture.image.url}" alt="A field"></figure>'


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_featured_picture_of_an_unpublished_story_is_not_served_to_readers(client, state):
    article = ArticleFactory(image=jpeg(), **state)
    response = client.get(url_of(article.image.name))
    assert response.status_code == 404
    assert response["Cache-Control"] == "no-store"


def test_featured_picture_is_served_once_the_story_is_published(client):
    article = ArticleFactory(image=jpeg(), status=Article.Status.DRAFT, published_at=None)
    assert client.get(url_of(article.image.name)).status_code == 404
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    response = client.get(url_of(article.image.name))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == article.image.open("rb").read()


def test_scheduled_story_shows_its_picture_from_its_publish_time(client, time_machine):
    at = timezone.now() + datetime.timedelta(hours=2)
    article = ArticleFactory(image=jpeg(), published_at=at)
    assert client.get(url_of(article.image.name)).status_code == 404
    time_machine.move_to(at + datetime.timedelta(seconds=1))
    assert client.get(url_of(article.image.name)).status_code == 200


def test_body_picture_is_served_only_once_a_published_story_places_it(client):
    picture = body_picture()
    draft = ArticleFactory(body=figure(picture), status=Article.Status.DRAFT, published_at=None)
    assert client.get(url_of(picture.image.name)).status_code == 404
    ArticleFactory(body=figure(picture))
    assert client.get(url_of(picture.image.name)).status_code == 200
    assert draft.pk


def test_renditions_follow_their_source(client):
    article = ArticleFactory(image=jpeg(), status=Article.Status.DRAFT, published_at=None)
    (card, *_) = rendition_files(article.image, "card")
    assert card.name.startswith("cache/" + article.image.name.rsplit(".", 1)[0] + "/")
    assert client.get(card.url).status_code == 404
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    assert client.get(card.url).status_code == 200


def test_staff_see_draft_pictures_in_their_previews_privately(client):
    article = ArticleFactory(image=jpeg(), status=Article.Status.DRAFT, published_at=None)
    client.force_login(ReporterFactory())
    response = client.get(url_of(article.image.name))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_every_media_answer_carries_nosniff_and_a_csp_that_runs_nothing(client):
    article = ArticleFactory(image=jpeg())
    response = client.get(url_of(article.image.name))
    for header, value in MEDIA_HEADERS.items():
        assert response[header] == value, header
    # An address that holds nothing (or nothing public) answers the site's own 404 page.
    missing = client.get("/media/articles/nothing-here.jpg")
    assert missing.status_code == 404 and missing["X-Content-Type-Options"] == "nosniff"
    assert 'class="error-page' in missing.content.decode()


def test_a_stored_file_that_is_not_a_picture_is_only_ever_a_download(client, settings):
    (settings.MEDIA_ROOT / "body").mkdir(parents=True)
    (settings.MEDIA_ROOT / "body" / "old-scan.pdf").write_bytes(b"%PDF-1.7")
    client.force_login(ReporterFactory())
    response = client.get("/media/body/old-scan.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == "attachment"


@pytest.mark.parametrize(
    "path", ["../config/settings.py", "articles/../../db.sqlite3", "%2e%2e/secret", "/etc/passwd"]
)
def test_paths_outside_the_media_folder_are_not_found(client, path):
    client.force_login(ReporterFactory())
    assert client.get("/media/" + path).status_code == 404


def test_behind_nginx_the_gate_hands_the_file_to_an_internal_location(client, settings):
    settings.NEWSROOM_MEDIA_ACCEL_REDIRECT = "/_media/"
    article = ArticleFactory(image=jpeg())
    response = client.get(url_of(article.image.name))
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == "/_media/" + article.image.name
    assert response.content == b""
    draft = ArticleFactory(image=jpeg(), status=Article.Status.DRAFT, published_at=None)
    refused = client.get(url_of(draft.image.name))
    assert refused.status_code == 404 and "X-Accel-Redirect" not in refused


def test_the_gate_asks_the_database_once_per_picture(client, django_assert_num_queries):
    # A PNG: its rendition's source is looked for under .jpg, .png and .webp at once.
    article = ArticleFactory(image=ContentFile(picture("PNG", size=(300, 200)), name="m.png"))
    (card, *_) = rendition_files(article.image, "card")
    for url in [article.image.url, card.url]:
        with django_assert_num_queries(1):
            assert client.get(url).status_code == 200
