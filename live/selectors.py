"""Reading a live story: its coverage and entries, as its page and structured data show them.

No visibility rule of its own: the entries are shown under a story only where the story
itself is read through Article.objects.published() (the article page, the updates view)."""

from dataclasses import dataclass, field

from django.conf import settings

from core.prepared import PreparedQuery
from live.models import LiveCoverage, LiveEntry, LiveState

# An article's live coverage, as LiveCoverage.objects.filter(article_id=...).first() reads
# it (the newest start first), through a statement built once per connection.
_COVERAGE = PreparedQuery(
    LiveCoverage,
    lambda article: LiveCoverage.objects.filter(article_id=article)[:1],
    article=-1_000_009,
)


@dataclass
class LiveStory:
    coverage: LiveCoverage
    state: LiveState
    entries: list[LiveEntry] = field(default_factory=list)

    @property
    def pinned(self) -> LiveEntry | None:
        return next((entry for entry in self.entries if entry.pinned), None)

    @property
    def key_entries(self) -> list[LiveEntry]:
        return [entry for entry in self.entries if entry.key]


def coverage_of(article) -> LiveCoverage | None:
    """The live coverage of `article`, or None: read once per article object (its page's
    structured data and its live block ask both)."""
    if not hasattr(article, "_live_coverage"):
        rows = _COVERAGE.all(article=article.pk)
        article._live_coverage = rows[0] if rows else None
    return article._live_coverage


def live_story(*, article, now=None) -> LiveStory | None:
    """The live story of `article` with its newest NEWSROOM_LIVE_ENTRY_COUNT entries, newest
    first, or None when it has no live coverage."""
    coverage = coverage_of(article)
    if coverage is None:
        return None
    if not hasattr(coverage, "_entries"):
        coverage._entries = list(coverage.entries.all()[: settings.NEWSROOM_LIVE_ENTRY_COUNT])
    return LiveStory(coverage=coverage, state=coverage.state(now), entries=coverage._entries)
