"""An article's workings — its revisions, their comparison, its admin history and its
transition log (return reasons included) — are for its authors and the editors only. A
colleague who may read the published story in the admin gets 404 for the rest, as for
a preview: deleted draft text can hold a source's name and phone number."""

import pytest
from django.urls import reverse

from articles.models import Article, ArticleAuthor
from editorial import services
from tests.factories import EditorFactory, ReporterFactory, article_by

pytestmark = pytest.mark.django_db

SECRET = "Source: Mr Lò Văn Pá, phone 0912 345 678"
REASON = "Check the figures with Mr Pá before we print them"


@pytest.fixture
def story():
    """A reporter's story that had a source's details in a draft, was returned with a
    reason naming him, then cleaned up and published by an editor."""
    author = ReporterFactory()
    editor = EditorFactory()
    article = article_by(author, title="Rice harvest", body=f"<p>Harvest.</p><p>{SECRET}</p>")
    article.body = "<p>Harvest.</p>"
    services.article_save(article=article, by=author)
    services.article_submit(article=article, by=author)
    services.article_return(article=article, by=editor, reason=REASON)
    services.article_submit(article=article, by=author)
    services.article_publish(article=article, by=editor)
    article.refresh_from_db()
    assert article.is_live
    return article


def compare_url(article):
    ids = list(article.history.order_by("history_date").values_list("history_id", flat=True))
    url = reverse("admin:articles_article_compare", args=[article.pk])
    return f"{url}?a={ids[0]}&b={ids[-1]}"


def workings_urls(article):
    return {
        "revisions": reverse("admin:articles_article_revisions", args=[article.pk]),
        "compare": compare_url(article),
        "history": reverse("admin:articles_article_history", args=[article.pk]),
    }


def test_colleague_gets_404_for_revisions_compare_and_history_of_a_published_story(client, story):
    client.force_login(ReporterFactory())
    for name, url in workings_urls(story).items():
        response = client.get(url)
        assert response.status_code == 404, name
        assert "Lò Văn Pá" not in response.content.decode(), name


def test_colleague_reads_the_published_story_but_not_its_transition_log(client, story):
    client.force_login(ReporterFactory())
    response = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rice harvest" in html
    assert REASON not in html
    assert "transition-log" not in html
    assert reverse("admin:articles_article_revisions", args=[story.pk]) not in html
    assert reverse("admin:articles_article_history", args=[story.pk]) not in html


@pytest.mark.parametrize("who", ["creator", "byline", "editor"])
def test_authors_and_editors_read_the_workings(client, story, who):
    if who == "creator":
        user = story.created_by
    elif who == "byline":
        user = ReporterFactory()
        ArticleAuthor.objects.create(article=story, author=user.author_profile, order=1)
    else:
        user = EditorFactory()
    client.force_login(user)
    for name, url in workings_urls(story).items():
        assert client.get(url).status_code == 200, name
    assert SECRET in client.get(compare_url(story)).content.decode()
    change = client.get(reverse("admin:articles_article_change", args=[story.pk]))
    html = change.content.decode()
    assert REASON in html
    assert reverse("admin:articles_article_revisions", args=[story.pk]) in html


def test_colleague_gets_404_for_a_transition_page_of_a_published_story(client, story):
    client.force_login(ReporterFactory())
    url = reverse("admin:articles_article_transition", args=[story.pk, "unpublish"])
    assert client.get(url).status_code in (403, 404)
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED
