"""Feeds, sitemaps and robots.txt: valid XML, published articles only, our own origin."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, AuthorFactory, SectionFactory, jpeg

pytestmark = pytest.mark.django_db

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"
SITE = "https://news.example"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.NEWSROOM_SITE_URL = SITE


def hidden_articles():
    """One article in each state a reader must not see."""
    return [
        ArticleFactory(title="Hidden draft", status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(title="Hidden unpublished", status=Article.Status.UNPUBLISHED),
        ArticleFactory(
            title="Hidden scheduled", published_at=timezone.now() + datetime.timedelta(hours=2)
        ),
    ]


def get_xml(client, url, **extra):
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return ET.fromstring(response.content)


def test_site_feed_lists_published_articles_with_title_link_lead_date_author_and_image(client):
    section = SectionFactory(name="Business", slug="business")
    story = ArticleFactory(
        title="Tea & coffee <prices> rise",
        lead="Growers in Mường Ảng are pleased.",
        section=section,
        authors=[AuthorFactory(name="Đức Linh")],
        image=jpeg(),
        tags=["agriculture"],
    )
    hidden_articles()
    rss = get_xml(client, reverse("articles:feed"))
    channel = rss.find("channel")
    assert channel.findtext("link") == SITE + "/"
    items = channel.findall("item")
    assert [i.findtext("title") for i in items] == ["Tea & coffee <prices> rise"]
    item = items[0]
    assert item.findtext("link") == SITE + story.get_absolute_url()
    assert item.findtext("description") == "Growers in Mường Ảng are pleased."
    assert item.findtext("pubDate")
    assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == "Đức Linh"
    assert {c.text for c in item.findall("category")} == {"Business", "agriculture"}
    enclosure = item.find("enclosure")
    assert enclosure.get("url").startswith(SITE + "/media/")
    assert enclosure.get("type") == "image/jpeg"
    assert int(enclosure.get("length")) == story.image.size


def test_section_feed_lists_only_that_sections_published_articles(client):
    section = SectionFactory(slug="border")
    mine = ArticleFactory(title="Border post", section=section)
    ArticleFactory(title="Elsewhere")
    ArticleFactory(title="Border draft", section=section, status="draft", published_at=None)
    rss = get_xml(client, reverse("sections:feed", args=[section.slug]))
    titles = [i.findtext("title") for i in rss.iter("item")]
    assert titles == [mine.title]


def test_unknown_section_feed_answers_404(client):
    assert client.get(reverse("sections:feed", args=["nope"])).status_code == 404


def test_feed_links_ignore_a_forged_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    ArticleFactory()
    rss = get_xml(client, reverse("articles:feed"), HTTP_HOST="evil.example")
    assert b"evil.example" not in ET.tostring(rss)


def test_pages_advertise_the_site_feed_and_section_pages_their_own(client):
    section = SectionFactory(slug="culture")
    article = ArticleFactory(section=section)
    site_feed = (
        f'type="application/rss+xml" title="Điện Biên Phủ Online" href="{reverse("articles:feed")}"'
    )
    section_feed = f'href="{reverse("sections:feed", args=["culture"])}"'
    for url in ["/", section.get_absolute_url(), article.get_absolute_url()]:
        html = client.get(url).content.decode()
        assert '<link rel="alternate" ' + site_feed in html, url
    assert section_feed in client.get(section.get_absolute_url()).content.decode()
    assert section_feed in client.get(article.get_absolute_url()).content.decode()


def sitemap_entries(client, **extra) -> dict[str, str]:
    """loc -> lastmod of every URL in every sitemap the index lists."""
    index = get_xml(client, reverse("sitemap"), **extra)
    entries = {}
    for sitemap in index.findall(f"{SM}sitemap"):
        location = sitemap.findtext(f"{SM}loc")
        assert location.startswith(SITE + "/sitemap-")
        assert sitemap.findtext(f"{SM}lastmod")
        urlset = get_xml(client, location.removeprefix(SITE), **extra)
        entries |= {u.findtext(f"{SM}loc"): u.findtext(f"{SM}lastmod") for u in urlset}
    return entries


def test_sitemap_lists_home_sections_and_published_articles_with_lastmod(client):
    section = SectionFactory(slug="politics")
    story = ArticleFactory(section=section)
    hidden = hidden_articles()
    entries = sitemap_entries(client)
    assert entries[SITE + "/"]
    assert entries[SITE + section.get_absolute_url()]
    assert entries[SITE + story.get_absolute_url()]
    for article in hidden:
        assert SITE + article.get_absolute_url() not in entries


def test_sitemap_index_lists_every_page_of_a_long_sitemap(client, monkeypatch):
    from articles.sitemaps import ArticleSitemap

    monkeypatch.setattr(ArticleSitemap, "limit", 2)
    stories = ArticleFactory.create_batch(5)
    index = get_xml(client, reverse("sitemap"))
    locations = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    assert SITE + "/sitemap-articles.xml?p=3" in locations
    entries = sitemap_entries(client)
    assert all(SITE + s.get_absolute_url() in entries for s in stories)


def test_sitemaps_ignore_a_forged_host_header(client, settings):
    settings.ALLOWED_HOSTS = ["evil.example", "testserver"]
    ArticleFactory()
    entries = sitemap_entries(client, HTTP_HOST="evil.example")
    assert entries and not any("evil.example" in url for url in entries)


def test_sitemap_lastmod_is_when_a_scheduled_article_went_live(client, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 8, 0, tzinfo=datetime.UTC), tick=False)
    story = ArticleFactory(published_at=datetime.datetime(2026, 5, 7, 8, 0, tzinfo=datetime.UTC))
    time_machine.move_to(datetime.datetime(2026, 5, 8, 8, 0, tzinfo=datetime.UTC), tick=False)
    entries = sitemap_entries(client)
    assert entries[SITE + story.get_absolute_url()] == "2026-05-07"


def test_news_sitemap_lists_articles_of_the_last_48_hours_only(client, time_machine):
    now = datetime.datetime(2026, 5, 7, 12, 0, tzinfo=datetime.UTC)
    time_machine.move_to(now, tick=False)
    fresh = ArticleFactory(title="Fresh & new", published_at=now - datetime.timedelta(hours=47))
    ArticleFactory(title="Stale", published_at=now - datetime.timedelta(hours=49))
    hidden_articles()
    urlset = get_xml(client, reverse("news-sitemap"))
    urls = urlset.findall(f"{SM}url")
    assert [u.findtext(f"{SM}loc") for u in urls] == [SITE + fresh.get_absolute_url()]
    news = urls[0].find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Điện Biên Phủ Online"
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
    assert news.findtext(f"{NEWS}publication_date") == "2026-05-05T20:00:00+07:00"
    assert news.findtext(f"{NEWS}title") == "Fresh & new"


def test_robots_txt_points_to_sitemaps_and_keeps_crawlers_out_of_preview_and_search(client):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    for path in ["/preview/", "/search/"]:
        assert f"Disallow: {path}" in lines
    assert f"Sitemap: {SITE}/sitemap.xml" in lines
    assert f"Sitemap: {SITE}/sitemap-news.xml" in lines


def test_feed_dates_are_on_the_papers_clock(client):
    ArticleFactory(
        title="Night shift at the border post",
        published_at=datetime.datetime(2026, 2, 9, 20, 0, tzinfo=datetime.UTC),
    )
    rss = get_xml(client, reverse("articles:feed"))
    (item,) = rss.find("channel").findall("item")
    # 20:00 UTC on the 9th is 03:00 on the 10th in Điện Biên.
    assert item.findtext("pubDate") == "Tue, 10 Feb 2026 03:00:00 +0700"
    assert rss.find("channel").findtext("lastBuildDate").endswith(" +0700")
