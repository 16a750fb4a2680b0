"""Backup and restore of the whole site: database content as JSON plus the media files, in
one .tar.gz that restores into an empty database on SQLite or PostgreSQL alike.

The archive holds `manifest.json` (what was saved, with row counts per model), `data.json`
(dumpdata with natural foreign keys, so content types and permissions are matched by name)
and `media/` (the uploaded files that go with those rows).

A backup is taken while the site is written to, so it reads one snapshot of the database:
on PostgreSQL one REPEATABLE READ READ ONLY transaction, on SQLite one deferred read
transaction in WAL mode (either sees every table as of its first query, while writers go
on).
The media files are chosen to match that snapshot: every file a row in it names, and no
file of a row written after it. The archive is readable by its owner only (0600): it holds
password hashes. A restore loads everything in one transaction, files included, or nothing.
"""

import contextlib
import datetime
import json
import os
import shutil
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import serializers as django_serializers
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction

from security import serializers

FORMAT = 1
# Rebuilt by `migrate` (content types, permissions), or transient (sessions, lockouts, the
# page cache's content versions: restoring the content bumps them afresh).
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "axes", "pagecache"]


class BackupError(Exception):
    """The archive cannot be made or restored here; the message says why."""


def create_backup(path: Path) -> dict:
    """Write one consistent snapshot of the database content, and the media files that go
    with it, to `path` (.tar.gz, mode 0600); return the manifest."""
    path = Path(path)
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data.json"
        # Files older than this predate the snapshot, which is taken just after.
        started = time.time()
        with _snapshot():
            call_command(
                "dumpdata",
                format=serializers.FORMAT,
                exclude=EXCLUDED,
                natural_foreign=True,
                use_base_manager=True,
                output=str(data),
                verbosity=0,
            )
            in_snapshot = _named_files()
        media_files, missing = _media_for_snapshot(media_root, in_snapshot, started)
        manifest = {
            "format": FORMAT,
            "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "rows": _count_rows(json.loads(data.read_text(encoding="utf-8"))),
            "media_files": len(media_files),
            "missing_media_files": missing,
        }
        manifest_file = Path(tmp) / "manifest.json"
        manifest_file.write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _write_private_archive(path, manifest_file, data, media_root, media_files)
    return manifest


@contextlib.contextmanager
def _snapshot() -> Iterator[None]:
    """Within the block, every query of the default connection reads one unchanging
    snapshot of the database, while the site goes on writing."""
    if connection.in_atomic_block:
        raise BackupError("A backup must start its own transaction, not run inside one.")
    if connection.vendor == "postgresql":
        with transaction.atomic():
            with connection.cursor() as cursor:
                # First statement of the transaction: the snapshot is fixed at the first
                # query and holds for every table read after it.
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
                # A large table may take longer to read than a request's statement may.
                cursor.execute("SET LOCAL statement_timeout = 0")
            yield
        return
    if connection.vendor != "sqlite":
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    # A deferred read transaction: in WAL mode (config/settings.py) it reads the database
    # as of its first read until it ends, and writers are not held up meanwhile (the site's
    # own transactions begin IMMEDIATE, which would stop every writer for the backup).
    with connection.cursor() as cursor:
        cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            cursor.execute("ROLLBACK")


def _file_fields() -> Iterator[tuple[type[models.Model], models.FileField]]:
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.FileField):
                yield model, field


def _named_files() -> set[str]:
    """The media files that rows name (pictures and other uploads)."""
    names = set()
    for model, field in _file_fields():
        names.update(
            model._base_manager.exclude(**{field.attname: ""})
            .exclude(**{f"{field.attname}__isnull": True})
            .values_list(field.attname, flat=True)
        )
    return names


def _media_for_snapshot(
    media_root: Path, in_snapshot: set[str], started: float
) -> tuple[list[Path], list[str]]:
    """The files under `media_root` that go with the snapshot, and the names its rows give
    that are not on disk. A file a row of the snapshot names is kept; a file named only by a
    row written since is left out (that row is not in the archive either); a file no row
    names (a picture in an article's body, a rendition) is kept if it predates the
    snapshot."""
    files = sorted(p for p in media_root.rglob("*") if p.is_file()) if media_root.exists() else []
    # Read after listing the files: a row committed since the snapshot names its file here.
    named_now = _named_files()
    chosen = []
    for file in files:
        name = file.relative_to(media_root).as_posix()
        if name in in_snapshot:
            chosen.append(file)
        elif name in named_now:
            continue
        else:
            with contextlib.suppress(FileNotFoundError):
                if file.stat().st_mtime < started:
                    chosen.append(file)
    present = {file.relative_to(media_root).as_posix() for file in chosen}
    return chosen, sorted(in_snapshot - present)


