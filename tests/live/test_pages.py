"""A live story's page for readers: complete without JavaScript, newest first, with its
pinned and key entries; the updates its script polls answer 304 until something changes;
the page cache follows entries and the coverage's end time."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from core.dates import paper_isoformat, paper_time
from tests.factories import ArticleFactory, LiveCoverageFactory, jpeg

pytestmark = pytest.mark.django_db


def updates_url(coverage):
    return reverse("live:updates", kwargs={"slug": coverage.article.slug})


def json_ld(html):
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_the_page_shows_live_entries_newest_first_with_their_times_without_javascript(
    client, coverage, post
):
    now = timezone.now()
    post(coverage, text="Water rises at the bridge.", posted_at=now - datetime.timedelta(minutes=5))
    post(
        coverage,
        quote="We are moving families to the school.",
        quote_by="Lò Văn Mừng",
        posted_at=now - datetime.timedelta(minutes=2),
    )
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert '<span class="live__badge">Live</span> Live updates' in html
    # Above the headline, a marker leads to the updates.
    assert html.index('<p class="live-marker"><a href="#live">') < html.index("<h1")
    newer = html.index("We are moving families to the school.")
    older = html.index("Water rises at the bridge.")
    assert newer < older
    assert "— Lò Văn Mừng" in html
    # The paper's clock: UTC+7.
    local = paper_time(now - datetime.timedelta(minutes=5))
    assert f'{local:%H:%M} <span class="live-entry__zone">GMT+7</span>' in html
    assert 'src="/static/js/live.js"' in html


def test_the_pinned_entry_and_key_moments_come_first(client, coverage, post):
    pinned = post(coverage, text="Evacuation points: the school and the commune hall.", pinned=True)
    post(coverage, text="The Nậm Pồ bridge is closed.", key=True)
    post(coverage, text="Rain is easing.")
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert html.index('class="live__pinned"') < html.index('class="live__key"')
    assert html.index('class="live__key"') < html.index('class="live__entries"')
    key_list = html[html.index('class="live__key"') : html.index('class="live__entries"')]
    assert "The Nậm Pồ bridge is closed." in key_list and "Rain is easing." not in key_list
    # The pinned entry is also in its place among the entries, its anchor only there.
    assert html.count(f'id="live-entry-{pinned.pk}"') == 1
    block = html[html.index('id="live"') :]
    assert block.count("Evacuation points") == 2


def test_pinning_an_entry_unpins_the_other(coverage, post):
    first = post(coverage, text="First pin", pinned=True)
    second = post(coverage, text="Second pin", pinned=True)
    first.refresh_from_db()
    assert not first.pinned and second.pinned


def test_an_entry_picture_is_shown_and_reaches_readers_through_the_media_gate(
    client, coverage, post
):
    entry = post(coverage, picture=jpeg(), picture_alt="The flooded road to Chà Cang")
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert 'alt="The flooded road to Chà Cang"' in html
    assert not entry.picture.name.endswith("photo.jpg")
    assert client.get(entry.picture.url).status_code == 200


def test_an_entry_picture_of_an_unpublished_story_stays_private(client, post):
    coverage = LiveCoverageFactory(article__status="draft", article__published_at=None)
    entry = post(coverage, picture=jpeg(), picture_alt="Rescue boats")
    assert client.get(entry.picture.url).status_code == 404


def test_a_story_that_is_not_live_has_no_live_block(client):
    article = ArticleFactory()
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="live"' not in html
    assert json_ld(html)["@type"] == "NewsArticle"
    assert client.get(reverse("live:updates", kwargs={"slug": article.slug})).status_code == 404


def test_the_updates_of_an_unpublished_story_are_not_found(client):
    coverage = LiveCoverageFactory(article__status="draft", article__published_at=None)
    assert client.get(updates_url(coverage)).status_code == 404


def test_structured_data_is_a_live_blog_posting_with_each_entry(client, coverage, post):
    entry = post(coverage, text="<p>The Nậm Pồ bridge is <strong>closed</strong>.</p>")
    data = json_ld(client.get(coverage.article.get_absolute_url()).content.decode())
    assert data["@type"] == "LiveBlogPosting"
    assert data["headline"] == coverage.article.title  # the article's data stays
    assert data["coverageStartTime"] == paper_isoformat(coverage.starts_at)
    assert data["coverageEndTime"].endswith("+07:00")
    [update] = data["liveBlogUpdate"]
    assert update["@type"] == "BlogPosting"
    assert update["headline"] == "The Nậm Pồ bridge is closed ."
    assert update["articleBody"] == "The Nậm Pồ bridge is closed ."
    assert update["datePublished"].endswith("+07:00")
    assert update["url"].endswith(f"#live-entry-{entry.pk}")


def test_updates_answer_304_until_an_entry_is_added_then_show_it(client, coverage, post):
    first = client.get(updates_url(coverage))
    assert first.status_code == 200
    etag = first["ETag"]
    assert client.get(updates_url(coverage), headers={"if-none-match": etag}).status_code == 304
    post(coverage, text="Soldiers arrive with boats.")
    answer = client.get(updates_url(coverage), headers={"if-none-match": etag})
    assert answer.status_code == 200
    assert "Soldiers arrive with boats." in answer.content.decode()
    assert answer["ETag"] != etag


def test_the_page_names_the_etag_its_first_poll_sends(client, coverage):
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    etag = re.search(r'data-live-etag="([^"]+)"', html).group(1).replace("&quot;", '"')
    assert client.get(updates_url(coverage), headers={"if-none-match": etag}).status_code == 304


def test_the_poll_interval_is_thirty_seconds(client, coverage):
    html = client.get(coverage.article.get_absolute_url()).content.decode()
    assert 'data-live-poll="30"' in html and 'data-live-state="live"' in html


class TestThroughThePageCache:
    @pytest.fixture(autouse=True)
    def _cache_on(self, page_cache_on):
        pass

    def test_a_poll_is_304_until_an_entry_is_added_then_shows_it(
        self, client, coverage, post, commit
    ):
        page = client.get(coverage.article.get_absolute_url())
        first = client.get(updates_url(coverage))
        assert client.get(updates_url(coverage))["X-Page-Cache"] == "hit"
        etag = first["ETag"]
        assert page["ETag"] == etag
        unchanged = client.get(updates_url(coverage), headers={"if-none-match": etag})
        assert unchanged.status_code == 304
        commit(lambda: post(coverage, text="Soldiers arrive with boats."))
        changed = client.get(updates_url(coverage), headers={"if-none-match": etag})
        assert changed.status_code == 200
        assert "Soldiers arrive with boats." in changed.content.decode()
        new_page = client.get(coverage.article.get_absolute_url()).content.decode()
        assert "Soldiers arrive with boats." in new_page
        assert json_ld(new_page)["liveBlogUpdate"][0]["articleBody"] == (
            "Soldiers arrive with boats."
        )
        again = client.get(updates_url(coverage), headers={"if-none-match": changed["ETag"]})
        assert again.status_code == 304

    def test_a_deleted_entry_leaves_the_cached_page_at_once(
        self, client, coverage, post, commit, editor
    ):
        from live.services import entry_delete

        entry = commit(lambda: post(coverage, text="A wrong figure: 300 homes."))
        url = coverage.article.get_absolute_url()
        assert "A wrong figure" in client.get(url).content.decode()
        commit(lambda: entry_delete(entry=entry, by=editor))
        assert "A wrong figure" not in client.get(url).content.decode()

    def test_the_coverage_ends_on_cached_pages_at_its_end_time_with_no_request(
        self, client, time_machine
    ):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        coverage = LiveCoverageFactory(ends_at=now + datetime.timedelta(minutes=30))
        url = coverage.article.get_absolute_url()
        assert 'data-live-state="live"' in client.get(url).content.decode()
        assert client.get(url)["X-Page-Cache"] == "hit"
        etag = client.get(updates_url(coverage))["ETag"]
        time_machine.move_to(now + datetime.timedelta(minutes=30) - datetime.timedelta(seconds=1))
        assert 'data-live-state="live"' in client.get(url).content.decode()
        time_machine.move_to(now + datetime.timedelta(minutes=30), tick=False)
        html = client.get(url).content.decode()
        assert 'data-live-state="ended"' in html and "Live coverage ended" in html
        assert '<span class="live__badge">' not in html and 'class="live-marker"' not in html
        ended = client.get(updates_url(coverage), headers={"if-none-match": etag})
        assert ended.status_code == 200
        assert 'data-live-state="ended"' in ended.content.decode()

    def test_a_coverage_set_to_start_later_goes_live_on_cached_pages_then(
        self, client, time_machine
    ):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        coverage = LiveCoverageFactory(starts_at=now + datetime.timedelta(minutes=5))
        url = coverage.article.get_absolute_url()
        assert 'data-live-state="upcoming"' in client.get(url).content.decode()
        time_machine.move_to(now + datetime.timedelta(minutes=5), tick=False)
        assert 'data-live-state="live"' in client.get(url).content.decode()


def test_a_live_page_costs_the_same_queries_whatever_its_number_of_entries(client, coverage, post):
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(coverage.article.get_absolute_url()).status_code == 200
        return len(captured)

    post(coverage, text="One", picture=jpeg(), picture_alt="A boat", key=True)
    few = count()
    for n in range(6):
        post(coverage, text=f"Entry {n}", quote="We hold.", quote_by="A soldier", key=True)
    post(coverage, text="Pinned", pinned=True, picture=jpeg(), picture_alt="A road")
    assert count() == few


def test_with_nothing_kept_a_coverage_added_since_the_last_page_shows_through_one_build(
    client, settings, monkeypatch
):
    """With nothing kept the article's live coverage is read through a statement built once
    per connection: a story becomes live on its next page, the statement not built again."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from live import selectors

    settings.NEWSROOM_PAGE_CACHE = False
    settings.NEWSROOM_FRAGMENT_CACHE = False
    article = ArticleFactory(title="Storm over the pass")
    builds = []
    build = selectors._COVERAGE.build
    monkeypatch.setattr(selectors._COVERAGE, "build", lambda **kw: builds.append(kw) or build(**kw))
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    assert 'id="live"' not in client.get(article.get_absolute_url()).content.decode()
    LiveCoverageFactory(article=article)
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'id="live"' in html and json_ld(html)["@type"] == "LiveBlogPosting"
    assert len(builds) == 1
