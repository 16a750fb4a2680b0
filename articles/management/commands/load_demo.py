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
        # loaddata writes rows as they are (raw), bypassing Article.save(): save each once so
        # the derived search documents exist. update_fields keeps the fixture's dates.
        for article in Article.objects.all():
            article.save(update_fields=["title", "lead", "body"])
        self.stdout.write(
            self.style.SUCCESS(f"Loaded demo data: {Article.objects.count()} articles.")
        )
