"""Editors keep the tags tidy in the admin: rename and merge, with every article keeping
its tags and every old address leading to the tag's page."""

import pytest
from django.contrib import admin
from django.urls import reverse
from taggit.models import Tag as TaggitTag

from articles.models import Article, Tag
from tests.factories import ArticleFactory, EditorFactory, ReporterFactory

pytestmark = pytest.mark.django_db


def tag_page(client, slug):
    return client.get(reverse("articles:tag", kwargs={"slug": slug}))


def test_an_editor_renames_a_tag_and_its_old_address_redirects(client):
    story = ArticleFactory(title="Tết in Mường Phăng", tags=["Tet"])
    tag = Tag.objects.get(name="Tet")
    client.force_login(EditorFactory())
    response = client.post(
        reverse("admin:articles_tag_change", args=[tag.pk]),
        {"name": "Tết", "slug": "tet-holiday"},
    )
    assert response.status_code == 302
    assert list(story.tags.names()) == ["Tết"]
    old = tag_page(client, "tet")
    assert old.status_code == 301
    assert old["Location"] == "/tags/tet-holiday/"
    assert "Tết in Mường Phăng" in tag_page(client, "tet-holiday").content.decode()


def test_merging_tags_moves_their_articles_and_keeps_their_addresses(client):
    one = ArticleFactory(title="Floods in Mường Nhé", tags=["flood"])
    both = ArticleFactory(title="Roads reopen after the floods", tags=["flood", "floods"])
    ArticleFactory(title="Rain again", tags=["floods"])
    ArticleFactory(title="The river falls", tags=["floods"])  # the most used tag stays
    client.force_login(EditorFactory())
    picked = Tag.objects.filter(name__in=["flood", "floods"]).values_list("pk", flat=True)
    response = client.post(
        reverse("admin:articles_tag_changelist"),
        {"action": "merge_selected", "_selected_action": list(picked)},
        follow=True,
    )
    assert "Merged “flood” into “floods”" in response.content.decode()
    assert list(Tag.objects.values_list("name", flat=True)) == ["floods"]
    assert list(one.tags.names()) == ["floods"]
    assert list(Article.objects.get(pk=both.pk).tags.names()) == ["floods"]
    old = tag_page(client, "flood")
    assert (old.status_code, old["Location"]) == (301, "/tags/floods/")
    page = tag_page(client, "floods").content.decode()
    assert page.count('<article class="card') == 4


def test_a_reporter_cannot_rename_or_merge_tags(client):
    ArticleFactory(tags=["border"])
    tag = Tag.objects.get(name="border")
    client.force_login(ReporterFactory())
    response = client.post(
        reverse("admin:articles_tag_change", args=[tag.pk]), {"name": "frontier", "slug": "x"}
    )
    assert response.status_code == 403
    assert Tag.objects.get(pk=tag.pk).name == "border"


def test_the_unused_taggit_tag_table_is_not_in_the_admin():
    assert not admin.site.is_registered(TaggitTag)
    assert admin.site.is_registered(Tag)
