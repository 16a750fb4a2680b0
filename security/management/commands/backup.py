"""Write the site's database content and media files to one .tar.gz."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from security.backup import create_backup


class Command(BaseCommand):
    help = (
        "Back up the database content (JSON, natural keys) and the media files into one "
        ".tar.gz, by default backups/newsroom-<date>-<time>.tar.gz. Restore it with `restore`."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", help="the archive to write")

    def handle(self, *args, output=None, **options):
        if output is None:
            stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
            output = Path(settings.BACKUP_DIR) / f"newsroom-{stamp}.tar.gz"
        manifest = create_backup(Path(output))
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {rows} rows and {manifest['media_files']} media files to {output}"
            )
        )
