"""What each kind of change starts, as the apps registered it (pagecache.registry)."""

import pytest

from comments.models import Comment
from frontpage.models import HomePick
from pagecache.versions import SHARED, SITE, _tokens, article_key
from tests.factories import ArticleFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db


def versions(article):
    tokens = _tokens([SITE, SHARED, article_key(article.pk)])
    return {
        "site": tokens[SITE],
        "shared": tokens[SHARED],
        "article": tokens[article_key(article.pk)],
    }


def started(commit, article, change) -> set[str]:
    """Which versions `change` started, once committed."""
    before = versions(article)
    commit(change)
    after = versions(article)
    return {name for name in before if after[name] != before[name]}


@pytest.fixture
def article(commit):
    return commit(lambda: ArticleFactory(title="Mường Phăng coffee harvest"))


def test_editing_an_article_starts_its_own_version_and_the_site_version(commit, article):
    article.title = "Mường Phăng coffee harvest begins"
    assert started(commit, article, article.save) == {"site", "article"}


def test_renaming_a_section_starts_the_shared_version(commit, article):
    section = SectionFactory()
    section.name = "Mountain life"
    assert started(commit, article, section.save) == {"site", "shared"}


def test_pinning_a_story_starts_only_the_site_version(commit, article):
    pin = lambda: HomePick.objects.create(slot=0, article=article)  # noqa: E731
    assert started(commit, article, pin) == {"site"}


def test_a_pending_comment_starts_nothing_and_an_approved_one_the_site_version(
    commit, article, settings
):
    pending = lambda: CommentFactory(article=article, status=Comment.Status.PENDING)  # noqa: E731
    assert started(commit, article, pending) == set()

    from comments.services import comment_post

    settings.NEWSROOM_COMMENTS_PREMODERATION = False

    def post():
        comment_post(
            article=article,
            name="Lò Thị Hoa",
            email="hoa@example.com",
            body="Chúc mừng bà con Mường Phăng!",
        )

    assert started(commit, article, post) == {"site"}
