"""The anonymous page cache serves fast pages and never stale news."""

import datetime
import hashlib
import re

import pytest
from django.core.cache import cache, caches
from django.http import HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.template import engines
from django.test import RequestFactory
from django.utils import timezone

from articles.models import Article
from frontpage.models import HomePick
from pagecache.middleware import AnonymousPageCacheMiddleware
from tests.factories import ArticleFactory, SectionFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _cache_on(page_cache_on):
    """Every test here runs with the page cache on."""


def test_second_anonymous_request_is_served_from_cache_without_queries(
    client, django_assert_num_queries
):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url())
    assert response["X-Page-Cache"] == "hit"
    assert article.title in response.content.decode()


def test_publishing_shows_the_story_at_once_on_every_page_that_lists_it(client, commit):
    section = SectionFactory()
    old = ArticleFactory(section=section, tags=["border"])
    pages = ["/", section.get_absolute_url(), old.get_absolute_url(), "/tags/border/"]
    for url in pages:
        client.get(url)
    commit(
        lambda: ArticleFactory(
            title="Breaking: floods in Mường Nhé", section=section, tags=["border"]
        )
    )
    for url in pages:
        assert "Breaking: floods in Mường Nhé" in client.get(url).content.decode(), url


def test_unpublishing_removes_the_story_everywhere(client, commit):
    story = ArticleFactory(title="Story to take down")
    other = ArticleFactory()
    for url in ["/", other.get_absolute_url(), story.get_absolute_url()]:
        client.get(url)

    def take_down():
        story.status = Article.Status.UNPUBLISHED
        story.save()

    commit(take_down)
    assert "Story to take down" not in client.get("/").content.decode()
    assert "Story to take down" not in client.get(other.get_absolute_url()).content.decode()
    assert client.get(story.get_absolute_url()).status_code == 404


def test_correcting_a_headline_updates_the_cached_article_and_sidebars(client, commit):
    story = ArticleFactory(title="Teh headline")
    other = ArticleFactory()
    client.get(story.get_absolute_url())
    client.get(other.get_absolute_url())

    def fix():
        story.title = "The headline"
        story.save()

    commit(fix)
    assert "The headline" in client.get(story.get_absolute_url()).content.decode()
    assert "The headline" in client.get(other.get_absolute_url()).content.decode()


def test_renaming_a_section_updates_the_navigation(client, commit):
    section = SectionFactory(name="Sport")
    client.get("/")

    def rename():
        section.name = "Sport and Games"
        section.save()

    commit(rename)
    assert "Sport and Games" in client.get("/").content.decode()


def test_scheduled_story_appears_on_cached_pages_at_its_publish_time(client, time_machine):
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    ArticleFactory(title="Already out")
    ArticleFactory(title="Scheduled story", published_at=now + datetime.timedelta(minutes=5))
    assert "Scheduled story" not in client.get("/").content.decode()
    time_machine.move_to(now + datetime.timedelta(minutes=5) - datetime.timedelta(seconds=1))
    assert "Scheduled story" not in client.get("/").content.decode()
    time_machine.move_to(now + datetime.timedelta(minutes=5), tick=False)
    assert "Scheduled story" in client.get("/").content.decode()


def test_logged_in_staff_bypass_the_cache(client):
    article = ArticleFactory()
    client.force_login(UserFactory(is_staff=True))
    client.get(article.get_absolute_url())
    response = client.get(article.get_absolute_url())
    assert "X-Page-Cache" not in response


def test_a_page_carrying_a_message_bypasses_the_cache(client):
    article = ArticleFactory()
    client.get(article.get_absolute_url())
    client.cookies["messages"] = "anything"
    assert "X-Page-Cache" not in client.get(article.get_absolute_url())


def test_not_found_pages_are_not_cached(client):
    client.get("/articles/nope/")
    assert "X-Page-Cache" not in client.get("/articles/nope/")


def test_conditional_get_answers_304_without_rendering(client, django_assert_num_queries):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]
    with django_assert_num_queries(0):
        response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""


