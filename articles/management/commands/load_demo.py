"""Load the demo content into an empty database (used by `make run`)."""

from django.core.management import call_command
from django.core.management.base import BaseCommand

from articles.models import Article


class Command(BaseCommand):
    help = "Load fixtures/demo.json when the database has no articles yet; otherwise do nothing."

    def handle(self, *args, **options):
        if Article.objects.exists():
            self.stdout.write("Articles already exist: demo data not loaded.")
            return
        call_command("loaddata", "demo", verbosity=0)
        self.stdout.write(
            self.style.SUCCESS(f"Loaded demo data: {Article.objects.count()} articles.")
        )
