"""Load an archive written by `backup` into an empty database and the media folder."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from security.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = (
        "Restore a backup made by `backup` into this database (run `migrate` first) and "
        "MEDIA_ROOT. Refuses a database that holds content unless --replace is given."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="the .tar.gz written by `backup`")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="delete everything in the database before restoring",
        )

    def handle(self, *args, archive, replace, **options):
        try:
            manifest = restore_backup(Path(archive), replace=replace)
        except BackupError as error:
            raise CommandError(str(error)) from error
        rows = sum(manifest["rows"].values())
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {rows} rows and {manifest['media_files']} media files "
                f"from {archive} (made {manifest['created']})."
            )
        )
