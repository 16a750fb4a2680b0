"""A story scheduled to come down leaves every public page at its second by itself, as a
scheduled story goes live: no cron, no worker, and no cached page keeps it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from editorial import services
from editorial.models import ArticleTransition
from tests.factories import ArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db

START = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 0, 0))


def pages(article, other):
    return [
        article.get_absolute_url(),
        reverse("frontpage:home"),
        article.section.get_absolute_url(),
        reverse("articles:feed"),
        reverse("news-sitemap"),
        other.get_absolute_url(),  # its Recent news sidebar
    ]


@pytest.mark.usefixtures("page_cache_on")
def test_an_editor_schedules_an_unpublish_and_the_story_leaves_on_time(
    client, time_machine, commit
):
    time_machine.move_to(START, tick=False)
    editor = EditorFactory()
    story = commit(
        lambda: ArticleFactory(
            title="Embargoed results of the provincial exam",
            status=Article.Status.PUBLISHED,
            published_at=START - datetime.timedelta(hours=1),
        )
    )
    other = commit(lambda: ArticleFactory(title="Another story"))
    at = START + datetime.timedelta(minutes=30)
    local = timezone.localtime(at)

    client.force_login(editor)
    with_commit = commit(
        lambda: client.post(
            reverse("admin:articles_article_transition", args=[story.pk, "unpublish"]),
            {
                "published_at_0": f"{local:%Y-%m-%d}",
                "published_at_1": f"{local:%H:%M:%S}",
                "note": "Embargo ends at 09:30.",
            },
        )
    )
    assert with_commit.status_code == 302
    story.refresh_from_db()
    assert story.status == Article.Status.PUBLISHED and story.unpublish_at == at
    form = client.get(reverse("admin:articles_article_change", args=[story.pk])).content
    assert "comes down at 2026-03-02 09:30" in form.decode()  # the status, and the message
    assert "is now Published" not in form.decode()
    log = ArticleTransition.objects.get(article=story, to_status=Article.Status.UNPUBLISHED)
    assert (log.effective_at, log.note) == (at, "Embargo ends at 09:30.")
    client.logout()

    time_machine.move_to(at - datetime.timedelta(seconds=1), tick=False)
    for url in pages(story, other):  # read now, and kept by the page cache
        assert "Embargoed results" in client.get(url).content.decode(), url

    time_machine.move_to(at, tick=False)
    assert client.get(story.get_absolute_url()).status_code == 404
    for url in pages(story, other)[1:]:
        assert "Embargoed results" not in client.get(url).content.decode(), url
    story.refresh_from_db()
    assert story.display_status == "Unpublished"


def test_publishing_again_clears_a_scheduled_unpublish(time_machine):
    time_machine.move_to(START, tick=False)
    editor = EditorFactory()
    story = ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=START - datetime.timedelta(hours=1)
    )
    services.article_unpublish(article=story, by=editor, at=START + datetime.timedelta(minutes=5))
    time_machine.move_to(START + datetime.timedelta(minutes=10), tick=False)
    assert not Article.objects.published().filter(pk=story.pk).exists()
    services.article_publish(article=story, by=editor)
    story.refresh_from_db()
    assert story.unpublish_at is None
    assert Article.objects.published().filter(pk=story.pk).exists()


def test_an_unpublish_time_before_the_story_goes_live_is_refused(time_machine):
    time_machine.move_to(START, tick=False)
    editor = EditorFactory()
    scheduled = ArticleFactory(
        status=Article.Status.PUBLISHED, published_at=START + datetime.timedelta(hours=2)
    )
    with pytest.raises(ValidationError):
        services.article_unpublish(
            article=scheduled, by=editor, at=START + datetime.timedelta(hours=1)
        )
    scheduled.refresh_from_db()
    assert scheduled.unpublish_at is None