def test_conditional_get_after_a_change_gets_the_new_page(client, commit):
    article = ArticleFactory()
    etag = client.get(article.get_absolute_url())["ETag"]
    commit(lambda: ArticleFactory(title="Newer story"))
    response = client.get(article.get_absolute_url(), HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert "Newer story" in response.content.decode()


def test_anonymous_pages_are_safe_for_shared_caches(client):
    article = ArticleFactory()
    for url in [article.get_absolute_url(), article.section.get_absolute_url(), "/"]:
        response = client.get(url)
        cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
        assert {"public", "max-age=0", "must-revalidate", "s-maxage=1"} <= cache_control, url
        assert "Cookie" in response["Vary"], url
        assert not response.cookies, url  # no session or CSRF cookie
        assert b"csrfmiddlewaretoken" not in response.content, url  # the comment form too


def test_a_hit_carries_the_headers_the_whole_stack_gave_the_page(client):
    article = ArticleFactory()
    miss = client.get(article.get_absolute_url())
    hit = client.get(article.get_absolute_url())
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"]) == ("miss", "hit")
    for header in [
        "Content-Type",
        "Content-Security-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "Cache-Control",
        "Vary",
        "ETag",
    ]:
        assert hit[header] == miss[header], header
    assert hit.content == miss.content


def form_page_view(request):
    template = engines["django"].from_string(
        '<form method="post">{% csrf_token %}<button>Post</button></form>'
    )
    return HttpResponse(template.render({}, request))


def test_a_page_with_a_csrf_token_is_never_stored():
    """A token belongs to one visitor: such a page is made afresh for each and kept private."""
    handler = AnonymousPageCacheMiddleware(CsrfViewMiddleware(form_page_view))
    factory = RequestFactory()
    first = handler(factory.get("/form/"))
    second = handler(factory.get("/form/"))
    assert "X-Page-Cache" not in first and "X-Page-Cache" not in second
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    cache_control = {part.strip() for part in second["Cache-Control"].split(",")}
    assert {"private", "no-store"} <= cache_control and "public" not in cache_control
    assert "ETag" not in second


def test_static_and_media_files_never_reach_the_page_cache(settings):
    handler = AnonymousPageCacheMiddleware(lambda request: HttpResponse("file"))
    factory = RequestFactory()
    assert handler(factory.get("/sections/news/"))["X-Page-Cache"] == "miss"
    for path in [settings.STATIC_URL + "css/site.css", settings.MEDIA_URL + "a.jpg"]:
        assert "X-Page-Cache" not in handler(factory.get(path)), path


def recent_news_links(html: str) -> list[str]:
    aside = html[html.index('<aside class="recent-news"') :]
    return re.findall(r'class="recent-news__title"><a href="([^"]+)"', aside)


def test_recent_news_is_built_once_per_content_version_for_every_page(
    client, settings, commit, django_assert_num_queries
):
    settings.NEWSROOM_PAGE_CACHE = False  # every page rendered afresh: only fragments kept
    first, second = ArticleFactory(), ArticleFactory()
    client.get(first.get_absolute_url())
    with django_assert_num_queries(0):
        from frontpage.templatetags.frontpage_tags import recent_news

        recent_news(exclude=second)
    newer = commit(lambda: ArticleFactory(title="Just in"))
    links = recent_news_links(client.get(second.get_absolute_url()).content.decode())
    assert links[0] == newer.get_absolute_url()
    assert second.get_absolute_url() not in links


def test_recent_news_looks_past_the_kept_stories_when_a_page_shows_them_all(
    client, settings, monkeypatch
):
    from frontpage.templatetags import frontpage_tags

    settings.NEWSROOM_RECENT_NEWS_COUNT = 2
    monkeypatch.setattr(frontpage_tags, "RECENT_NEWS_SPARE", 1)  # three stories kept
    now = timezone.now()
    stories = [
        ArticleFactory(published_at=now - datetime.timedelta(hours=hours)) for hours in range(6)
    ]
    client.get(stories[5].get_absolute_url())  # keeps the three newest
    context = frontpage_tags.recent_news(exclude=stories[:2])
    html = "".join(context["recent_items"])
    assert html.count("recent-news__item") == 2
    assert stories[2].get_absolute_url() in html and stories[3].get_absolute_url() in html


def test_head_request_is_answered_from_the_cache_with_the_pages_headers(client):
    article = ArticleFactory()
    page = client.get(article.get_absolute_url())
    head = client.head(article.get_absolute_url())
    assert head.status_code == 200 and head["X-Page-Cache"] == "hit"
    assert head["ETag"] == page["ETag"] and head["Content-Type"] == page["Content-Type"]


def test_pages_stored_in_an_older_format_are_never_served(client):
    """A release that changes what is stored uses new keys: an older release's copy of a page
    (here, under the key format before PAGE_KEY_FORMAT) is ignored."""
    from pagecache.middleware import PAGE_KEY_FORMAT
    from pagecache.versions import site_version

    article = ArticleFactory(title="Fresh page")
    path = article.get_absolute_url()
    version = site_version().version
    digest = hashlib.sha256(path.encode()).hexdigest()[:32]
    cache.set("page:" + digest, (version, 200, {"Content-Type": "text/html"}, b"old copy"))
    assert PAGE_KEY_FORMAT != "page:"
    response = client.get(path)
    assert response["X-Page-Cache"] == "miss" and b"Fresh page" in response.content


@pytest.mark.parametrize(
    "query", ["?fbclid=IwAR3xYz", "?utm_source=zalo&utm_medium=social", "?zarsrc=30&UTM_ID=1"]
)
def test_a_link_tagged_by_where_the_reader_came_from_shares_the_cached_page(client, query):
    article = ArticleFactory()
    assert client.get(article.get_absolute_url())["X-Page-Cache"] == "miss"
    response = client.get(article.get_absolute_url() + query)
    assert response["X-Page-Cache"] == "hit"


def test_parameters_a_page_reads_keep_their_own_cached_copies(client):
    from sections.views import SectionDetailView

    first = ArticleFactory(title="Coffee harvest")
    for _ in range(SectionDetailView.paginate_by):
        ArticleFactory(section=first.section)
    section = first.section.get_absolute_url()
    page_one, page_two = client.get(section), client.get(section + "?page=2")
    assert (page_one["X-Page-Cache"], page_two["X-Page-Cache"]) == ("miss", "miss")
    assert page_one.content != page_two.content
    assert client.get(section + "?page=2&fbclid=x")["X-Page-Cache"] == "hit"
    coffee = client.get("/search/?q=coffee&utm_campaign=x").content.decode()
    tea = client.get("/search/?q=tea").content.decode()
    assert "<mark>Coffee</mark>" in coffee and "<mark>Coffee</mark>" not in tea


@pytest.mark.parametrize("change", ["pin", "unpin"])
def test_pinning_or_unpinning_a_story_changes_the_cached_home_page_at_once(client, commit, change):
    older = ArticleFactory(
        title="An older story", published_at=timezone.now() - datetime.timedelta(days=2)
    )
    ArticleFactory(title="The latest story")
    pick = HomePick.objects.create(slot=0, article=older) if change == "unpin" else None
    lead_before = "An older story" if change == "unpin" else "The latest story"
    assert lead_in(client.get("/").content.decode()) == lead_before
    if change == "pin":
        commit(lambda: HomePick.objects.create(slot=0, article=older))
    else:
        commit(pick.delete)
    lead_after = "The latest story" if change == "unpin" else "An older story"
    assert lead_in(client.get("/").content.decode()) == lead_after


def lead_in(html: str) -> str:
    section = html[html.index('class="home-lead"') :]
    return re.search(r'card__title--lead"><a href="[^"]+">([^<]+)</a>', section).group(1)


# --- Each process's copy of the pages it served last -------------------------------------


def test_a_page_read_again_is_served_from_the_process_copy_without_a_cache_round_trip(
    client, monkeypatch
):
    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    monkeypatch.setattr(caches["default"], "get", lambda *a, **k: pytest.fail("cache read"))
    again = client.get(article.get_absolute_url())
    assert again["X-Page-Cache"] == "hit" and again.content == first.content
    assert again["ETag"] == first["ETag"] and again["Content-Type"] == first["Content-Type"]


def test_another_process_is_served_the_shared_copy_and_keeps_its_own(client, monkeypatch):
    from pagecache import versions

    article = ArticleFactory()
    first = client.get(article.get_absolute_url())
    versions._recent.clear()  # another process: the page only in the shared cache
    reads = []
    real_get = caches["default"].get
    monkeypatch.setattr(
        caches["default"], "get", lambda *a, **k: reads.append(a) or real_get(*a, **k)
    )
    for _ in range(3):
        assert client.get(article.get_absolute_url()).content == first.content
    assert len(reads) == 1


def test_the_process_copy_holds_what_was_served_last_within_its_size(client, settings):
    from pagecache import versions
    from pagecache.middleware import PAGE_KEY_FORMAT

    stories = ArticleFactory.create_batch(3)
    size = len(client.get(stories[0].get_absolute_url()).content)
    settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES = int(2.5 * size)
    versions.forget()
    for story in stories:
        client.get(story.get_absolute_url())
    pages = [key for key in versions._recent if key.startswith(PAGE_KEY_FORMAT)]
    assert len(pages) in (1, 2) and versions._recent_size[0] <= int(2.5 * size)
    assert client.get(stories[2].get_absolute_url())["X-Page-Cache"] == "hit"
    settings.NEWSROOM_PAGE_CACHE_LOCAL_BYTES = 0
    versions.forget()
    client.get(stories[0].get_absolute_url())
    assert not versions._recent
