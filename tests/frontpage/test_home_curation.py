"""Home page curation: pinned lead and featured stories, the rest filled with the latest."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial import services
from frontpage.models import HomePick
from tests.factories import ArticleFactory, EditorFactory, SectionFactory

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


def test_the_home_pages_stories_are_read_in_one_query_besides_the_sections(
    django_assert_num_queries,
):
    from frontpage.selectors import home_stories

    for n in range(3):
        section = SectionFactory()
        for hours in range(8):
            ArticleFactory(section=section, published_at=hours_ago(hours + n + 1))
    HomePick.objects.create(slot=1, article=ArticleFactory(published_at=hours_ago(99)))
    with django_assert_num_queries(2):
        stories = home_stories()
    assert len(stories.featured) == 4
    # The pick is the only story of its section: that section has no block.
    assert [len(block) for _section, block in stories.section_blocks] == [4, 4, 4]


def test_section_blocks_show_their_latest_after_the_stories_above_them(client):
    busy, quiet = SectionFactory(name="Busy"), SectionFactory(name="Quiet")
    newest = [ArticleFactory(section=busy, published_at=hours_ago(n + 1)) for n in range(12)]
    ArticleFactory(title="Quiet story", section=quiet, published_at=hours_ago(50))
    old_pick = ArticleFactory(title="Old pick", section=busy, published_at=hours_ago(300))
    HomePick.objects.create(slot=0, article=old_pick)
    response = client.get(reverse("frontpage:home"))
    assert response.context["lead"] == old_pick
    # The four newest fill the featured slots; the busy block starts with the fifth.
    assert response.context["featured"] == newest[:4]
    blocks = dict(response.context["section_blocks"])
    assert blocks[busy] == newest[4:8]
    assert [a.title for a in blocks[quiet]] == ["Quiet story"]
    assert response.content.decode().count(">Old pick</a>") == 1


def test_home_stories_are_read_through_one_statement_built_once_and_follow_the_clock(
    client, settings, time_machine, monkeypatch
):
    from django.db import DEFAULT_DB_ALIAS, connections

    from articles.models import Article
    from frontpage import selectors

    settings.NEWSROOM_FRAGMENT_CACHE = False
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    section = SectionFactory()
    ArticleFactory(title="Standing story", section=section, published_at=hours_ago(2))
    going = ArticleFactory(
        title="Story taken down soon", section=section, published_at=hours_ago(1)
    )
    going.unpublish_at = start + datetime.timedelta(minutes=10)
    going.save()
    ArticleFactory(
        title="Scheduled story", section=section, published_at=start + datetime.timedelta(minutes=5)
    )
    builds = []
    published = Article.objects.published
    monkeypatch.setattr(
        Article.objects, "published", lambda **kw: builds.append(kw) or published(**kw)
    )
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    selectors._candidates.cache_clear()

    def home_titles():
        return [a.title for a in selectors.home_stories().on_page]

    assert home_titles() == ["Story taken down soon", "Standing story"]
    built = len(builds)
    time_machine.move_to(start + datetime.timedelta(minutes=5), tick=False)
    assert home_titles() == ["Scheduled story", "Story taken down soon", "Standing story"]
    time_machine.move_to(start + datetime.timedelta(minutes=10), tick=False)
    assert home_titles() == ["Scheduled story", "Standing story"]
    # The statement was built at the first reading only, whatever the time.
    assert built == 1
    assert len(builds) == built
    html = client.get(reverse("frontpage:home")).content.decode()
    assert ">Scheduled story</a>" in html and "Story taken down soon" not in html
