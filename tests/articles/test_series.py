"""Stories in parts: "Part 2 of 3" with links to the other published parts, the series
page, its structured data and sitemap entry; an unpublished part is never named."""

import datetime
import json
import re

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from articles.models import Article, Series
from core.links import absolute_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db
Status = Article.Status


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


def parts_of(name, *statuses):
    """A series `name` and one story per status, parts 1, 2, … in that order."""
    series = Series.objects.create(name=name, description="The province's offices, merged.")
    return series, [
        ArticleFactory(
            title=f"{name} (Part {number})",
            series=series,
            series_part=number,
            status=status,
            published_at=None
            if status in (Status.DRAFT, Status.IN_REVIEW)
            else hours_ago(10 - number),
        )
        for number, status in enumerate(statuses, 1)
    ]


def json_ld(html):
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script)


def test_a_part_shows_where_it_stands_and_links_the_other_published_parts(client):
    series, (one, two, three) = parts_of(
        "Surplus offices", Status.PUBLISHED, Status.PUBLISHED, Status.DRAFT
    )
    html = client.get(two.get_absolute_url()).content.decode()
    assert "Part 2 of 2" in html
    assert f'href="{one.get_absolute_url()}"' in html
    assert '<span aria-current="page">Surplus offices (Part 2)</span>' in html
    assert f'href="{series.get_absolute_url()}"' in html
    # The draft third part is neither named nor linked.
    assert "(Part 3)" not in html and three.slug not in html


def test_the_series_page_lists_the_published_parts_in_order(client):
    series, (one, two, three) = parts_of(
        "Tea roads", Status.PUBLISHED, Status.UNPUBLISHED, Status.PUBLISHED
    )
    html = client.get(series.get_absolute_url()).content.decode()
    assert "The province&#x27;s offices, merged." in html
    assert html.index("Tea roads (Part 1)") < html.index("Tea roads (Part 3)")
    assert "(Part 2)" not in html


def test_a_series_with_no_published_part_is_not_found(client):
    series, _ = parts_of("Not yet", Status.DRAFT, Status.IN_REVIEW)
    assert client.get(series.get_absolute_url()).status_code == 404
    assert client.get("/series/no-such-series/").status_code == 404


def test_structured_data_says_which_series_a_part_belongs_to(client):
    series, (one,) = parts_of("Border markets", Status.PUBLISHED)
    data = json_ld(client.get(one.get_absolute_url()).content.decode())
    assert data["isPartOf"] == {
        "@type": "CreativeWorkSeries",
        "name": "Border markets",
        "url": absolute_url(series.get_absolute_url()),
    }
    assert data["position"] == 1
    assert "isPartOf" not in json_ld(
        client.get(ArticleFactory().get_absolute_url()).content.decode()
    )


def test_the_sitemap_lists_series_with_a_published_part_only(client):
    shown, _ = parts_of("Shown series", Status.PUBLISHED)
    hidden, _ = parts_of("Hidden series", Status.DRAFT)
    xml = client.get("/sitemap-series.xml").content.decode()
    assert shown.get_absolute_url() in xml and hidden.get_absolute_url() not in xml
    assert "/sitemap-series.xml" in client.get("/sitemap.xml").content.decode()


def test_the_database_keeps_parts_numbered_and_unique():
    series, (one,) = parts_of("Numbered", Status.PUBLISHED)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(series=series, series_part=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(series=series, series_part=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(series=None, series_part=2)


class TestWithThePageCache:
    @pytest.fixture(autouse=True)
    def _cache_on(self, page_cache_on):
        pass

    def test_a_part_published_later_shows_on_the_earlier_parts_cached_pages(self, client, commit):
        series, (one, two) = parts_of("Rice harvest", Status.PUBLISHED, Status.DRAFT)
        assert "Part 1 of 1" in client.get(one.get_absolute_url()).content.decode()

        def publish():
            two.status, two.published_at = Status.PUBLISHED, hours_ago(0)
            two.save()

        commit(publish)
        html = client.get(one.get_absolute_url()).content.decode()
        assert "Part 1 of 2" in html and f'href="{two.get_absolute_url()}"' in html

    def test_renaming_a_series_shows_in_its_parts_cached_structured_data(self, client, commit):
        series, (one,) = parts_of("Old name", Status.PUBLISHED)
        client.get(one.get_absolute_url())

        def rename():
            series.name = "New name"
            series.save()

        commit(rename)
        data = json_ld(client.get(one.get_absolute_url()).content.decode())
        assert data["isPartOf"]["name"] == "New name"


def test_a_story_links_its_vietnamese_original_for_readers_and_search_engines(client):
    original = "https://baodienbienphu.vn/tin-tuc/chinh-tri/nhan-rong-dien-hinh-tien-tien-12345"
    article = ArticleFactory(original_url=original)
    html = client.get(article.get_absolute_url()).content.decode()
    assert f'<a class="article__original" href="{original}" hreflang="vi" lang="vi">' in html
    assert "Đọc bằng tiếng Việt" in html
    assert f'<link rel="alternate" hreflang="vi" href="{original}">' in html
    assert re.search(r'<link rel="alternate" hreflang="en" href="[^"]+' + article.slug, html)
    assert json_ld(html)["translationOfWork"] == {
        "@type": "NewsArticle",
        "url": original,
        "inLanguage": "vi",
    }


def test_a_story_without_an_original_has_no_link_to_one(client):
    html = client.get(ArticleFactory().get_absolute_url()).content.decode()
    assert "Đọc bằng tiếng Việt" not in html and 'hreflang="vi"' not in html
    assert "translationOfWork" not in json_ld(html)
