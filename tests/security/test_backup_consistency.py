"""A backup taken while the site is written to restores whole: the database is read as one
snapshot, and the media files match it. The archive is private; a restore that fails
restores nothing and says why."""

import io
import json
import os
import shutil
import stat
import tarfile
import threading
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.db import connection

from articles.models import Article
from comments.models import Comment
from security.backup import create_backup
from tests.factories import ArticleFactory, CommentFactory, UserFactory, jpeg_bytes
from tests.security.test_backup import empty_site

# Committed data and writers on connections of their own; see tests/security/test_backup.py.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


class Newsroom:
    """Writers in threads, as a busy morning: each writes an article, then a comment on it
    in a transaction of its own, and every third article gets a picture."""

    def __init__(self, writers=3):
        self.stop = threading.Event()
        self.errors: list[str] = []
        self.written = 0
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(writers)]

    def write(self, writer):
        try:
            while not self.stop.is_set():
                article = ArticleFactory(title=f"Tin nhanh {writer}-{self.written}")
                if self.written % 3 == 0:
                    article.image.save("field.jpg", ContentFile(jpeg_bytes(40, 30)))
                CommentFactory(article=article, body="Cảm ơn tòa soạn đã đưa tin.")
                self.written += 1
        except Exception as error:  # reported by the test
            self.errors.append(repr(error))
        finally:
            connection.close()

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        for thread in self.threads:
            thread.join(30)


def test_backups_taken_during_writes_restore_with_every_row_and_its_picture(settings, tmp_path):
    media_root = Path(settings.MEDIA_ROOT)
    # A body to read, so that the dump takes a while as the writers go on.
    ArticleFactory.create_batch(5)
    Comment.objects.bulk_create(
        [
            Comment(article=Article.objects.first(), name="A", body=f"Bình luận {n}")
            for n in range(300)
        ]
    )
    archives = []
    with Newsroom() as newsroom:
        for n in range(3):
            while newsroom.written < 4 * (n + 1) and not newsroom.errors:
                time.sleep(0.05)
            archives.append(tmp_path / f"site-{n}.tar.gz")
            create_backup(archives[-1])
    assert newsroom.errors == []
    assert newsroom.written >= 12

    for archive in archives:
        with tarfile.open(archive) as tar:
            rows = json.load(tar.extractfile("data.json"))
            archived_files = {
                n.removeprefix("media/") for n in tar.getnames() if n.startswith("media/")
            }
        pictures = {
            row["fields"]["image"]
            for row in rows
            if row["model"] == "articles.article" and row["fields"]["image"]
        }
        articles = {row["pk"] for row in rows if row["model"] == "articles.article"}
        commented = {row["fields"]["article"] for row in rows if row["model"] == "comments.comment"}
        # One moment: no comment without its article; every picture with its row, no
        # picture of an article the archive does not hold.
        assert commented <= articles, archive.name
        assert pictures == {name for name in archived_files if name.startswith("articles/")}

        empty_site(media_root)
        out = io.StringIO()
        call_command("restore", str(archive), stdout=out)
        assert set(Article.objects.values_list("pk", flat=True)) == articles
        for article in Article.objects.exclude(image=""):
            assert (media_root / article.image.name).is_file(), article.image.name


def test_the_archive_is_readable_by_its_owner_only(tmp_path):
    UserFactory(username="thu.trang")  # a password hash the archive carries
    previous = os.umask(0)  # even where files are made world-readable by default
    try:
        call_command("backup", output=str(tmp_path / "new" / "site.tar.gz"), verbosity=0)
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "new" / "site.tar.gz").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "new").stat().st_mode) == 0o700
    assert [p.name for p in (tmp_path / "new").iterdir()] == ["site.tar.gz"]


def rewrite(archive: Path, change) -> None:
    """Rewrite `archive`'s data.json (and its manifest's counts) through `change(rows)`."""
    with tarfile.open(archive) as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    rows = change(json.loads(members["data.json"]))
    manifest = json.loads(members["manifest.json"])
    manifest["rows"] = {}
    for row in rows:
        manifest["rows"][row["model"]] = manifest["rows"].get(row["model"], 0) + 1
    members["data.json"] = json.dumps(rows).encode()
    members["manifest.json"] = json.dumps(manifest).encode()
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))


def assert_nothing_restored(media_root: Path):
    assert not Article.objects.exists()
    assert not Comment.objects.exists()
    assert not UserFactory._meta.model.objects.exists()
    assert not [p for p in media_root.rglob("*") if p.is_file()]


def test_a_restore_that_fails_on_a_foreign_key_restores_nothing_and_says_why(settings, tmp_path):
    media_root = Path(settings.MEDIA_ROOT)
    article = ArticleFactory(title="Bài có bình luận")
    article.image.save("field.jpg", ContentFile(jpeg_bytes(40, 30)))
    CommentFactory(article=article)
    UserFactory(username="bien.tap")
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    # What an inconsistent backup held: a comment whose article is not in the archive.
    rewrite(archive, lambda rows: [r for r in rows if r["model"] != "articles.article"])
    empty_site(media_root)

    with pytest.raises(CommandError, match="could not be loaded .*nothing was restored"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert_nothing_restored(media_root)


def test_a_restore_whose_files_cannot_be_written_restores_nothing(settings, tmp_path, monkeypatch):
    media_root = Path(settings.MEDIA_ROOT)
    for n in range(3):
        ArticleFactory().image.save(f"p{n}.jpg", ContentFile(jpeg_bytes(40, 30)))
    archive = tmp_path / "site.tar.gz"
    call_command("backup", output=str(archive), verbosity=0)
    empty_site(media_root)
    copies, real_copyfile = [], shutil.copyfile

    def disk_full_on_the_third(source, target):
        copies.append(target)
        if len(copies) == 3:
            raise OSError(28, "No space left on device")
        return real_copyfile(source, target)

    monkeypatch.setattr("security.backup.shutil.copyfile", disk_full_on_the_third)
    with pytest.raises(CommandError, match="No space left on device.*nothing was restored"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert_nothing_restored(media_root)


def test_a_file_that_is_not_an_archive_is_refused_with_a_message(tmp_path):
    broken = tmp_path / "site.tar.gz"
    broken.write_bytes(b"not a tar file at all")
    with pytest.raises(CommandError, match="not a readable backup archive"):
        call_command("restore", str(broken))
