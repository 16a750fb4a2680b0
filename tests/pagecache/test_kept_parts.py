"""A page rendered afresh (the page cache off, or a new content version) reuses the parts
kept for it: an article's own parts, kept per version of that article; article cards, kept
per version of what they print; the section navigation. None is ever shown stale."""

import re

import pytest
from django.core.cache import cache, caches

from articles.models import Article, ArticleAuthor, Author, Correction, Tag
from articles.templatetags import article_tags
from comments.models import Comment
from comments.services import comments_moderate
from editorial import services
from pagecache import versions
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    CommentFactory,
    EditorFactory,
    SectionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fragments_only")]


@pytest.fixture
def builds(monkeypatch):
    """How many times the article's own parts were rendered."""
    calls = []
    render = article_tags.article_parts
    monkeypatch.setattr(
        article_tags, "article_parts", lambda article: calls.append(1) or render(article)
    )
    return calls


@pytest.fixture
def story():
    # Already there before the page is first shown: adding them to the story is its change.
    AuthorFactory(name="Quàng Thị Hoa")
    Tag.objects.create(name="landslides", slug="landslides")
    return ArticleFactory(
        title="Floods in Mường Nhé",
        section=SectionFactory(name="Mountain Life"),
        authors=[AuthorFactory(name="Lò Văn Minh")],
        tags=["floods"],
    )


