"""Choosing the home page's stories."""

from dataclasses import dataclass

from django.db.models import QuerySet

from articles.models import Article
from articles.selectors import latest_per_section
from frontpage.models import SLOTS, HomePick
from sections.models import Section

# How many stories each section block on the home page shows.
HOME_SECTION_STORIES = 4
# How many Recent news items the home page's sidebar shows: the page lists 21 stories of
# its own, and on a phone the sidebar follows them (the page stays about five screens long).
HOME_RECENT_NEWS_STORIES = 8


def home_front(*, published: QuerySet[Article]) -> tuple[Article | None, list[Article]]:
    """The lead and featured stories: editors' live picks in their slots, empty slots filled
    with the latest published stories, no story twice. A pick that is not live is skipped."""
    picks = {
        pick.slot: pick.article
        for pick in HomePick.objects.filter(article__in=published).select_related("article")
    }
    live = {a.pk: a for a in published.filter(pk__in=[a.pk for a in picks.values()])}
    slots = [live.get(picks[slot].pk) if slot in picks else None for slot in range(SLOTS)]
    empty = slots.count(None)
    latest = iter(published.exclude(pk__in=live)[:empty]) if empty else iter(())
    filled = [story or next(latest, None) for story in slots]
    return filled[0], [story for story in filled[1:] if story is not None]


def home_sections(*, published: QuerySet[Article], sections, exclude) -> list[tuple]:
    """(section, its latest stories) for each section with stories, leaving out `exclude`
    (the stories already on the page)."""
    sections = list(sections)
    by_section = {}
    stories = published.exclude(pk__in=[a.pk for a in exclude])
    for article in latest_per_section(
        articles=stories, sections=sections, per_section=HOME_SECTION_STORIES
    ):
        by_section.setdefault(article.section_id, []).append(article)
    return [(s, by_section[s.pk]) for s in sections if s.pk in by_section]


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
    """The home page's stories, published ones only (Article.objects.published())."""
    published = Article.objects.published().for_listing()
    lead, featured = home_front(published=published)
    front = [a for a in [lead, *featured] if a is not None]
    blocks = home_sections(published=published, sections=Section.objects.all(), exclude=front)
    return HomeStories(lead=lead, featured=featured, section_blocks=blocks)
