"""The focal point: every crop of a picture keeps the spot the editor clicked in view."""

import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from articles.models import Article
from editorial import services
from pictures.models import BodyImage
from pictures.renditions import rendition, rendition_files
from tests.factories import ArticleFactory, EditorFactory, UserFactory, jpeg

pytestmark = pytest.mark.django_db

RED, BLUE = (220, 20, 20), (20, 40, 200)


def portrait_with_a_face_at_the_top(width=400, height=1200, face=200) -> ContentFile:
    """A tall picture: a red patch (the face) in its top `face` pixels, blue below (the
    shirt)."""
    picture = Image.new("RGB", (width, height), BLUE)
    picture.paste(RED, (0, 0, width, face))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=95)
    return ContentFile(buffer.getvalue(), name="portrait.jpg")


def colour_at(image_file, xy) -> tuple[int, int, int]:
    with image_file.storage.open(image_file.name) as stored, Image.open(stored) as picture:
        return picture.convert("RGB").getpixel(xy)


def is_close(colour, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def stored_rendition(article, name):
    made = rendition(article.image, name)
    assert made is not None
    return article.image.storage, made


def rendition_colour(article, name, xy):
    storage, made = stored_rendition(article, name)
    with storage.open(made.name) as stored, Image.open(stored) as picture:
        return picture.convert("RGB").getpixel(xy), picture.size


def test_home_lead_crop_of_a_portrait_keeps_the_face_at_its_focal_point():
    article = ArticleFactory(image=portrait_with_a_face_at_the_top(), image_focal_y=8)
    (top, size) = rendition_colour(article, "card", (200, 5))
    assert size == (400, 267)
    assert is_close(top, RED), top


def test_without_a_focal_point_the_crop_is_the_centre_and_shows_the_shirt():
    article = ArticleFactory(image=portrait_with_a_face_at_the_top())
    assert (article.image_focal_x, article.image_focal_y) == (50, 50)
    (top, _size) = rendition_colour(article, "card", (200, 5))
    assert is_close(top, BLUE), top


@pytest.mark.parametrize("name", ["thumb", "card", "social"])
def test_every_cropped_place_keeps_the_focal_point(name):
    article = ArticleFactory(image=portrait_with_a_face_at_the_top(), image_focal_y=5)
    files = rendition_files(article.image, name)
    assert files
    for made in files:
        with article.image.storage.open(made.name) as stored, Image.open(stored) as picture:
            assert is_close(picture.convert("RGB").getpixel((picture.width // 2, 2)), RED)


def test_the_column_picture_is_never_cropped_whatever_the_focal_point():
    article = ArticleFactory(image=portrait_with_a_face_at_the_top(), image_focal_y=0)
    made = rendition(article.image, "column")
    assert (made.width, made.height) == (400, 1200)


def test_moving_the_focal_point_gives_the_crops_new_names_and_keeps_the_column():
    article = ArticleFactory(image=portrait_with_a_face_at_the_top())
    before = {name: rendition(article.image, name).name for name in ("card", "social", "column")}
    article.image_focal_y = 10
    article.save()
    article = Article.objects.get(pk=article.pk)
    after = {name: rendition(article.image, name).name for name in ("card", "social", "column")}
    assert after["card"] != before["card"] and after["social"] != before["social"]
    assert after["column"] == before["column"]
    # The new crop really is another cut, not the old file under a new name.
    assert is_close(colour_at(article.image, (200, 5)), RED)
    (top, _size) = rendition_colour(article, "card", (200, 5))
    assert is_close(top, RED)


def test_library_pictures_are_cropped_around_their_focal_point():
    picture = BodyImage.objects.create(
        image=portrait_with_a_face_at_the_top(),
        description="The chairman",
        image_focal_y=8,
        uploaded_by=UserFactory(),
    )
    made = rendition(picture.image, "card")
    with picture.image.storage.open(made.name) as stored, Image.open(stored) as cut:
        assert is_close(cut.convert("RGB").getpixel((200, 5)), RED)


@pytest.mark.parametrize("field", ["image_focal_x", "image_focal_y"])
@pytest.mark.parametrize("value", [101, 400])
def test_the_database_refuses_a_focal_point_outside_0_to_100(field, value):
    article = ArticleFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=article.pk).update(**{field: value})
    picture = BodyImage.objects.create(image=jpeg(), description="A field")
    with pytest.raises(IntegrityError), transaction.atomic():
        BodyImage.objects.filter(pk=picture.pk).update(**{field: value})


def test_a_focal_point_over_100_is_a_form_error_not_a_crash():
    article = ArticleFactory.build(image_focal_x=120)
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["section", "tags"])
    assert "image_focal_x" in error.value.message_dict


class TestWithThePageCache:
    @pytest.fixture(autouse=True)
    def _cache_on(self, page_cache_on):
        pass

    def test_a_new_focal_point_shows_on_the_cached_article_and_home_page(self, client, commit):
        article = ArticleFactory(image=portrait_with_a_face_at_the_top())
        page = client.get(article.get_absolute_url()).content.decode()
        home = client.get("/").content.decode()
        old_social = re.search(r'property="og:image" content="([^"]+)"', page)[1]
        old_card = rendition(article.image, "card").url
        assert old_card in home

        def move():
            article.image_focal_y = 8
            article.save()

        commit(move)
        page = client.get(article.get_absolute_url()).content.decode()
        home = client.get("/").content.decode()
        new_social = re.search(r'property="og:image" content="([^"]+)"', page)[1]
        assert new_social != old_social
        assert old_card not in home
        assert rendition(Article.objects.get(pk=article.pk).image, "card").url in home


def test_the_article_form_offers_the_focal_point_on_the_stored_picture(admin_client):
    article = ArticleFactory(image=portrait_with_a_face_at_the_top(), image_focal_y=8)
    html = admin_client.get(
        reverse("admin:articles_article_change", args=[article.pk])
    ).content.decode()
    column = rendition(article.image, "column").url
    assert re.search(r'<input[^>]*name="image_focal_y"[^>]*value="8"', html)
    assert re.search(rf'<input[^>]*data-focal-axis="x"[^>]*data-focal-src="{column}"', html)
    assert "admin/js/focal_point" in html


def test_the_library_form_saves_the_focal_point_typed_by_keyboard(admin_client):
    picture = BodyImage.objects.create(image=portrait_with_a_face_at_the_top(), description="A")
    response = admin_client.post(
        reverse("admin:pictures_bodyimage_change", args=[picture.pk]),
        {"description": "The chairman", "image_focal_x": "30", "image_focal_y": "12"},
    )
    assert response.status_code == 302
    picture.refresh_from_db()
    assert (picture.image_focal_x, picture.image_focal_y) == (30, 12)
    response = admin_client.post(
        reverse("admin:pictures_bodyimage_change", args=[picture.pk]),
        {"description": "The chairman", "image_focal_x": "130", "image_focal_y": "12"},
    )
    assert response.status_code == 200
    assert "Ensure this value is less than or equal to 100." in response.content.decode()


def test_restoring_a_revision_brings_its_focal_point_back():
    editor = EditorFactory()
    article = ArticleFactory(image=portrait_with_a_face_at_the_top(), image_focal_y=8)
    services.article_record_revision(article=article, by=editor)
    first = article.history.latest("history_date")
    article.image_focal_y = 70
    services.article_save(article=article, by=editor)
    services.article_restore_revision(article=article, revision=first, by=editor)
    article.refresh_from_db()
    assert (article.image_focal_x, article.image_focal_y) == (50, 8)