def page(client, article) -> str:
    response = client.get(article.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def test_a_page_rendered_again_reads_only_the_article_row_with_its_versions(
    client, story, builds, django_assert_num_queries
):
    Correction.objects.create(article=story, text="The district was misnamed.")
    CommentFactory(article=story, body="Stay safe, everyone in the valley.")
    first = page(client, story)
    with django_assert_num_queries(1) as queries:
        again = page(client, story)
    assert "pagecache_contentversion" in queries.captured_queries[0]["sql"]
    assert again == first
    assert builds == [1]
    for printed in [
        "Floods in Mường Nhé",
        "Lò Văn Minh",
        "/tags/floods/",
        "The district was misnamed.",
        "Stay safe, everyone in the valley.",
        "Post comment",
    ]:
        assert printed in again, printed


def test_publishing_another_story_leaves_this_articles_parts_as_they_are(
    client, commit, story, builds
):
    page(client, story)
    newer = commit(
        lambda: ArticleFactory(
            title="Just in: roads reopen", section=story.section, tags=["floods"]
        )
    )
    html = page(client, story)
    assert builds == [1]
    # What changes with other stories is read again: Recent news and related stories.
    assert html.count(newer.get_absolute_url()) == 2


def edit_headline(story):
    story.title = "Floods in Mường Nhé district"
    story.save()
    return "Floods in Mường Nhé district"


def add_correction(story):
    services.correction_add(article=story, by=EditorFactory(), text="Two bridges, not three.")
    return "Two bridges, not three."


def add_byline(story):
    author = Author.objects.get(name="Quàng Thị Hoa")
    ArticleAuthor.objects.create(article=story, author=author, order=1)
    return "Quàng Thị Hoa"


def renamed(thing, name: str) -> str:
    thing.name = name
    thing.save()
    return name


def rename_author(story):
    return renamed(story.authors.get(), "Lò Văn Minh Jr")


def add_tag(story):
    story.tags.add(Tag.objects.get(slug="landslides"))
    return "/tags/landslides/"


def rename_tag(story):
    return renamed(story.tags.get(), "Flash floods")


def rename_section(story):
    return renamed(story.section, "Highland Life").upper()  # pages print its label


def approve_comment(story):
    held = CommentFactory(article=story, body="Our village is cut off.", status="pending")
    comments_moderate(
        comments=Comment.objects.filter(pk=held.pk), status="approved", by=EditorFactory()
    )
    return "Our village is cut off."


def close_comments(story):
    story.comments_open = False
    story.save()
    return "Comments are closed for this article."


@pytest.mark.parametrize(
    "change",
    [
        edit_headline,
        add_correction,
        add_byline,
        rename_author,
        add_tag,
        rename_tag,
        rename_section,
        approve_comment,
        close_comments,
    ],
)
def test_every_change_to_what_the_page_prints_shows_at_once(client, commit, story, change):
    page(client, story)
    expected = commit(lambda: change(story))
    assert expected in page(client, story)


def test_removing_a_tag_takes_it_off_the_page(client, commit, story):
    assert "/tags/floods/" in page(client, story)
    commit(lambda: story.tags.remove(*story.tags.all()))
    assert "/tags/floods/" not in page(client, story)


def test_parts_are_built_again_when_the_cache_restarts_empty(client, story, builds):
    page(client, story)
    cache.clear()
    versions._recent.clear()  # another process, which never kept them itself
    page(client, story)
    assert builds == [1, 1]


def test_parts_this_process_kept_are_used_without_a_cache_round_trip(
    client, story, builds, monkeypatch
):
    page(client, story)
    read = []
    default = caches["default"]
    for method in ("get", "get_many"):
        real = getattr(default, method)
        monkeypatch.setattr(
            default, method, lambda keys, *a, real=real, **k: read.append(keys) or real(keys, *a)
        )
    assert story.title in page(client, story)
    assert builds == [1]
    kept = ("fragment:", "article-parts:", "card")
    assert not [keys for keys in read if any(str(keys).count(name) for name in kept)]


def test_a_cache_restored_from_an_older_snapshot_does_not_bring_old_parts_back(
    client, story, commit
):
    """The versions live in the database: parts kept before a change, put back by a cache
    that restarts from its snapshot, no longer match them."""
    page(client, story)
    snapshot, expiry = dict(cache._cache), dict(cache._expire_info)
    commit(lambda: story.tags.add("floods"))
    assert "/tags/floods/" in page(client, story)
    cache.clear()
    cache._cache.update(snapshot)
    cache._expire_info.update(expiry)
    assert "/tags/floods/" in page(client, story)


def test_a_write_that_sent_no_signal_shows_once_it_moves_the_rows_version(client, story):
    page(client, story)
    Article.objects.filter(pk=story.pk).update(title="Quietly changed", version=story.version + 1)
    assert "Quietly changed" in page(client, story)


def test_a_reader_whose_post_failed_gets_their_own_form_not_the_kept_one(client, story):
    page(client, story)
    response = client.post(
        story.get_absolute_url() + "comments/",
        {"name": "Hoa", "email": "hoa@example.com", "body": "Hi"},
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Please enter 5 or more characters!!!" in html
    assert "Hi</textarea>" in html
    assert "Please enter 5 or more characters!!!" not in page(client, story)


@pytest.fixture
def cards_rendered(monkeypatch):
    """The articles whose cards were rendered, by title."""
    titles = []
    render = article_tags.render_to_string

    def counting(template, context):
        if template == "includes/article_card.html":
            titles.append(context["article"].title)
        return render(template, context)

    monkeypatch.setattr(article_tags, "render_to_string", counting)
    return titles


def test_a_list_rendered_again_reuses_its_cards(client, story, cards_rendered):
    section_page = story.section.get_absolute_url()
    first = client.get(section_page).content.decode()
    assert cards_rendered == ["Floods in Mường Nhé"]
    assert client.get(section_page).content.decode() == first
    assert cards_rendered == ["Floods in Mường Nhé"]


def rename_story(story):
    story.title = "Floods in Mường Nhé: the roads"
    story.save()
    return "Floods in Mường Nhé: the roads"


@pytest.mark.parametrize("change", [rename_story, rename_section, approve_comment])
def test_a_card_shows_every_change_to_what_it_prints(client, commit, story, change):
    section_page = story.section.get_absolute_url()
    client.get("/")
    client.get(section_page)
    printed = commit(lambda: change(story))
    if change is approve_comment:
        printed = "1 comment"
    if change is rename_section:
        section_page = Article.objects.get(pk=story.pk).section.get_absolute_url()
    for url in ["/", section_page]:
        assert printed in client.get(url).content.decode(), url


def nav_marked(html: str) -> list[str]:
    nav = html[html.index('<nav class="section-nav"') : html.index("</nav>")]
    return re.findall(r'<a href="([^"]+)" aria-current="page">', nav)


def test_the_navigation_marks_the_page_it_is_on(client, story):
    section_page = story.section.get_absolute_url()
    for _ in range(2):  # rendered, then kept
        assert nav_marked(page(client, story)) == []
        assert nav_marked(client.get("/").content.decode()) == ["/"]
        assert nav_marked(client.get(section_page).content.decode()) == [section_page]


def test_a_story_keeps_one_card_for_each_way_a_page_shows_it(client, story):
    assert "card card--lead" in client.get("/").content.decode()  # the lead: a big card
    section_page = client.get(story.section.get_absolute_url()).content.decode()
    assert story.title in section_page
    assert "card card--lead" not in section_page
