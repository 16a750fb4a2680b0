"""Choosing the home page's stories."""

from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import F, Q
from django.utils import timezone

from articles.models import Article
from core.prepared import STAND_IN_TIME, PreparedListing, PreparedQuery
from frontpage.models import SLOTS
from sections.models import Section

# How many stories each section block on the home page shows.
HOME_SECTION_STORIES = 4
# How many Recent news items the home page's sidebar shows: the page lists 21 stories of
# its own, and on a phone the sidebar follows them (the page stays about five screens long).
HOME_RECENT_NEWS_STORIES = 8

NEWEST_FIRST = ("-published_at", "-pk")

# The sections in their order, through a statement built once per connection.
SECTIONS = PreparedQuery(Section, lambda: Section.objects.all())


@dataclass(frozen=True)
class HomeStories:
    """What the home page shows: the lead, the featured stories, and (section, its latest
    stories) for each section with stories, no story twice."""

    lead: Article | None
    featured: list[Article]
    section_blocks: list[tuple]

    @property
    def on_page(self) -> list[Article]:
        """Every story the page shows, in order."""
        lead = [self.lead] if self.lead is not None else []
        return [*lead, *self.featured, *(a for _s, stories in self.section_blocks for a in stories)]


def home_stories() -> HomeStories:
    """The home page's stories, published ones only, in one query (and one for the sections):

    - the lead and featured stories: editors' picks in their slots (a pick that is not live
      is skipped), empty slots filled with the latest published stories, no story twice;
    - for each section with stories, its latest HOME_SECTION_STORIES, leaving out the
      stories above.

    The query reads the candidates only: the picks, the SLOTS newest stories (enough to
    fill every slot the picks leave empty) and each section's newest HOME_SECTION_STORIES
    + SLOTS (enough once the stories above are left out), each an index-backed LIMIT.
    """
    sections = SECTIONS.all()
    found = _candidates(tuple(s.pk for s in sections)).all(at=timezone.now())
    picks = {a.home_slot: a for a in found if a.home_slot is not None}
    latest = iter(a for a in found if a.home_slot is None)
    front = [picks.get(slot) or next(latest, None) for slot in range(SLOTS)]
    shown = {a.pk for a in front if a is not None}
    by_section = {}
    for article in found:
        if article.pk not in shown:
            by_section.setdefault(article.section_id, []).append(article)
    blocks = [(s, by_section[s.pk][:HOME_SECTION_STORIES]) for s in sections if s.pk in by_section]
    return HomeStories(
        lead=front[0], featured=[a for a in front[1:] if a is not None], section_blocks=blocks
    )


@lru_cache(maxsize=16)
def _candidates(section_pks: tuple[int, ...]) -> PreparedListing:
    """The home page's candidate stories for these sections, newest first, in a statement
    built once per connection, the time its parameter (core.prepared)."""
    return PreparedListing(Article, lambda at: _candidates_at(at, section_pks), at=STAND_IN_TIME)


def _candidates_at(at, section_pks):
    published = Article.objects.published(at=at)
    newest = published.order_by(*NEWEST_FIRST).values("pk")
    parts = [
        published.filter(home_pick__isnull=False).values("pk"),
        newest[:SLOTS],
        *(newest.filter(section=pk)[: HOME_SECTION_STORIES + SLOTS] for pk in section_pks),
    ]
    if connection.features.supports_slicing_ordering_in_compound:
        # One IN over a UNION ALL: PostgreSQL runs each small index scan.
        candidates = Q(pk__in=parts[0].union(*parts[1:], all=True))
    else:
        # SQLite cannot limit inside a compound query.
        candidates = Q()
        for part in parts:
            candidates |= Q(pk__in=part)
    return (
        published.filter(candidates)
        .for_listing(at=at)
        .annotate(home_slot=F("home_pick__slot"))
        .order_by(*NEWEST_FIRST)
    )
