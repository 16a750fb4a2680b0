"""Cards on the home page and the lists say "Live" while a story's live coverage runs, and
stop saying it when it ends, kept parts and all."""

import datetime

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, LiveCoverageFactory, SectionFactory

pytestmark = pytest.mark.django_db

BADGE = '<span class="live__badge">Live</span><a href="{}">'


def cards_saying_live(client, url, story) -> int:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode().count(BADGE.format(story.get_absolute_url()))


@pytest.mark.parametrize("kept", [False, True], ids=["rendered afresh", "kept parts"])
def test_cards_say_live_from_the_coverages_start_to_its_end(client, settings, time_machine, kept):
    settings.NEWSROOM_FRAGMENT_CACHE = kept
    now = timezone.now()
    time_machine.move_to(now, tick=False)
    section = SectionFactory()
    story = ArticleFactory(title="Floods in Mường Nhé", section=section)
    ArticleFactory(title="Another story", section=section)
    starts, ends = now + datetime.timedelta(minutes=5), now + datetime.timedelta(hours=2)
    LiveCoverageFactory(article=story, starts_at=starts, ends_at=ends)
    pages = ["/", section.get_absolute_url(), "/tags/floods/"]
    story.tags.add("floods")
    for moment, live in [
        (now, False),
        (starts - datetime.timedelta(seconds=1), False),
        (starts, True),
        (ends - datetime.timedelta(seconds=1), True),
        (ends, False),
    ]:
        time_machine.move_to(moment, tick=False)
        for url in pages:
            assert cards_saying_live(client, url, story) == (1 if live else 0), (moment, url)


def test_only_the_live_storys_card_says_live(client, settings):
    story = LiveCoverageFactory().article
    other = ArticleFactory()
    assert cards_saying_live(client, "/", story) == 1
    assert cards_saying_live(client, "/", other) == 0
