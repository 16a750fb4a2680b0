"""Import the old site's plain-text article exports."""

from __future__ import annotations

import datetime
from contextlib import nullcontext
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from importing.parser import ExportError, ParsedExport, decode_export, parse_export
from importing.services import (
    VERBS,
    ImportRefused,
    ImportResult,
    SectionResolver,
    article_slug,
    import_export,
)

HELP = """Import plain-text exports of the old site: files, or folders (their *.txt files, sorted).

Each file is imported in one transaction: all of it or nothing. Articles are matched by slug,
so running the command again changes nothing and says so.

The main article is published in --section if given, else in the section a Recent news list
of the imported files gives its headline, else the section it already has, else the setting
NEWSROOM_IMPORT_DEFAULT_SECTION. A file without a headline becomes a Draft flagged "needs
headline". Each Recent news entry becomes a published teaser unless its headline exists.
Section labels match section names ignoring case and spacing; other labels go through
--map-section and NEWSROOM_SECTION_ALIASES, or the file is refused. Publish time: now (or
--published-at), teasers one minute older each; a re-run never changes a publish time.
Exit status 1 when any file failed."""


class Command(BaseCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH", help="export files or folders")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="show what would be created or updated, and write nothing",
        )
        parser.add_argument(
            "--section",
            help="section (slug or name) of the main articles, e.g. business",
        )
        parser.add_argument(
            "--map-section",
            action="append",
            default=[],
            metavar="LABEL=SECTION",
            help="map an old section label to a section slug or name, e.g. ECONOMY=business "
            "(repeatable; adds to NEWSROOM_SECTION_ALIASES)",
        )
        parser.add_argument(
            "--published-at",
            metavar="DATETIME",
            help="publish time of new main articles, ISO 8601 (default: now)",
        )

    def handle(self, *args, **options):
        self.verbosity = options["verbosity"]
        self.dry_run = options["dry_run"]
        aliases = {**settings.NEWSROOM_SECTION_ALIASES, **self._parse_maps(options["map_section"])}
        resolver = SectionResolver(aliases=aliases)
        for target in aliases.values():
            if resolver.find(target) is None:
                raise CommandError(
                    self._unknown_section(
                        resolver, target, "--map-section or NEWSROOM_SECTION_ALIASES"
                    )
                )
        section = None
        if options["section"]:
            section = resolver.find(options["section"])
            if section is None:
                raise CommandError(self._unknown_section(resolver, options["section"], "--section"))
        published_at = self._published_at(options["published_at"])

        ordered, failures = self._collect(options["paths"])
        parsed: dict[Path, ParsedExport] = {}
        for path in ordered:
            if path in failures:
                continue
            try:
                parsed[path] = parse_export(decode_export(path.read_bytes()))
            except ExportError as exc:
                failures[path] = str(exc)
            except OSError as exc:
                failures[path] = f"cannot be read: {exc.strerror or exc}"
        listed_sections = {
            article_slug(entry.title): entry.section_label
            for export in parsed.values()
            for entry in export.recent_news
        }

        if self.dry_run:
            self.stdout.write("Dry run: nothing will be written.")
        totals = ImportResult()
        with transaction.atomic() if self.dry_run else nullcontext():
            for number, path in enumerate(ordered, start=1):
                self._progress(number, len(ordered), path)
                if path in failures:
                    self._report_failure(path, failures[path])
                    continue
                try:
                    result = import_export(
                        parsed=parsed[path],
                        resolver=resolver,
                        section=section,
                        published_at=published_at,
                        listed_sections=listed_sections,
                    )
                except (ImportRefused, ExportError) as exc:
                    failures[path] = str(exc)
                except ValidationError as exc:
                    failures[path] = "invalid data: " + "; ".join(exc.messages)
                except DatabaseError as exc:
                    failures[path] = f"database error: {exc}"
                except Exception as exc:
                    if options.get("traceback"):
                        raise
                    failures[path] = f"unexpected error ({type(exc).__name__}: {exc})"
                if path in failures:
                    self._report_failure(path, failures[path])
                    continue
                self._report_file(path, result)
                totals.actions += result.actions
                totals.warnings += result.warnings
            if self.dry_run:
                transaction.set_rollback(True)
        self._report_total(totals, len(ordered), failures)
        if failures:
            raise CommandError(
                f"{len(failures)} of {len(ordered)} files failed: "
                + ", ".join(str(p) for p in ordered if p in failures)
            )

    # --- options -------------------------------------------------------------

    def _parse_maps(self, values: list[str]) -> dict[str, str]:
        maps = {}
        for value in values:
            label, sep, target = value.partition("=")
            if not sep or not label.strip() or not target.strip():
                raise CommandError(f"--map-section {value!r}: write LABEL=SECTION")
            maps[label.strip()] = target.strip()
        return maps

    def _unknown_section(self, resolver: SectionResolver, value: str, option: str) -> str:
        known = ", ".join(f"{s.name} ({s.slug})" for s in resolver.sections) or "none"
        return f"{option}: no section {value!r}. Known sections: {known}."

    def _published_at(self, value: str | None) -> datetime.datetime:
        if not value:
            return timezone.now()
        try:
            moment = parse_datetime(value)
        except ValueError:
            moment = None
        if moment is None:
            raise CommandError(f"--published-at {value!r}: write e.g. 2025-01-15T09:00:00+07:00")
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def _collect(self, paths: list[str]) -> tuple[list[Path], dict[Path, str]]:
        """The files to import in order (each once), and the paths already known to fail."""
        files: list[Path] = []
        failures: dict[Path, str] = {}
        for value in paths:
            path = Path(value)
            if path.is_dir():
                found = sorted(p for p in path.glob("*.txt") if p.is_file())
                if not found:
                    failures[path] = "the folder has no *.txt files"
                    found = [path]
            elif path.is_file():
                found = [path]
            else:
                failures[path] = "no such file or folder"
                found = [path]
            files += [p for p in found if p not in files]
        return files, failures

    # --- output --------------------------------------------------------------

    def _progress(self, number: int, total: int, path: Path) -> None:
        if total < 2 or self.verbosity < 1:
            return
        width = 30
        done = width * (number - 1) // total
        line = f"[{'#' * done}{'.' * (width - done)}] {number}/{total} {path.name}"
        if self.stderr.isatty():
            self.stderr.write(f"\r{line[:100]:<100}", style_func=str, ending="")
            self.stderr.flush()
        else:
            self.stderr.write(line, style_func=str)

    def _clear_progress(self) -> None:
        """Wipe the bar so that report lines never start on the bar's line."""
        if self.stderr.isatty():
            self.stderr.write(f"\r{' ' * 100}\r", style_func=str, ending="")

    def _counts(self, result: ImportResult) -> str:
        counts = ", ".join(f"{verb} {result.count(verb)}" for verb in VERBS)
        return f"{counts}, warnings {len(result.warnings)}"

    def _report_file(self, path: Path, result: ImportResult) -> None:
        if self.verbosity < 1:
            return
        self._clear_progress()
        self.stdout.write(f"{path}: {self._counts(result)}")
        for action in result.actions:
            if action.verb == "unchanged" and self.verbosity < 2:
                continue
            verb = f"would be {action.verb}" if self.dry_run else action.verb
            detail = f" ({action.detail})" if action.detail else ""
            self.stdout.write(f"  {action.kind} “{action.label}”: {verb}{detail}")
        for warning in result.warnings:
            self.stdout.write(self.style.WARNING(f"  warning: {warning}"))

    def _report_failure(self, path: Path, message: str) -> None:
        self._clear_progress()
        # stderr is styled as an error already (on a terminal).
        self.stderr.write(f"{path}: FAILED, nothing imported: {message}")

    def _report_total(self, totals: ImportResult, count: int, failures: dict) -> None:
        if self.verbosity < 1:
            return
        self._clear_progress()
        imported = count - len(failures)
        self.stdout.write(
            f"Total: {count} file{'s' * (count != 1)}, {imported} imported, "
            f"{len(failures)} failed; {self._counts(totals)}"
        )
        if self.dry_run:
            self.stdout.write("Dry run: nothing was written.")
        elif imported and not totals.changed:
            self.stdout.write("Nothing changed: everything was already imported.")
        elif imported:
            self.stdout.write(self.style.SUCCESS("Import done."))
