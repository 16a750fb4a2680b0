"""Home page curation: pinned lead and featured stories, the rest filled with the latest."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial import services
from frontpage.models import HomePick
from tests.factories import ArticleFactory, EditorFactory

pytestmark = pytest.mark.django_db


def hours_ago(n):
    return timezone.now() - datetime.timedelta(hours=n)


def test_pinned_lead_and_featured_stories_come_first_then_the_latest_fill_in(client):
    latest = ArticleFactory(title="Latest story", published_at=hours_ago(1))
    second = ArticleFactory(title="Second latest", published_at=hours_ago(2))
    lead = ArticleFactory(title="Pinned lead", published_at=hours_ago(30))
    featured = ArticleFactory(title="Pinned feature", published_at=hours_ago(40))
    HomePick.objects.create(slot=0, article=lead)
    HomePick.objects.create(slot=2, article=featured)
    response = client.get(reverse("frontpage:home"))
    assert response.context["lead"] == lead
    assert response.context["featured"] == [latest, featured, second]
    html = response.content.decode()
    for story in ("Pinned lead", "Pinned feature", "Latest story", "Second latest"):
        assert html.count(f">{story}</a>") == 1, story


def test_unpublished_pin_drops_out_by_itself(client):
    editor = EditorFactory()
    pinned = ArticleFactory(title="Pinned then pulled", published_at=hours_ago(1))
    fallback = ArticleFactory(title="Fallback lead", published_at=hours_ago(5))
    HomePick.objects.create(slot=0, article=pinned)
    services.article_unpublish(article=pinned, by=editor)
    response = client.get(reverse("frontpage:home"))
    assert response.context["lead"] == fallback
    assert "Pinned then pulled" not in response.content.decode()


def test_scheduled_pin_waits_for_its_time(client):
    future = ArticleFactory(
        title="Tomorrow's lead", published_at=timezone.now() + datetime.timedelta(days=1)
    )
    HomePick.objects.create(slot=0, article=future)
    ArticleFactory(title="Today's story")
    html = client.get(reverse("frontpage:home")).content.decode()
    assert "Tomorrow&#x27;s lead" not in html and "Tomorrow's lead" not in html


def test_only_editors_may_pin_stories(client):
    from tests.factories import ReporterFactory

    client.force_login(ReporterFactory())
    assert client.get(reverse("admin:frontpage_homepick_changelist")).status_code == 403
    client.force_login(EditorFactory())
    assert client.get(reverse("admin:frontpage_homepick_changelist")).status_code == 200
