import datetime
import io
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.auth.models import Group, Permission
from django.core import serializers
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone
from PIL import Image

from articles.models import Article
from security.backup import EXCLUDED
from tests.factories import (
    ArticleFactory,
    AuthorFactory,
    SectionFactory,
    UserFactory,
    initial_sections,
)

# Committed data, as on a real server: the restore empties tables with TRUNCATE, which
# PostgreSQL refuses inside a transaction with unchecked foreign keys. serialized_rollback
# puts the rows made by migrations (the seeded sections) back for the tests that follow.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def png_bytes(color) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), color).save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture
def newsroom():
    """Demo-like content: every kind of row the site keeps, and media files."""
    editor = UserFactory(username="biên.tập", is_staff=True, first_name="Thu")
    desk = Group.objects.create(name="Desk")
    desk.permissions.add(Permission.objects.get(codename="change_article"))
    editor.groups.add(desk)
    editor.user_permissions.add(Permission.objects.get(codename="add_article"))
    linh = AuthorFactory(name="Đức Linh", position="Deputy Editor-in-Chief", user=editor)
    chi = AuthorFactory(name="An Chi")
    photos = SectionFactory(name="Photo Essays", slug="photo-essays", description="Pictures.")
    lead = ArticleFactory(
        title="Mùa lúa chín ở Mường Thanh",
        lead="Terraces turn gold across the valley.",
        body='<p>The harvest.</p><figure><img src="/media/uploads/field.png" alt="A field">'
        "<figcaption>Harvest</figcaption></figure>",
        section=photos,
        authors=[linh, chi],
        tags=["Điện Biên Phủ", "agriculture"],
        image_alt="Farmers in a golden field",
        image_caption="Harvest time",
        image_credit="Quang Long",
    )
    lead.image.save("field.png", ContentFile(png_bytes("gold")))
    ArticleFactory(title="Draft about Tết", status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(
        title="Scheduled story",
        published_at=timezone.now() + datetime.timedelta(days=2),
        authors=[chi],
        tags=["Tết"],
    )
    from django.core.files.storage import default_storage

    default_storage.save("uploads/field.png", ContentFile(png_bytes("green")))
    LogEntry.objects.log_actions(
        user_id=editor.pk, queryset=[lead], action_flag=ADDITION, change_message="Added."
    )
    return lead


def snapshot(media_root: Path) -> dict:
    """Every row the backup promises to keep, as natural-key JSON, plus every media file."""
    rows = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        if model._meta.app_label in EXCLUDED or label in EXCLUDED:
            continue
        rows[label] = serializers.serialize(
            "json", model._base_manager.order_by("pk"), use_natural_foreign_keys=True
        )
    files = {
        p.relative_to(media_root).as_posix(): p.read_bytes()
        for p in media_root.rglob("*")
        if p.is_file()
    }
    return {"rows": rows, "files": files}


def empty_site(media_root: Path):
    """What a fresh server holds after `migrate`: the seeded sections, no content, no files.

    Sequences are left where they are: on PostgreSQL a test whose restore fails (so loads
    nothing) would otherwise leave them at 1, below the ids the next serialized-rollback
    test puts back."""
    call_command("flush", interactive=False, verbosity=0, reset_sequences=False)
    initial_sections()
    for file in media_root.rglob("*"):
        if file.is_file():
            file.unlink()


def test_backup_then_restore_into_an_empty_site_loses_and_changes_nothing(
    newsroom, settings, tmp_path
):
    media_root = Path(settings.MEDIA_ROOT)
    before = snapshot(media_root)
    assert before["rows"]["articles.article"].count('"model"') == 3
    # The picture's renditions were made by the task its save stored (pictures/tasks.py).
    sources = {name for name in before["files"] if not name.startswith("cache/")}
    assert sources == {newsroom.image.name, "uploads/field.png"}

    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    empty_site(media_root)
    assert not Article.objects.exists() and not list(media_root.rglob("*.png"))

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Restored" in out.getvalue()
    assert f"{len(before['files'])} media files" in out.getvalue()
    after = snapshot(media_root)
    assert after["files"] == before["files"]
    for label, rows in before["rows"].items():
        assert after["rows"][label] == rows, label
    # The restored site works: the article is served with its picture.
    restored = Article.objects.published().get(pk=newsroom.pk)
    assert restored.image.read() == png_bytes("gold")
    assert [a.name for a in restored.ordered_authors] == ["Đức Linh", "An Chi"]


def test_restore_refuses_a_database_with_content_unless_told_to_replace(newsroom, tmp_path):
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    newsroom.title = "Changed after the backup"
    newsroom.save()
    with pytest.raises(CommandError, match="already holds articles"):
        call_command("restore", str(archive))
    assert Article.objects.get(pk=newsroom.pk).title == "Changed after the backup"

    call_command("restore", str(archive), replace=True, stdout=io.StringIO())
    assert Article.objects.get(pk=newsroom.pk).title == "Mùa lúa chín ở Mường Thanh"


def test_restore_refuses_an_archive_that_writes_outside_its_folder(tmp_path, settings):
    archive = tmp_path / "evil.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in [("manifest.json", b'{"format": 1}'), ("data.json", b"[]")]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        info = tarfile.TarInfo("../../escaped.txt")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"bad"))
    with pytest.raises(CommandError, match="unsafe entry"):
        call_command("restore", str(archive))
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_restore_refuses_a_file_that_is_not_a_backup(tmp_path):
    with pytest.raises(CommandError, match="No backup file"):
        call_command("restore", str(tmp_path / "missing.tar.gz"))


def test_a_restored_timestamp_keeps_its_microseconds(settings, tmp_path):
    """Django's JSON keeps milliseconds: a backup must not move a time by a fraction."""
    exact = datetime.datetime(2026, 2, 10, 2, 0, 0, 345, tzinfo=datetime.UTC)
    article = ArticleFactory(published_at=exact)
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    empty_site(Path(settings.MEDIA_ROOT))
    call_command("restore", str(archive), stdout=io.StringIO())
    assert Article.objects.get(pk=article.pk).published_at == exact
