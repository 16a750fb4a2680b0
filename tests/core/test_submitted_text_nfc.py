"""Every text a person submits is validated, counted and stored in NFC, whatever form it
was typed or pasted in, and whichever model stores it."""

import unicodedata

import pytest
from django.urls import reverse

from articles.models import Article, Author, Tag
from sections.models import Section
from tests.factories import ArticleFactory, EditorFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def test_a_headline_pasted_decomposed_is_counted_as_the_reader_sees_it(client):
    section = SectionFactory()
    # 200 letters as a reader sees them; decomposed, far more code points.
    title = ("Điện Biên Phủ: Mường Nhé, Mường Ảng, Tủa Chùa. " * 5)[:200].strip()
    assert len(title) <= 200 < len(nfd(title))
    client.force_login(EditorFactory())
    response = client.post(
        reverse("admin:articles_article_add"),
        {
            "title": nfd(title),
            "slug": "",
            "section": section.pk,
            "lead": nfd("Nông dân thu hoạch lúa."),
            "body": "",
            "tags": "",
            "image_alt": "",
            "image_caption": nfd("Ruộng bậc thang ở Mù Cang Chải"),
            "image_credit": nfd("Quàng Hoa"),
            "bylines-TOTAL_FORMS": "0",
            "bylines-INITIAL_FORMS": "0",
            "corrections-TOTAL_FORMS": "0",
            "corrections-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    article = Article.objects.get()
    assert article.title == title
    assert article.image_caption == "Ruộng bậc thang ở Mù Cang Chải"
    assert article.image_credit == "Quàng Hoa"


def test_a_tag_typed_decomposed_is_the_tag_that_exists(client):
    ArticleFactory(tags=["Điện Biên Phủ"])
    story = ArticleFactory()
    client.force_login(EditorFactory())
    from tests.editorial.admin_forms import change_form_data

    url = reverse("admin:articles_article_change", args=[story.pk])
    data = change_form_data(client.get(url), tags=nfd('"Điện Biên Phủ"'))
    response = client.post(url, data)
    assert response.status_code == 302
    assert list(Tag.objects.values_list("slug", flat=True)) == ["dien-bien-phu"]


def test_a_section_name_and_description_are_stored_in_nfc(client):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    response = client.post(
        reverse("admin:sections_section_add"),
        {
            "name": nfd("Văn hóa - Đời sống"),
            "slug": "van-hoa-doi-song",
            "description": nfd("Lễ hội Hoa Ban"),
            "position": "9",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    section = Section.objects.get(slug="van-hoa-doi-song")
    assert (section.name, section.description) == ("Văn hóa - Đời sống", "Lễ hội Hoa Ban")


def test_every_model_stores_its_text_in_nfc_whoever_writes_it():
    author = Author(name=nfd("Lò Văn Minh"), position=nfd("Phóng viên"))
    author.full_clean(exclude=["slug"])  # made from the name on save
    author.save()
    author.refresh_from_db()
    assert (author.name, author.position) == ("Lò Văn Minh", "Phóng viên")
    tag = Tag.objects.create(name=nfd("Tết"))
    assert Tag.objects.get(pk=tag.pk).name == "Tết"
