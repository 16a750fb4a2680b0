"""A published story's address says nothing about unpublished work. A draft's slug is
provisional and reserves nothing: the address is settled when the article is first
published, among the articles published before (or scheduled), and a draft whose
provisional slug is taken by then gets "-2". The database keeps two public addresses
apart, and a story that was published keeps its address."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from editorial import services
from tests.editorial.admin_forms import change_form_data
from tests.factories import EditorFactory, ReporterFactory, SectionFactory, article_by

pytestmark = pytest.mark.django_db
HEADLINE = "Floods cut the road to Mường Nhé"
SLUG = "floods-cut-the-road-to-muong-nhe"


def new_article(by, title=HEADLINE):
    article = Article(title=title, lead="The road is closed.", section=SectionFactory())
    return services.article_save(article=article, by=by)


def test_a_story_published_with_a_drafts_headline_gets_the_plain_address(client):
    article_by(ReporterFactory(), title=HEADLINE)  # a colleague's draft, never published
    editor = EditorFactory()
    story = services.article_publish(article=new_article(editor), by=editor)
    assert story.slug == SLUG
    assert client.get(f"/articles/{SLUG}/").status_code == 200


def test_a_draft_whose_address_was_taken_meanwhile_gets_a_new_one_when_published(client):
    reporter, editor = ReporterFactory(), EditorFactory()
    draft = new_article(reporter)
    assert draft.slug == SLUG  # provisional
    services.article_publish(article=new_article(editor), by=editor)
    services.article_publish(article=draft, by=editor)
    draft.refresh_from_db()
    assert draft.slug == f"{SLUG}-2"
    assert client.get(draft.get_absolute_url()).status_code == 200
    assert client.get(f"/articles/{SLUG}/").context["article"] != draft


def test_a_story_keeps_its_address_when_published_again():
    editor = EditorFactory()
    first = services.article_publish(article=new_article(editor), by=editor)
    services.article_unpublish(article=first, by=editor)
    # The unpublished story keeps its address: a new one with the headline gets "-2".
    second = services.article_publish(article=new_article(editor), by=editor)
    assert second.slug == f"{SLUG}-2"
    services.article_publish(article=first, by=editor)
    first.refresh_from_db()
    assert first.slug == SLUG and first.is_live


def test_a_scheduled_story_holds_its_address_until_taken_down_before_it_went_live():
    editor = EditorFactory()
    later = timezone.now() + datetime.timedelta(days=1)
    scheduled = services.article_publish(article=new_article(editor), by=editor, at=later)
    assert scheduled.slug == SLUG
    services.article_unpublish(article=scheduled, by=editor)
    # It never went live, so it had no public address to keep.
    other = services.article_publish(article=new_article(editor), by=editor)
    assert other.slug == SLUG
    services.article_publish(article=scheduled, by=editor)
    scheduled.refresh_from_db()
    assert scheduled.slug == f"{SLUG}-2"


def test_drafts_may_share_a_provisional_slug_but_the_database_refuses_two_public_ones():
    one, two = article_by(ReporterFactory()), article_by(ReporterFactory())
    Article.objects.filter(pk=two.pk).update(slug=one.slug)  # two drafts: accepted
    editor = EditorFactory()
    services.article_publish(article=one, by=editor)
    services.article_publish(article=two, by=editor)
    two.refresh_from_db()
    assert two.slug != one.slug
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=two.pk).update(slug=one.slug)


def test_an_editor_giving_a_story_another_stories_address_gets_a_clear_message(client):
    editor = EditorFactory()
    taken = services.article_publish(article=new_article(editor, "Tea harvest"), by=editor)
    story = services.article_publish(article=new_article(editor), by=editor)
    client.force_login(editor)
    url = reverse("admin:articles_article_change", args=[story.pk])
    response = client.post(url, change_form_data(client.get(url), slug=taken.slug))
    assert response.status_code == 200
    assert "Another published story has this address" in response.content.decode()
    story.refresh_from_db()
    assert story.slug == SLUG


def test_a_reporters_draft_may_use_a_published_stories_slug_until_it_is_published(client):
    editor, reporter = EditorFactory(), ReporterFactory()
    taken = services.article_publish(article=new_article(editor, "Tea harvest"), by=editor)
    draft = new_article(reporter)
    client.force_login(reporter)
    url = reverse("admin:articles_article_change", args=[draft.pk])
    response = client.post(url, change_form_data(client.get(url), slug=taken.slug))
    assert response.status_code == 302
    services.article_publish(article=draft, by=editor)
    draft.refresh_from_db()
    assert draft.slug == f"{taken.slug}-2"
    taken.refresh_from_db()
    assert client.get(taken.get_absolute_url()).context["article"] == taken
