"""What the database and the model promise of live stories and their entries."""

import datetime
import unicodedata

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from live.models import LiveCoverage, LiveEntry, LiveState
from tests.factories import ArticleFactory, LiveCoverageFactory

pytestmark = pytest.mark.django_db


def test_the_database_refuses_coverage_that_ends_before_it_starts():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveCoverage.objects.create(article=ArticleFactory(), starts_at=now, ends_at=now)


def test_a_story_has_one_live_coverage_at_most(coverage):
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveCoverageFactory(article=coverage.article)


def test_the_database_keeps_one_pinned_entry_per_story(coverage):
    LiveEntry.objects.create(coverage=coverage, text="First", pinned=True)
    LiveEntry.objects.create(coverage=coverage, text="Second")
    with pytest.raises(IntegrityError), transaction.atomic():
        LiveEntry.objects.create(coverage=coverage, text="Third", pinned=True)
    # Another story may pin its own.
    LiveEntry.objects.create(coverage=LiveCoverageFactory(), text="Elsewhere", pinned=True)
    assert LiveEntry.objects.filter(pinned=True).count() == 2


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({}, "live_entry_not_empty"),
        ({"quote": "We will rebuild the bridge."}, "live_entry_quote_has_speaker"),
        ({"text": "x", "quote_by": "Lò Văn Mừng"}, "live_entry_speaker_has_quote"),
        ({"picture": "live/2026/12/a.jpg"}, "live_entry_picture_described"),
    ],
)
def test_the_database_refuses_an_incomplete_entry(coverage, fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        LiveEntry.objects.bulk_create([LiveEntry(coverage=coverage, **fields)])


def test_entry_text_is_cleaned_and_stored_in_nfc(coverage):
    nfd = unicodedata.normalize("NFD", "Nước lũ dâng cao ở Mường Nhé")
    entry = LiveEntry.objects.create(
        coverage=coverage,
        text=f'<p>{nfd}</p><script>alert(1)</script><p onclick="x()">Roads closed.</p>',
        quote=unicodedata.normalize("NFD", "  Chúng tôi   sẽ sửa cầu "),
        quote_by="Lò Văn Mừng",
    )
    entry.refresh_from_db()
    assert entry.text == "<p>Nước lũ dâng cao ở Mường Nhé</p><p>Roads closed.</p>"
    assert unicodedata.is_normalized("NFC", entry.text)
    assert entry.quote == "Chúng tôi sẽ sửa cầu"


def test_plain_text_becomes_escaped_paragraphs(coverage):
    entry = LiveEntry.objects.create(coverage=coverage, text="Water at 3 m & rising\n\nMore soon")
    assert entry.text == "<p>Water at 3 m &amp; rising</p>\n\n<p>More soon</p>"


def test_an_entry_time_in_the_future_is_refused(coverage):
    entry = LiveEntry(
        coverage=coverage, text="x", posted_at=timezone.now() + datetime.timedelta(hours=1)
    )
    with pytest.raises(ValidationError) as refused:
        entry.full_clean()
    assert "posted_at" in refused.value.message_dict


def test_coverage_is_upcoming_then_live_then_ended(coverage):
    assert coverage.state(coverage.starts_at - datetime.timedelta(seconds=1)) == LiveState.UPCOMING
    assert coverage.state(coverage.starts_at) == LiveState.LIVE
    assert coverage.state(coverage.ends_at) == LiveState.ENDED


def test_a_live_story_or_its_article_deleted_takes_its_entries_along(coverage):
    LiveEntry.objects.create(coverage=coverage, text="First")
    LiveEntry.objects.create(coverage=LiveCoverageFactory(), text="Elsewhere")
    coverage.delete()
    assert LiveEntry.objects.count() == 1
    LiveEntry.objects.get().coverage.article.delete()
    assert not LiveEntry.objects.exists() and not LiveCoverage.objects.exists()