def _write_private_archive(
    path: Path, manifest: Path, data: Path, media_root: Path, media_files: list[Path]
) -> None:
    """Write the archive beside `path` readable by its owner only, then move it into place:
    a backup that fails half-way leaves no partial archive under the final name."""
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            tar.add(manifest, "manifest.json")
            tar.add(data, "data.json")
            for file in media_files:
                with contextlib.suppress(FileNotFoundError):  # deleted since it was listed
                    tar.add(file, f"media/{file.relative_to(media_root).as_posix()}")
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def restore_backup(path: Path, *, replace: bool = False) -> dict:
    """Load an archive written by `create_backup` into this database and MEDIA_ROOT.

    Refuses a database that already holds articles, authors or accounts unless `replace`:
    the restore first empties every table (rows made by migrations included, which the
    archive holds too). Everything happens in one transaction, the media files included:
    a restore that fails leaves the database and the media folder as they were (with
    `replace`, a file it overwrote keeps the archive's content) and says why."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"No backup file at {path}.")
    if not replace and _has_content():
        raise BackupError(
            "The database already holds articles, authors or accounts. Restore into an "
            "empty database, or pass --replace to delete everything in it first."
        )
    try:
        archive = tarfile.open(path, "r:gz")  # noqa: SIM115 (closed by the `with` below)
    except (tarfile.TarError, OSError, EOFError) as error:
        raise BackupError(f"{path} is not a readable backup archive ({error}).") from error
    with tempfile.TemporaryDirectory() as tmp, archive:
        names = set(archive.getnames())
        if not {"manifest.json", "data.json"} <= names:
            raise BackupError(f"{path} is not a newsroom backup (no manifest.json/data.json).")
        try:
            # The "data" filter refuses absolute paths, "..", links out of the folder, devices.
            archive.extractall(tmp, filter="data")
        except tarfile.FilterError as error:
            raise BackupError(f"{path} holds an unsafe entry: {error}") from error
        except (tarfile.TarError, OSError, EOFError) as error:
            raise BackupError(
                f"{path} could not be read ({error}); nothing was restored."
            ) from error
        manifest = json.loads((Path(tmp) / "manifest.json").read_text(encoding="utf-8"))
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        written: list[Path] = []
        try:
            with transaction.atomic():
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        cursor.execute("SET LOCAL statement_timeout = 0")
                call_command("flush", interactive=False, verbosity=0)
                try:
                    call_command("loaddata", str(Path(tmp) / "data.json"), verbosity=0)
                except (DatabaseError, django_serializers.base.DeserializationError) as error:
                    raise BackupError(
                        f"The archive's rows could not be loaded ({_first_line(error)}); "
                        "nothing was restored."
                    ) from error
                _check_counts(manifest["rows"])
                # Last, still inside the transaction: a file that cannot be written rolls
                # the rows back too.
                _restore_media(Path(tmp) / "media", written)
        except OSError as error:
            for file in written:
                file.unlink(missing_ok=True)
            raise BackupError(
                f"The media files could not be written ({error}); nothing was restored."
            ) from error
        except BackupError:
            for file in written:
                file.unlink(missing_ok=True)
            raise
    return manifest


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


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
        raise BackupError(
            f"The restore does not match the backup ({details}); nothing was restored."
        )


def _restore_media(source: Path, written: list[Path]) -> None:
    """Copy the archive's files into MEDIA_ROOT, each written beside its place and then
    moved in; `written` lists the files that were not there before (removed if the restore
    fails)."""
    if not source.exists():
        return
    media_root = Path(settings.MEDIA_ROOT)
    for file in source.rglob("*"):
        if file.is_file():
            target = media_root / file.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(f".{target.name}.partial")
            try:
                shutil.copyfile(file, partial)
            except OSError:
                partial.unlink(missing_ok=True)
                raise
            if not target.exists():
                written.append(target)
            os.replace(partial, target)
