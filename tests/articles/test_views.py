import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import (
    NOT_PUBLIC,
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def hours_ago(n):
    return timezone.now() - datetime.timedelta(hours=n)


def test_article_page_shows_what_a_reader_needs(client):
    section = SectionFactory(name="Culture - Tourism", slug="culture-tourism")
    author = AuthorFactory(name="Đức Linh", position="Deputy Editor-in-Chief")
    article = ArticleFactory(
        title="Boosting tourism in Điện Biên",
        lead="Leveraging its tourism potential, the province markets itself.",
        body="<p>The heart of the Northwest.</p>",
        section=section,
        authors=[author],
        tags=["tourism"],
    )
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="article__title">Boosting tourism in Điện Biên</h1>' in html
    assert "ĐBP - </strong>Leveraging its tourism potential" in html
    assert "<p>The heart of the Northwest.</p>" in html
    assert "Đức Linh" in html and "Deputy Editor-in-Chief" in html
    assert "CULTURE - TOURISM" in html
    assert reverse("articles:tag", args=["tourism"]) in html
    assert author.get_absolute_url() in html


@pytest.mark.parametrize("attrs", NOT_PUBLIC)
def test_non_public_article_answers_404(client, attrs):
    article = ArticleFactory(**attrs)
    assert client.get(article.get_absolute_url()).status_code == 404


def test_unknown_article_section_tag_and_author_answer_404(client):
    for url in ["/articles/nope/", "/sections/nope/", "/tags/nope/", "/authors/nope/"]:
        assert client.get(url).status_code == 404, url


def test_recent_news_lists_latest_published_articles_newest_first_without_current(client, settings):
    settings.NEWSROOM_RECENT_NEWS_COUNT = 3
    section = SectionFactory(name="Social Affairs", slug="social-affairs")
    read = ArticleFactory(title="The one being read", published_at=hours_ago(1), section=section)
    older = ArticleFactory(title="Older story", published_at=hours_ago(5), section=section)
    newer = ArticleFactory(title="Newer story", published_at=hours_ago(2), section=section)
    newest = ArticleFactory(title="Newest story", published_at=hours_ago(0.5), section=section)
    ArticleFactory(title="Oldest story", published_at=hours_ago(9), section=section)
    ArticleFactory(title="Draft story", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(title="Future story", published_at=timezone.now() + datetime.timedelta(hours=1))

    response = client.get(read.get_absolute_url())
    html = response.content.decode()
    aside = html[html.index('<aside class="recent-news"') :]
    titles = re.findall(r'class="recent-news__title"><a href="([^"]+)"', aside)
    assert titles == [a.get_absolute_url() for a in (newest, newer, older)]
    # The label runs into the lead, as the paper prints it: "SOCIAL AFFAIRS - ĐBP - ...".
    assert '<span class="recent-news__section">SOCIAL AFFAIRS</span> - ĐBP - ' in aside
    assert "The one being read" not in aside
    assert "Draft story" not in html and "Future story" not in html


def test_recent_news_prints_the_same_items_kept_or_not_and_renders_only_those_when_not(
    settings, monkeypatch
):
    from frontpage.templatetags import frontpage_tags

    settings.NEWSROOM_RECENT_NEWS_COUNT = 3
    stories = [ArticleFactory(published_at=hours_ago(n + 1)) for n in range(8)]
    rendered = []
    real = frontpage_tags._rendered_items

    def counting(articles, limit):
        items = real(articles, limit)
        rendered.append(len(items))
        return items

    monkeypatch.setattr(frontpage_tags, "_rendered_items", counting)
    for exclude in (stories[0], stories[1:3], None):
        settings.NEWSROOM_FRAGMENT_CACHE = False
        fresh = frontpage_tags.recent_news(exclude=exclude)["recent_items"]
        assert rendered.pop() == 3
        settings.NEWSROOM_FRAGMENT_CACHE = True
        assert frontpage_tags.recent_news(exclude=exclude)["recent_items"] == fresh


def test_home_shows_lead_story_and_each_sections_latest(client):
    politics = SectionFactory(name="News - Politics", slug="news-politics")
    business = SectionFactory(name="Business", slug="business")
    lead = ArticleFactory(title="Lead story", section=politics, published_at=hours_ago(1))
    ArticleFactory(title="Politics story", section=politics, published_at=hours_ago(2))
    ArticleFactory(title="Business story", section=business, published_at=hours_ago(3))
    ArticleFactory(title="Hidden draft", status=Article.Status.DRAFT, published_at=None)

    response = client.get("/")
    assert response.status_code == 200
    assert response.context["lead"] == lead
    html = response.content.decode()
    assert html.count(">Lead story</a>") == 1  # lead, not repeated in its section block
    assert "Politics story" in html and "Business story" in html
    assert "Hidden draft" not in html


def test_home_works_with_no_articles(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "No articles have been published yet." in response.content.decode()


def test_section_page_lists_its_published_articles_newest_first(client, settings):
    settings.NEWSROOM_PAGE_SIZE = 2
    section = SectionFactory(description="Trade and farming.")
    other = SectionFactory()
    a = ArticleFactory(section=section, published_at=hours_ago(3))
    b = ArticleFactory(section=section, published_at=hours_ago(1))
    ArticleFactory(section=other)
    response = client.get(section.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["articles"]) == [b, a]
    assert "Trade and farming." in response.content.decode()


@pytest.mark.parametrize("page", ["99", "abc", "-1", "0"])
def test_section_page_with_bad_page_number_answers_404(client, page):
    section = SectionFactory()
    ArticleFactory(section=section)
    assert client.get(section.get_absolute_url(), {"page": page}).status_code == 404


def test_section_page_paginates(client):
    section = SectionFactory()
    for n in range(13):
        ArticleFactory(section=section, published_at=hours_ago(n + 1))
    page2 = client.get(section.get_absolute_url(), {"page": 2})
    assert page2.status_code == 200
    assert len(page2.context["articles"]) == 1


def test_tag_page_lists_only_published_articles_with_the_tag(client):
    tagged = ArticleFactory(title="Tagged story", tags=["border"])
    ArticleFactory(title="Tagged draft", tags=["border"], status="draft", published_at=None)
    ArticleFactory(title="Untagged story")
    response = client.get(reverse("articles:tag", args=["border"]))
    assert response.status_code == 200
    assert list(response.context["articles"]) == [tagged]


def test_author_page_lists_the_authors_published_articles(client):
    author = AuthorFactory(name="Quang Long", position="Reporter")
    mine = ArticleFactory(authors=[author])
    ArticleFactory()
    response = client.get(author.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["articles"]) == [mine]
    assert "Reporter" in response.content.decode()


def test_navigation_lists_sections_in_order(client):
    SectionFactory(name="Zeta section", slug="zeta", position=1)
    response = client.get("/")
    html = response.content.decode()
    nav = html[html.index('<nav class="section-nav"') : html.index("</nav>")]
    assert nav.index("Zeta section") < nav.index("News - Politics")


def test_vietnamese_tag_gets_an_ascii_address_that_works(client):
    article = ArticleFactory(tags=["Điện Biên Phủ"])
    tag = article.tags.get()
    assert tag.slug == "dien-bien-phu"
    response = client.get(tag.get_absolute_url())
    assert response.status_code == 200
    assert list(response.context["articles"]) == [article]
    assert 'href="/tags/dien-bien-phu/"' in client.get(article.get_absolute_url()).content.decode()


def test_related_stories_prefer_shared_tags_then_the_same_section(client):
    section = SectionFactory()
    article = ArticleFactory(section=section, tags=["tea", "border", "tourism"])
    two_tags = ArticleFactory(title="Two tags", tags=["tea", "border"], published_at=hours_ago(9))
    one_tag = ArticleFactory(title="One tag", tags=["tourism"], published_at=hours_ago(2))
    same_section = ArticleFactory(title="Same section", section=section, published_at=hours_ago(3))
    ArticleFactory(title="Older same section", section=section, published_at=hours_ago(30))
    ArticleFactory(title="Unrelated", published_at=hours_ago(1))
    ArticleFactory(title="Draft", tags=["tea"], section=section, status="draft", published_at=None)
    ArticleFactory(
        title="Scheduled", tags=["tea"], published_at=timezone.now() + datetime.timedelta(hours=1)
    )

    response = client.get(article.get_absolute_url())
    related = response.context["related_articles"]
    assert [a.title for a in related][:3] == [two_tags.title, one_tag.title, same_section.title]
    assert len(related) == 4
    assert article not in related
    html = response.content.decode()
    assert "Related stories" in html and "Draft" not in html and "Scheduled" not in html


def test_related_stories_are_bounded_and_cost_a_fixed_number_of_queries(
    client, settings, django_assert_max_num_queries
):
    settings.NEWSROOM_RELATED_COUNT = 3
    section = SectionFactory()
    article = ArticleFactory(section=section, tags=["tea"])
    ArticleFactory.create_batch(6, section=section, tags=["tea"])
    from articles.selectors import related_articles

    article = Article.objects.prefetch_related("tags").get(pk=article.pk)
    with django_assert_max_num_queries(1):
        related = related_articles(article=article, limit=3)
    assert len(related) == 3


def test_related_stories_rank_the_candidates_by_shared_tags_date_and_id(monkeypatch):
    # The candidates are the section's newest `limit` stories and the newest tag rows up to
    # RELATED_CANDIDATES; ranked by shared tags, then newest, then highest id, as one
    # ORDER BY would, however the candidates overlap.
    from articles import selectors

    monkeypatch.setattr(selectors, "RELATED_CANDIDATES", 5)
    section = SectionFactory()
    article = ArticleFactory(section=section, tags=["tea", "border", "tourism"])
    same_moment = hours_ago(5)
    for n, tags in enumerate(
        [["tea"], ["tea", "border"], [], ["tourism", "tea", "border"], ["border"], ["tea"]]
    ):
        ArticleFactory(section=section, tags=tags, published_at=hours_ago(n + 1))
        ArticleFactory(tags=tags, published_at=same_moment if n % 2 else hours_ago(n + 1.5))
    ArticleFactory(tags=["tea"], status="draft", published_at=None)
    limit = 4

    others = Article.objects.published().exclude(pk=article.pk)
    tag_ids = {tag.pk for tag in article.tags.all()}
    near = list(others.filter(section=section).order_by("-published_at", "-pk")[:limit])
    rows = others.filter(tags__in=tag_ids).order_by("-published_at", "-pk")
    sharing = list(rows[: selectors.RELATED_CANDIDATES])

    def shared(item):
        return len(tag_ids & {tag.pk for tag in item.tags.all()})

    expected = sorted(
        set(near) | set(sharing), key=lambda a: (shared(a), a.published_at, a.pk), reverse=True
    )[:limit]
    found = selectors.related_articles(article=article, limit=limit)
    assert [(a.pk, a.shared_tags) for a in found] == [(a.pk, shared(a)) for a in expected]
    assert found[0].section.name


def test_a_story_without_tags_is_related_to_the_newest_of_its_section(
    django_assert_max_num_queries,
):
    from articles.selectors import related_articles

    section = SectionFactory()
    article = ArticleFactory(section=section)
    older, newer = (ArticleFactory(section=section, published_at=hours_ago(n)) for n in (5, 2))
    ArticleFactory(published_at=hours_ago(1))
    ArticleFactory(section=section, status="draft", published_at=None)
    article = Article.objects.prefetch_related("tags").get(pk=article.pk)
    with django_assert_max_num_queries(1):
        related = related_articles(article=article, limit=3)
    assert [(a.pk, a.shared_tags) for a in related] == [(newer.pk, 0), (older.pk, 0)]


def test_tag_and_author_pages_paginate(client, settings):
    author = AuthorFactory(position="Correspondent in Mường Nhé")
    for n in range(settings.NEWSROOM_PAGE_SIZE + 1):
        ArticleFactory(tags=["border"], authors=[author], published_at=hours_ago(n + 1))
    for url in [reverse("articles:tag", args=["border"]), author.get_absolute_url()]:
        assert len(client.get(url).context["articles"]) == settings.NEWSROOM_PAGE_SIZE
        page2 = client.get(url, {"page": 2})
        assert len(page2.context["articles"]) == 1, url
        assert client.get(url, {"page": 3}).status_code == 404
    assert "Correspondent in Mường Nhé" in client.get(author.get_absolute_url()).content.decode()


def test_article_page_gives_its_time_on_the_papers_clock_and_names_the_zone_once(client):
    article = ArticleFactory(
        published_at=datetime.datetime(2026, 2, 9, 20, 0, tzinfo=datetime.UTC),
    )
    CommentFactory(article=article, body="Cảm ơn tòa soạn.")
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Tuesday, 10 February 2026, 03:00 GMT+7" in html
    assert html.count("GMT+7") == 1


def test_vietnamese_comments_names_and_bylines_are_marked_as_vietnamese(client):
    article = ArticleFactory(authors=[AuthorFactory(name="Lò Văn Săn")], tags=["Điện Biên Phủ"])
    CommentFactory(article=article, name="Lò Thị Mai", body="Quê tôi ở Mường Chà, rất tự hào!")
    CommentFactory(
        article=article, name="Jane Reader", body="Great to see Điện Biên investing in roads."
    )
    html = client.get(article.get_absolute_url()).content.decode()
    assert '<span class="comment__name" lang="vi">Lò Thị Mai</span>' in html
    assert '<div class="comment__body" lang="vi">Quê tôi ở Mường Chà, rất tự hào!</div>' in html
    assert '<span class="comment__name">Jane Reader</span>' in html
    assert '<div class="comment__body">Great to see Điện Biên investing in roads.</div>' in html
    assert re.search(r'<a href="/authors/[^"]+" lang="vi">Lò Văn Săn</a>', html)
    assert re.search(r'<a href="/tags/[^"]+" lang="vi">Điện Biên Phủ</a>', html)


def test_the_article_pages_lookup_is_compiled_once_and_follows_the_clock(
    client, time_machine, monkeypatch
):
    """The page's statement is built once per connection, the time a parameter of it: a
    scheduled story appears at its minute and goes at its unpublish time with no new build."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from articles import views

    start = timezone.now().replace(microsecond=0)
    article = ArticleFactory(
        published_at=start + datetime.timedelta(hours=1),
        unpublish_at=start + datetime.timedelta(hours=2),
    )
    builds = []
    build = views._published_for_page
    monkeypatch.setattr(views, "_published_for_page", lambda **kw: builds.append(1) or build(**kw))
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    seen = []
    for moment in (0, 59, 60, 119, 120):
        time_machine.move_to(start + datetime.timedelta(minutes=moment), tick=False)
        seen.append(client.get(article.get_absolute_url()).status_code)
    assert seen == [404, 404, 200, 200, 404]
    assert builds == [1]


def test_the_article_pages_lookup_reads_the_row_as_its_queryset_does():
    from articles.views import PUBLISHED_BY_SLUG, ArticleDetailView

    article = ArticleFactory(title="Mường Chà rice terraces")
    ArticleFactory(title="Another story")
    now = timezone.now()
    prepared = PUBLISHED_BY_SLUG.get(slug=article.slug, at=now)
    queried = ArticleDetailView().get_queryset().get(slug=article.slug)
    assert prepared.pk == article.pk
    assert {k: v for k, v in vars(prepared).items() if k != "_state"} == {
        k: v for k, v in vars(queried).items() if k != "_state"
    }
    assert prepared.get_deferred_fields() == queried.get_deferred_fields() != set()
    assert prepared._state.fields_cache["section"].name == article.section.name
    assert prepared._state.db == queried._state.db
    assert not prepared._state.adding
    with pytest.raises(Article.DoesNotExist):
        PUBLISHED_BY_SLUG.get(slug="no-such-story", at=now)
    with pytest.raises(Article.DoesNotExist):
        PUBLISHED_BY_SLUG.get(slug=article.slug, at=article.published_at - datetime.timedelta(1))


def test_recent_news_with_nothing_kept_reads_a_statement_built_once_that_follows_the_clock(
    client, settings, time_machine, monkeypatch
):
    from django.db import DEFAULT_DB_ALIAS, connections

    from frontpage.templatetags import frontpage_tags

    settings.NEWSROOM_FRAGMENT_CACHE = False
    settings.NEWSROOM_RECENT_NEWS_COUNT = 2
    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    read = ArticleFactory(title="The one being read", published_at=hours_ago(1))
    older = ArticleFactory(title="Older story", published_at=hours_ago(3))
    old = ArticleFactory(title="Old story", published_at=hours_ago(4))
    soon = ArticleFactory(title="Soon story", published_at=start + datetime.timedelta(minutes=5))
    builds = []
    published = Article.objects.published
    monkeypatch.setattr(
        Article.objects, "published", lambda **kw: builds.append(kw) or published(**kw)
    )
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    frontpage_tags._newest.cache_clear()

    def sidebar():
        html = client.get(read.get_absolute_url()).content.decode()
        aside = html[html.index('<aside class="recent-news"') :]
        return re.findall(r'class="recent-news__title"><a href="([^"]+)"', aside)

    assert sidebar() == [older.get_absolute_url(), old.get_absolute_url()]
    # The article's own lookup, the related stories' and the sidebar's, each built once.
    assert sum(1 for kw in builds if "at" in kw) == 3
    time_machine.move_to(start + datetime.timedelta(minutes=5), tick=False)
    assert sidebar() == [soon.get_absolute_url(), older.get_absolute_url()]
    assert sum(1 for kw in builds if "at" in kw) == 3


def test_related_stories_are_compiled_once_per_number_of_tags_and_follow_the_clock(
    time_machine, monkeypatch
):
    """A scheduled story joins the related stories at its minute and a story taken down
    leaves them at its unpublish time, with no new build of the statement."""
    from django.db import DEFAULT_DB_ALIAS, connections

    from articles import selectors

    start = timezone.now().replace(microsecond=0)
    time_machine.move_to(start, tick=False)
    section = SectionFactory()
    article = ArticleFactory(section=section, tags=["tea", "border"])
    untagged = ArticleFactory(section=section)
    shown = ArticleFactory(tags=["tea"], published_at=hours_ago(2))
    soon = ArticleFactory(
        tags=["tea", "border"], published_at=start + datetime.timedelta(minutes=5)
    )
    going = ArticleFactory(
        tags=["border"],
        published_at=hours_ago(3),
        unpublish_at=start + datetime.timedelta(minutes=9),
    )
    ArticleFactory(tags=["tea"], status="draft", published_at=None)
    builds = []
    build = selectors.related_queryset
    monkeypatch.setattr(selectors, "related_queryset", lambda **kw: builds.append(1) or build(**kw))
    connections[DEFAULT_DB_ALIAS].__dict__.pop("prepared_statements", None)
    selectors._related.cache_clear()

    def related(story):
        story = Article.objects.prefetch_related("tags").get(pk=story.pk)
        return [a.pk for a in selectors.related_articles(article=story, limit=3)]

    assert related(article) == [shown.pk, going.pk, untagged.pk]
    assert related(untagged) == [article.pk]
    time_machine.move_to(start + datetime.timedelta(minutes=5), tick=False)
    assert related(article) == [soon.pk, shown.pk, going.pk]
    time_machine.move_to(start + datetime.timedelta(minutes=9), tick=False)
    assert related(article) == [soon.pk, shown.pk, untagged.pk]
    # One statement with two tags, one without.
    assert builds == [1, 1]
