"""One library for featured and body pictures: chosen from the article form, uploaded
into it from the chooser, joined by every featured picture uploaded with an article."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from pictures.models import BodyImage
from pictures.renditions import rendition
from tests.editorial.admin_forms import change_form_data
from tests.factories import (
    ArticleFactory,
    ReporterFactory,
    SectionFactory,
    jpeg_bytes,
)

pytestmark = pytest.mark.django_db

CHOOSER = "admin:pictures_bodyimage_chooser"


def library_picture(user, description, **fields) -> BodyImage:
    picture = BodyImage(description=description, uploaded_by=user, **fields)
    picture.image = SimpleUploadedFile("p.jpg", jpeg_bytes(900, 600))
    picture.save()
    return picture


def new_article_data(section, **changes) -> dict:
    return {
        "title": "Rice harvest starts early",
        "section": section.pk,
        "lead": "Farmers in Mường Thanh start the harvest.",
        "body": "<p>Text.</p>",
        "bylines-TOTAL_FORMS": "0",
        "bylines-INITIAL_FORMS": "0",
        "corrections-TOTAL_FORMS": "0",
        "corrections-INITIAL_FORMS": "0",
        **changes,
    }


def test_the_chooser_lists_what_the_reporter_may_use_newest_first(client):
    me, colleague = ReporterFactory(), ReporterFactory()
    older = library_picture(me, "Tea hills of Tủa Chùa", credit="Lâm Tùng/ĐBP")
    newer = library_picture(me, "Mường Thanh market at dawn", caption="Early buyers")
    library_picture(colleague, "A colleague's unpublished picture")
    client.force_login(me)
    pictures = client.get(reverse(CHOOSER)).json()["pictures"]
    assert [p["id"] for p in pictures] == [newer.pk, older.pk]
    tea = pictures[1]
    assert tea["alt"] == "Tea hills of Tủa Chùa" and tea["credit"] == "Lâm Tùng/ĐBP"
    assert tea["src"].startswith("/media/cache/body/") and tea["width"] == 800
    assert tea["thumb"].startswith("/media/cache/body/")


def test_the_chooser_searches_alt_text_caption_and_credit(client):
    me = ReporterFactory()
    library_picture(me, "Tea hills of Tủa Chùa", credit="Lâm Tùng/ĐBP")
    library_picture(me, "Mường Thanh market at dawn", caption="Early buyers")
    client.force_login(me)

    def found(query):
        return [p["alt"] for p in client.get(reverse(CHOOSER), {"q": query}).json()["pictures"]]

    assert found("tủa chùa") == ["Tea hills of Tủa Chùa"]
    assert found("buyers") == ["Mường Thanh market at dawn"]
    assert found("lâm tùng") == ["Tea hills of Tủa Chùa"]
    assert found("harbour") == []


def test_a_picture_uploaded_from_the_chooser_lands_in_the_library(client):
    me = ReporterFactory()
    client.force_login(me)
    response = client.post(
        reverse(CHOOSER),
        {
            "image": SimpleUploadedFile("dsc_0042.jpg", jpeg_bytes(1200, 800)),
            "description": "Rice terraces in Mường Phăng",
            "caption": "The harvest begins",
            "credit": "Quang Hưng",
        },
    )
    assert response.status_code == 201
    entry = response.json()["picture"]
    picture = BodyImage.objects.get(pk=entry["id"])
    assert (picture.description, picture.caption, picture.credit) == (
        "Rice terraces in Mường Phăng",
        "The harvest begins",
        "Quang Hưng",
    )
    assert picture.uploaded_by == me and picture.original_name == "dsc_0042.jpg"
    assert "dsc_0042" not in picture.image.name


def test_an_upload_without_alt_text_or_not_a_picture_says_why(client):
    client.force_login(ReporterFactory())
    response = client.post(
        reverse(CHOOSER),
        {"image": SimpleUploadedFile("scan.jpg", b"%PDF-1.7 not a picture"), "description": ""},
    )
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert errors["description"][0]["message"] == "This field is required."
    assert errors["image"][0]["message"]
    assert not BodyImage.objects.exists()


def test_the_featured_picture_chosen_from_the_library_is_the_same_file_with_its_credit(client):
    reporter = ReporterFactory()
    picture = library_picture(
        reporter,
        "Chairman Lê Thành Đô",
        caption="At the provincial council",
        credit="Lâm Tùng/ĐBP",
        image_focal_y=20,
    )
    client.force_login(reporter)
    response = client.post(
        reverse("admin:articles_article_add"),
        new_article_data(SectionFactory(), library_picture=str(picture.pk)),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get(title="Rice harvest starts early")
    assert article.image.name == picture.image.name  # no copy
    assert (article.image_alt, article.image_caption, article.image_credit) == (
        "Chairman Lê Thành Đô",
        "At the provincial council",
        "Lâm Tùng/ĐBP",
    )
    assert (article.image_focal_x, article.image_focal_y) == (50, 20)
    assert BodyImage.objects.count() == 1  # chosen, not added again


def test_what_is_typed_beside_a_library_picture_wins_over_the_librarys_text(client, admin_user):
    article = ArticleFactory()
    picture = library_picture(admin_user, "Library alt", credit="Library credit")
    client.force_login(admin_user)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(
        client.get(url),
        library_picture=str(picture.pk),
        image_credit="VNA",
        image_focal_x="10",
        image_focal_y="90",
    )
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.image.name == picture.image.name
    assert (article.image_alt, article.image_credit) == ("Library alt", "VNA")
    assert (article.image_focal_x, article.image_focal_y) == (10, 90)


def test_a_reporter_cannot_choose_a_colleagues_unpublished_picture(client):
    me, colleague = ReporterFactory(), ReporterFactory()
    theirs = library_picture(colleague, "Not yet published")
    client.force_login(me)
    response = client.post(
        reverse("admin:articles_article_add"),
        new_article_data(SectionFactory(), library_picture=str(theirs.pk)),
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["library_picture"] == [
        "That picture is not in the library, or not one you may use. Choose another."
    ]
    assert not Article.objects.exists()


def test_a_featured_picture_uploaded_with_the_article_joins_the_library(client):
    reporter = ReporterFactory()
    client.force_login(reporter)
    response = client.post(
        reverse("admin:articles_article_add"),
        new_article_data(
            SectionFactory(),
            image=SimpleUploadedFile("harvest.jpg", jpeg_bytes(1200, 800)),
            image_alt="Farmers carry rice sheaves",
            image_credit="Quang Hưng",
            image_focal_x="30",
            image_focal_y="40",
        ),
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    article = Article.objects.get()
    picture = BodyImage.objects.get()
    assert picture.image.name == article.image.name  # the same stored file
    assert (picture.description, picture.credit, picture.uploaded_by) == (
        "Farmers carry rice sheaves",
        "Quang Hưng",
        reporter,
    )
    assert (picture.image_focal_x, picture.image_focal_y) == (30, 40)
    assert picture.original_name == "harvest.jpg"
    # The reporter finds it in the chooser for the next story.
    assert [p["id"] for p in client.get(reverse(CHOOSER)).json()["pictures"]] == [picture.pk]


def test_a_body_figure_of_a_library_rendition_is_served_once_its_story_is_published(client):
    picture = library_picture(ReporterFactory(), "Tea pickers in Tủa Chùa")
    column = rendition(picture.image, "column")
    figure = f'<figure><img src="{column.url}" alt="Tea pickers"></figure>'
    draft = ArticleFactory(body=figure, status=Article.Status.DRAFT, published_at=None)
    assert client.get(column.url).status_code == 404
    draft.status, draft.published_at = Article.Status.PUBLISHED, timezone.now()
    draft.save()
    assert client.get(column.url).status_code == 200
    # The reporter who uploaded nothing finds it among the published pictures.
    other = ReporterFactory()
    client.force_login(other)
    assert [p["id"] for p in client.get(reverse(CHOOSER)).json()["pictures"]] == [picture.pk]
