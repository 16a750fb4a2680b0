"""The picture library: a reporter sees their own pictures and published ones, no others."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from articles.models import Article
from pictures.models import BodyImage
from tests.factories import ArticleFactory, EditorFactory, ReporterFactory, jpeg_bytes

pytestmark = pytest.mark.django_db

LIST = "admin:pictures_bodyimage_changelist"
CHANGE = "admin:pictures_bodyimage_change"


def picture_by(user, description: str) -> BodyImage:
    picture = BodyImage(description=description, uploaded_by=user)
    picture.image = SimpleUploadedFile("p.jpg", jpeg_bytes(60, 40))
    picture.save()
    return picture


def place(picture: BodyImage, **article) -> None:
    ArticleFactory(body=f'<figure><img src="{picture.image.url}" alt=""></figure>', **article)


@pytest.fixture
def library():
    me, colleague = ReporterFactory(), ReporterFactory()
    mine = picture_by(me, "My own draft picture")
    theirs_draft = picture_by(colleague, "Colleague's draft picture")
    theirs_published = picture_by(colleague, "Colleague's published picture")
    place(theirs_draft, status=Article.Status.DRAFT, published_at=None)
    place(theirs_published)
    return me, mine, theirs_draft, theirs_published


def test_reporter_lists_own_and_published_pictures_only(client, library):
    me, *_ = library
    client.force_login(me)
    html = client.get(reverse(LIST)).content.decode()
    assert "My own draft picture" in html
    assert "Colleague&#x27;s published picture" in html
    assert "Colleague&#x27;s draft picture" not in html


def test_reporter_cannot_open_a_colleagues_unpublished_picture_by_its_address(client, library):
    me, _mine, theirs_draft, theirs_published = library
    client.force_login(me)
    refused = client.get(reverse(CHANGE, args=[theirs_draft.pk]))
    assert refused.status_code == 302  # the admin's "does not exist" answer
    assert theirs_draft.image.url not in client.get(refused["Location"]).content.decode()
    assert client.get(reverse(CHANGE, args=[theirs_published.pk])).status_code == 200


def test_reporter_cannot_find_a_colleagues_unpublished_picture_by_searching(client, library):
    me, *_ = library
    client.force_login(me)
    html = client.get(reverse(LIST), {"q": "draft"}).content.decode()
    assert "My own draft picture" in html and "Colleague&#x27;s draft" not in html


def test_editor_sees_the_whole_library(client, library):
    client.force_login(EditorFactory())
    html = client.get(reverse(LIST)).content.decode()
    for description in ["My own draft", "Colleague&#x27;s draft", "Colleague&#x27;s published"]:
        assert description in html
