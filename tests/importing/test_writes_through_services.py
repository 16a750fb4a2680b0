"""The import writes through the editorial services, as the admin does: every story it
creates has its first revision and, once published, its transition log entry; a re-run
that changes a story records a new revision and moves its version."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from articles.models import Article
from editorial.models import ArticleTransition
from editorial.services import IMPORT_NOTE

pytestmark = pytest.mark.django_db

DATA = Path(__file__).parent / "data"
SEED = sorted(DATA.glob("*.txt"))[0]
PUBLISHED_AT = datetime.datetime(2026, 2, 10, 2, 0, tzinfo=datetime.UTC)


def run_import(*paths):
    call_command(
        "import_articles",
        "--published-at",
        PUBLISHED_AT.isoformat(),
        *map(str, paths),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def test_an_imported_story_has_its_first_revision_and_its_publication_logged():
    run_import(SEED)
    assert Article.objects.exists()
    for article in Article.objects.all():
        revisions = list(article.history.order_by("history_date"))
        assert revisions[0].status == Article.Status.DRAFT
        assert revisions[0].tags_snapshot == sorted(article.tags.names())
        assert [a["name"] for a in revisions[0].authors_snapshot] == [
            a.name for a in article.ordered_authors
        ]
        log = list(article.transitions.all())
        assert [(t.from_status, t.to_status, t.by, t.note) for t in log] == [
            (Article.Status.DRAFT, Article.Status.PUBLISHED, None, IMPORT_NOTE)
        ]
        assert log[0].published_at == article.published_at


def test_an_export_without_headline_is_a_draft_with_a_revision_and_no_transition(tmp_path):
    export = tmp_path / "no-headline.txt"
    text = SEED.read_text(encoding="utf-8")
    # Drop the headline line, as an old export sometimes did.
    lines = text.splitlines()
    title_index = next(i for i, line in enumerate(lines) if line.strip())
    export.write_text("\n".join(lines[:title_index] + lines[title_index + 1 :]), "utf-8")
    run_import(export)
    draft = Article.objects.filter(needs_headline=True).get()
    assert draft.status == Article.Status.DRAFT
    assert draft.history.count() == 1
    assert not ArticleTransition.objects.filter(article=draft).exists()


def test_a_rerun_that_changes_a_story_records_a_revision_and_moves_its_version(tmp_path):
    run_import(SEED)
    main = Article.objects.exclude(body="").get()
    before_version, before_revisions = main.version, main.history.count()

    changed = tmp_path / SEED.name
    changed.write_text(
        SEED.read_text(encoding="utf-8").replace(
            main.lead[:40], "Mường Thanh: " + main.lead[:27], 1
        ),
        "utf-8",
    )
    run_import(changed)
    main.refresh_from_db()
    assert main.lead.startswith("Mường Thanh: ")
    assert main.version == before_version + 1
    assert main.history.count() == before_revisions + 1
    assert main.transitions.count() == 1  # status untouched: still the one publication

    run_import(changed)  # unchanged now: nothing written
    main.refresh_from_db()
    assert main.version == before_version + 1
    assert main.history.count() == before_revisions + 1
