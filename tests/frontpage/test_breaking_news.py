"""The breaking news banner: one line with a link on every page, from its start to its end
time, gone by itself at that time on every cached page, with no write to remove it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from frontpage.models import BreakingNews
from tests.factories import ArticleFactory, EditorFactory, ReporterFactory

pytestmark = pytest.mark.django_db
LINE = "Floods in Mường Nhé: roads to Chà Cang closed"


def banner(**fields):
    now = timezone.now()
    fields = {
        "text": LINE,
        "link": "/articles/floods/",
        "starts_at": now - datetime.timedelta(minutes=1),
        "ends_at": now + datetime.timedelta(hours=2),
        **fields,
    }
    return BreakingNews.objects.create(**fields)


def pages():
    article = ArticleFactory()
    return ["/", article.section.get_absolute_url(), article.get_absolute_url(), "/corrections/"]


def test_the_banner_is_on_every_page_with_its_link(client):
    banner()
    for url in pages():
        html = client.get(url).content.decode()
        assert f'<a class="breaking__link" href="/articles/floods/">{LINE}</a>' in html, url


def test_of_two_banners_showing_the_later_one_shows(client):
    banner(text="Earlier line", starts_at=timezone.now() - datetime.timedelta(hours=1))
    banner(text="Later line")
    html = client.get("/").content.decode()
    assert "Later line" in html and "Earlier line" not in html


def test_an_ended_or_future_banner_is_not_shown(client):
    now = timezone.now()
    banner(starts_at=now - datetime.timedelta(hours=3), ends_at=now - datetime.timedelta(hours=1))
    banner(text="Not yet", starts_at=now + datetime.timedelta(hours=1))
    html = client.get("/").content.decode()
    assert LINE not in html and "Not yet" not in html and 'class="breaking"' not in html


class TestWithThePageCache:
    @pytest.fixture(autouse=True)
    def _cache_on(self, page_cache_on):
        pass

    def test_the_banner_leaves_every_cached_page_at_its_end_time(self, client, time_machine):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        banner(ends_at=now + datetime.timedelta(minutes=30))
        urls = pages()
        for url in urls:
            assert LINE in client.get(url).content.decode()
            assert client.get(url)["X-Page-Cache"] == "hit"
        time_machine.move_to(now + datetime.timedelta(minutes=30) - datetime.timedelta(seconds=1))
        assert all(LINE in client.get(url).content.decode() for url in urls)
        time_machine.move_to(now + datetime.timedelta(minutes=30), tick=False)
        for url in urls:
            assert LINE not in client.get(url).content.decode(), url

    def test_a_banner_set_to_start_later_appears_on_cached_pages_then(self, client, time_machine):
        now = timezone.now()
        time_machine.move_to(now, tick=False)
        banner(starts_at=now + datetime.timedelta(minutes=5))
        assert LINE not in client.get("/").content.decode()
        time_machine.move_to(now + datetime.timedelta(minutes=5), tick=False)
        assert LINE in client.get("/").content.decode()

    def test_a_banner_put_up_now_shows_on_cached_pages_at_once(self, client, commit):
        urls = pages()
        for url in urls:
            client.get(url)
        commit(banner)
        assert all(LINE in client.get(url).content.decode() for url in urls)


@pytest.mark.parametrize("link", ["javascript:alert(1)", "//evil.example/x", "ftp://x/y", "x"])
def test_a_link_that_is_not_a_page_or_a_web_address_is_refused(link):
    with pytest.raises(ValidationError) as refused:
        BreakingNews(
            text=LINE, link=link, ends_at=timezone.now() + datetime.timedelta(hours=1)
        ).full_clean()
    assert "link" in refused.value.message_dict


def test_the_database_refuses_a_banner_that_ends_before_it_starts():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        banner(starts_at=now, ends_at=now)


def test_editors_put_up_banners_and_reporters_cannot(client):
    url = reverse("admin:frontpage_breakingnews_add")
    client.force_login(ReporterFactory())
    assert client.get(url).status_code == 403
    client.force_login(EditorFactory())
    local = timezone.localtime() + datetime.timedelta(hours=1)
    response = client.post(
        url,
        {
            "text": LINE,
            "link": "https://baodienbienphu.vn/",
            "starts_at_0": f"{timezone.localtime():%Y-%m-%d}",
            "starts_at_1": f"{timezone.localtime():%H:%M:%S}",
            "ends_at_0": f"{local:%Y-%m-%d}",
            "ends_at_1": f"{local:%H:%M:%S}",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert BreakingNews.objects.get().text == LINE


def test_with_nothing_kept_the_banner_follows_the_clock_through_a_statement_built_once(
    client, settings, time_machine, monkeypatch
):
    from django.db import DEFAULT_DB_ALIAS, connections

    settings.NEWSROOM_FRAGMENT_CACHE = False
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    banner(
        starts_at=now + datetime.timedelta(minutes=5), ends_at=now + datetime.timedelta(minutes=30)
    )
    url = ArticleFactory().get_absolute_url()
    builds = []
    showing = BreakingNews.objects.showing
    monkeypatch.setattr(
        BreakingNews.objects, "showing", lambda **kw: builds.append(1) or showing(**kw)
    )
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    seen = []
    for minutes in (0, 5, 29, 30):
        time_machine.move_to(now + datetime.timedelta(minutes=minutes), tick=False)
        seen.append(LINE in client.get(url).content.decode())
    assert seen == [False, True, True, False]
    assert builds == [1]
