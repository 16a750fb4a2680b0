"""A tag is public only while a published article carries it: a tag used only on drafts
(or on scheduled or unpublished stories) has no page, no former address leading to it,
no place in the feeds or sitemaps, and no place in another reporter's tag suggestions."""

import json
import re

import pytest
from django.urls import reverse

from articles import services
from articles.models import Tag
from editorial import services as editorial_services
from tests.factories import NOT_PUBLIC, ArticleFactory, EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db


def tag_page(client, slug):
    return client.get(reverse("articles:tag", kwargs={"slug": slug}))


@pytest.mark.parametrize("state", NOT_PUBLIC)
def test_a_tag_only_on_hidden_articles_has_no_page(client, state):
    ArticleFactory(title="Secret plan", tags=["dam-collapse"], **state)
    response = tag_page(client, "dam-collapse")
    assert response.status_code == 404
    assert "Secret plan" not in response.content.decode()


def test_a_tag_page_appears_when_a_story_carrying_it_is_published_and_goes_with_it(client):
    editor = EditorFactory()
    draft = article_by(ReporterFactory(), title="Dam inspection", tags=["dam"])
    assert tag_page(client, "dam").status_code == 404
    editorial_services.article_publish(article=draft, by=editor)
    assert "Dam inspection" in tag_page(client, "dam").content.decode()
    editorial_services.article_unpublish(article=draft, by=editor)
    assert tag_page(client, "dam").status_code == 404


def test_a_former_address_of_a_draft_only_tag_does_not_redirect(client):
    ArticleFactory(tags=["dam"], status="draft", published_at=None)
    services.tag_rename(tag=Tag.objects.get(name="dam"), name="Dam failure", slug="dam-failure")
    response = tag_page(client, "dam")
    assert response.status_code == 404
    assert "dam-failure" not in response.get("Location", "")


def test_draft_only_tags_are_in_no_feed_nor_sitemap(client):
    ArticleFactory(title="Public story", tags=["harvest"])
    ArticleFactory(title="Hidden draft", tags=["dam-collapse"], status="draft", published_at=None)
    for url in ["/feed/", "/sitemap-articles.xml", "/sitemap-news.xml", "/sitemap.xml"]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "dam-collapse" not in response.content.decode(), url
    assert "harvest" in client.get("/feed/").content.decode()


def suggestions(client, path):
    html = client.get(path).content.decode()
    found = re.search(r'data-tag-suggestions="([^"]*)"', html)
    assert found, "the tag field offers suggestions"
    return json.loads(found.group(1).replace("&quot;", '"'))


def test_tag_suggestions_show_public_tags_and_the_users_own_but_not_a_colleagues_drafts(
    client,
):
    me, colleague = ReporterFactory(), ReporterFactory()
    ArticleFactory(tags=["harvest"])
    article_by(me, tags=["my-scoop"])
    article_by(colleague, tags=["their-scoop"])
    ArticleFactory(tags=["scheduled-secret"], **NOT_PUBLIC[3].values[0])
    client.force_login(me)
    names = suggestions(client, reverse("admin:articles_article_add"))
    assert "harvest" in names
    assert "my-scoop" in names
    assert "their-scoop" not in names
    assert "scheduled-secret" not in names


def test_editors_are_suggested_every_tag(client):
    article_by(ReporterFactory(), tags=["their-scoop"])
    ArticleFactory(tags=["harvest"])
    client.force_login(EditorFactory())
    names = suggestions(client, reverse("admin:articles_article_add"))
    assert {"their-scoop", "harvest"} <= set(names)
