"""Write the site's database content and media files to one .tar.gz."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from security.backup import BackupError, create_backup


class Command(BaseCommand):
    help = (
        "Back up one consistent snapshot of the database content (JSON, natural keys) and the "
        "media files that go with it into one .tar.gz readable by its owner only, by default "
        "backups/newsroom-<date>-<time>.tar.gz. Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="the archive to write")

    def handle(self, *args, output=None, **options):
        if output is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BACKUP_DIR) / f"newsroom-{stamp}.tar.gz"
        try:
            manifest = create_backup(Path(output))
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        for name in manifest["missing_media_files"]:
            self.stderr.write(f"Not on disk, so not in the archive: {name}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {rows} rows and {manifest['media_files']} media files to {output}"
            )
        )
