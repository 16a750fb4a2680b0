"""Backup and restore of the whole site: database content as JSON plus the media files, in
one .tar.gz that restores into an empty database on SQLite or PostgreSQL alike.

The archive holds `manifest.json` (what was saved, with row counts per model), `data.json`
(dumpdata with natural foreign keys, so content types and permissions are matched by name)
and `media/` (every uploaded file)."""

import datetime
import json
import tarfile
import tempfile
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction

from security import serializers

FORMAT = 1
# Rebuilt by `migrate` (content types, permissions), or transient (sessions, lockouts, the
# page cache's content versions: restoring the content bumps them afresh).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "pagecache"]


class BackupError(Exception):
    """The archive cannot be restored here; the message says why."""


def create_backup(path: Path) -> dict:
    """Write the database content and the media files to `path` (.tar.gz); return the
    manifest."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    media_files = (
        sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    )
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.json"
        # One transaction: the dump is a consistent snapshot even while editors work.
        with transaction.atomic():
            call_command(
                "dumpdata",
                format=serializers.FORMAT,
                exclude=EXCLUDED,
                natural_foreign=True,
                use_base_manager=True,
                output=str(data),
                verbosity=0,
            )
        manifest = {
            "format": FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "rows": _count_rows(json.loads(data.read_text(encoding="utf-8"))),
            "media_files": len(media_files),
        }
        manifest_file = Path(tmp) / "manifest.json"
        manifest_file.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        with tarfile.open(path, "w:gz") as archive:
            archive.add(manifest_file, "manifest.json")
            archive.add(data, "data.json")
            for file in media_files:
                archive.add(file, f"media/{file.relative_to(media_root).as_posix()}")
    return manifest


def restore_backup(path: Path, *, replace: bool = False) -> dict:
    """Load an archive written by `create_backup` into this database and MEDIA_ROOT.

    Refuses a database that already holds articles, authors or accounts unless `replace`:
    the restore first empties every table (rows made by migrations included, which the
    archive holds too)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if not replace and _has_content():
        raise BackupError(
            "The database already holds articles, authors or accounts. Restore into an "
            "empty database, or pass --replace to delete everything in it first."
        )
    with tempfile.TemporaryDirectory() as tmp, tarfile.open(path, "r:gz") as archive:
        names = set(archive.getnames())
        if not {"manifest.json", "data.json"} <= names:
            raise BackupError(f"{path} is not a newsroom backup (no manifest.json/data.json).")
        try:
            # The "data" filter refuses absolute paths, "..", links out of the folder, devices.
            archive.extractall(tmp, filter="data")
        except tarfile.FilterError as error:
            raise BackupError(f"{path} holds an unsafe entry: {error}") from error
        manifest = json.loads((Path(tmp) / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        with transaction.atomic():
            call_command("flush", interactive=False, verbosity=0)
            call_command("loaddata", str(Path(tmp) / "data.json"), verbosity=0)
            _check_counts(manifest["rows"])
        _restore_media(Path(tmp) / "media")
    return manifest


def _has_content() -> bool:
    Article = apps.get_model("articles", "Article")
    Author = apps.get_model("articles", "Author")
    return Article.objects.exists() or Author.objects.exists() or get_user_model().objects.exists()


def _count_rows(objects: list[dict]) -> dict[str, int]:
    return dict(sorted(Counter(obj["model"] for obj in objects).items()))


def _check_counts(expected: dict[str, int]) -> None:
    """Every row in the archive is in the database now; raising rolls the load back."""
    found = {label: apps.get_model(label)._base_manager.count() for label in expected}
    missing = {label: (n, found[label]) for label, n in expected.items() if found[label] != n}
    if missing:
        details = ", ".join(
            f"{label}: {n} saved, {m} restored" for label, (n, m) in missing.items()
        )
        raise BackupError(f"The restore does not match the backup ({details}); nothing changed.")


def _restore_media(source: Path) -> None:
    if not source.exists():
        return
    media_root = Path(settings.MEDIA_ROOT)
    for file in source.rglob("*"):
        if file.is_file():
            target = media_root / file.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(file.read_bytes())
