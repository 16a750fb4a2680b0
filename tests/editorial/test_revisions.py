"""Revisions: every save keeps one; editors compare two and restore one as a new revision."""

import pytest
from django.urls import reverse

from articles.models import Article
from tests.editorial.admin_forms import change_form_data
from tests.factories import AuthorFactory, EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db


def edit(client, article, **changes):
    url = reverse("admin:articles_article_change", args=[article.pk])
    response = client.post(url, change_form_data(client.get(url), **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors


@pytest.fixture
def edited(client):
    """An article saved twice in the admin by an editor: new title, body, tags and byline."""
    editor = EditorFactory()
    article = article_by(
        ReporterFactory(),
        title="Old headline",
        tags=["rice"],
        body="<p>The harvest began on Monday.</p>",
    )
    client.force_login(editor)
    edit(client, article, title="New headline", tags="rice, harvest")
    edit(client, article, body="<p>The harvest began on Tuesday.</p>")
    return article, editor


def revisions(article):
    return list(article.history.order_by("history_date", "history_id"))


def test_every_admin_save_keeps_a_revision_with_tags_and_bylines(edited):
    article, editor = edited
    latest = revisions(article)[-1]
    assert latest.title == "New headline"
    assert latest.body == "<p>The harvest began on Tuesday.</p>"
    assert latest.tags_snapshot == ["harvest", "rice"]
    assert [a["name"] for a in latest.authors_snapshot] == [article.authors.get().name]
    assert latest.history_user == editor


def test_compare_shows_a_readable_word_diff(client, edited):
    article, _ = edited
    history = revisions(article)
    url = reverse("admin:articles_article_compare", args=[article.pk])
    html = client.get(f"{url}?a={history[-3].history_id}&b={history[-1].history_id}")
    html = html.content.decode()
    assert "<del>Old</del><ins>New</ins> headline" in html
    assert "<del>Monday.</del><ins>Tuesday.</ins>" in html
    assert "<ins>harvest, </ins>rice" in html


def test_restore_puts_an_old_revision_back_as_a_new_revision(client, edited):
    article, editor = edited
    first = revisions(article)[-3]  # before the two admin saves
    count = article.history.count()
    url = reverse("admin:articles_article_restore", args=[article.pk, first.history_id])
    assert client.post(url).status_code == 302
    article.refresh_from_db()
    assert article.title == "Old headline"
    assert sorted(article.tags.names()) == ["rice"]
    assert article.history.count() == count + 1
    newest = revisions(article)[-1]
    assert newest.title == "Old headline" and newest.history_user == editor


def test_restore_brings_back_the_bylines_of_that_revision(client):
    editor = EditorFactory()
    article = article_by(ReporterFactory())
    original = article.authors.get()
    client.force_login(editor)
    first = revisions(article)[-1]
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url))
    guest = AuthorFactory(name="Guest writer")
    data["bylines-0-author"] = guest.pk
    assert client.post(url, data).status_code == 302
    assert list(article.authors.all()) == [guest]
    restore = reverse("admin:articles_article_restore", args=[article.pk, first.history_id])
    client.post(restore)
    assert list(article.authors.all()) == [original]


def test_reporter_may_read_own_history_but_not_restore_nor_read_others(client, edited):
    article, _ = edited
    own = article_by(ReporterFactory())
    client.force_login(own.created_by)
    assert client.get(reverse("admin:articles_article_revisions", args=[own.pk])).status_code == 200
    restore = reverse("admin:articles_article_restore", args=[own.pk, revisions(own)[0].history_id])
    assert client.post(restore).status_code == 403
    # `article` is someone else's draft: its revisions stay hidden.
    assert article.status == Article.Status.DRAFT
    for name in ["revisions", "compare"]:
        url = reverse(f"admin:articles_article_{name}", args=[article.pk])
        response = client.get(url + "?a=1&b=2", follow=True)
        assert "Old headline" not in response.content.decode(), name


def test_revision_of_another_article_cannot_be_compared_or_restored(client, edited):
    article, _ = edited
    other = article_by(ReporterFactory(), title="Other story")
    foreign = revisions(other)[0].history_id
    mine = revisions(article)[0].history_id
    compare = reverse("admin:articles_article_compare", args=[article.pk])
    assert client.get(f"{compare}?a={mine}&b={foreign}").status_code == 404
    restore = reverse("admin:articles_article_restore", args=[article.pk, foreign])
    assert client.post(restore).status_code == 404
