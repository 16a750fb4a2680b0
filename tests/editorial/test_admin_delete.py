"""Deleting through the admin: what articles use is refused with a clear page, and deleting
an article first says what goes with it."""

import pytest
from django.urls import reverse

from articles.models import Article, ArticleAuthor, Author
from sections.models import Section
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="chief", is_staff=True, is_superuser=True))
    return client


def test_deleting_a_section_that_articles_use_is_refused_with_a_clear_page(admin_client):
    section = SectionFactory(name="Photo Essays", slug="photo-essays")
    ArticleFactory(title="Rice terraces at harvest", section=section)
    url = reverse("admin:sections_section_delete", args=[section.pk])

    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cannot delete section" in html
    assert "would require deleting the following protected related objects" in html
    assert "Rice terraces at harvest" in html
    assert 'type="submit"' not in html.split('id="content"')[1]

    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    assert "Cannot delete section" in response.content.decode()
    assert Section.objects.filter(pk=section.pk).exists()


def test_deleting_an_author_with_bylines_is_refused_with_a_clear_page(admin_client):
    author = AuthorFactory(name="Đức Linh")
    ArticleFactory(title="Boosting tourism", authors=[author])
    url = reverse("admin:articles_author_delete", args=[author.pk])

    response = admin_client.post(url, {"post": "yes"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Cannot delete author" in html
    assert "Đức Linh on Boosting tourism" in html
    assert Author.objects.filter(pk=author.pk).exists()


def test_bulk_delete_of_used_sections_is_refused_too(admin_client):
    used = ArticleFactory().section
    response = admin_client.post(
        reverse("admin:sections_section_changelist"),
        {"action": "delete_selected", "_selected_action": [used.pk], "post": "yes"},
    )
    assert response.status_code == 200
    assert "would require deleting the following protected related objects" in (
        response.content.decode()
    )
    assert Section.objects.filter(pk=used.pk).exists()


def test_an_unused_section_or_author_can_be_deleted(admin_client):
    section, author = SectionFactory(), AuthorFactory()
    admin_client.post(reverse("admin:sections_section_delete", args=[section.pk]), {"post": "yes"})
    admin_client.post(reverse("admin:articles_author_delete", args=[author.pk]), {"post": "yes"})
    assert not Section.objects.filter(pk=section.pk).exists()
    assert not Author.objects.filter(pk=author.pk).exists()


def test_deleting_an_article_asks_first_and_states_what_goes_with_it(admin_client):
    author = AuthorFactory(name="An Chi")
    article = ArticleFactory(title="Border markets reopen", authors=[author], tags=["border"])
    url = reverse("admin:articles_article_delete", args=[article.pk])

    html = admin_client.get(url).content.decode()
    assert 'Are you sure you want to delete the article "Border markets reopen"?' in html
    assert "Article author: An Chi on Border markets reopen" in html
    assert "Tagged article: border on Border markets reopen" in html
    assert Article.objects.filter(pk=article.pk).exists()

    admin_client.post(url, {"post": "yes"})
    assert not Article.objects.filter(pk=article.pk).exists()
    assert not ArticleAuthor.objects.filter(author=author).exists()
    assert Author.objects.filter(pk=author.pk).exists()
