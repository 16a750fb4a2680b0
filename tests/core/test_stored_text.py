"""Text stored before models normalised on save is brought to NFC by a data migration:
only rows that change are written, a second run changes nothing, and rows that become the
same are merged (tags) or reported (anything else), never crashed on."""

import importlib
import unicodedata

import pytest
from django.apps import apps as live_apps
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from articles.models import Article, Tag, TagAlias
from comments.models import Comment
from core.stored_text import normalize_apps
from sections.models import Section
from tests.factories import ArticleFactory, CommentFactory, SectionFactory

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("core.migrations.0001_stored_text_nfc")


def nfd(text):
    return unicodedata.normalize("NFD", text)


def store_raw(model, pk, **values):
    """Write `values` behind save()'s back, as rows stored before it normalised did."""
    model.objects.filter(pk=pk).update(**values)


def migrate_text():
    """Run the migration's own function over the historical models it runs on."""
    executor = MigrationExecutor(connection)
    state = executor.loader.project_state(("core", "0001_stored_text_nfc"))

    class SchemaEditor:
        pass

    editor = SchemaEditor()
    editor.connection = connection
    MIGRATION.forwards(state.apps, editor)


def test_nfd_text_in_every_kind_of_field_becomes_nfc_and_nothing_else_is_written():
    article = ArticleFactory(title="Lễ hội hoa ban", lead="Mường Thanh đẹp.")
    untouched = ArticleFactory(title="Already NFC: Điện Biên")
    comment = CommentFactory(article=article, name="Lò Thị Mai", body="Đẹp quá, Điện Biên!")
    store_raw(Article, article.pk, title=nfd("Lễ hội hoa ban"), lead=nfd("Mường Thanh đẹp."))
    store_raw(Comment, comment.pk, name=nfd("Lò Thị Mai"), body=nfd("Đẹp quá, Điện Biên!"))

    with CaptureQueriesContext(connection) as queries:
        report = normalize_apps(live_apps, MIGRATION.APPS)
    updates = [q["sql"] for q in queries if q["sql"].startswith("UPDATE")]

    assert len(updates) == 2  # one per changed row, none for the rows already in NFC
    assert report.changed["articles.Article"] == 1 and report.changed["comments.Comment"] == 1
    article.refresh_from_db()
    comment.refresh_from_db()
    assert (article.title, article.lead) == ("Lễ hội hoa ban", "Mường Thanh đẹp.")
    assert (comment.name, comment.body) == ("Lò Thị Mai", "Đẹp quá, Điện Biên!")
    assert Article.objects.get(pk=untouched.pk).title == "Already NFC: Điện Biên"


def test_running_it_again_changes_nothing():
    article = ArticleFactory(title="Tết ở bản")
    store_raw(Article, article.pk, title=nfd("Tết ở bản"))
    assert normalize_apps(live_apps, MIGRATION.APPS).changed["articles.Article"] == 1
    with CaptureQueriesContext(connection) as queries:
        again = normalize_apps(live_apps, MIGRATION.APPS)
    assert not any(q["sql"].startswith("UPDATE") for q in queries)
    assert again.lines() == []


def test_the_migration_merges_tags_that_become_the_same_and_keeps_the_old_address():
    first, second = ArticleFactory(tags=["Điện Biên Phủ"]), ArticleFactory()
    tag = Tag.objects.get()
    twin = Tag.objects.create(name="placeholder", slug="dien-bien-phu-1")
    store_raw(Tag, twin.pk, name=nfd("Điện Biên Phủ"))
    second.tags.add(twin)
    first.tags.add(twin)  # an article with both tags keeps one

    migrate_text()

    assert list(Tag.objects.values_list("pk", "name")) == [(tag.pk, "Điện Biên Phủ")]
    assert set(tag.tagged_articles.values_list("content_object_id", flat=True)) == {
        first.pk,
        second.pk,
    }
    assert TagAlias.objects.get(slug="dien-bien-phu-1").tag == tag
    migrate_text()  # and again: nothing left to do, nothing crashes
    assert Tag.objects.count() == 1


def test_a_section_that_would_duplicate_another_is_left_and_reported(capsys):
    kept = SectionFactory(name="Văn hóa", slug="van-hoa")
    twin = SectionFactory(name="placeholder", slug="van-hoa-2")
    store_raw(Section, twin.pk, name=nfd("Văn hóa"))

    migrate_text()

    assert Section.objects.get(pk=twin.pk).name == nfd("Văn hóa")
    assert Section.objects.get(pk=kept.pk).name == "Văn hóa"
    assert (
        f"sections.Section #{twin.pk}: its name in NFC is #{kept.pk}'s" in capsys.readouterr().out
    )
