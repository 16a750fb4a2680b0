"""Ask the task queue to build the renditions of every published article's picture (and, with
--library, of every library picture): after the sizes in pictures/renditions.py change, so
the new files are made by the worker (`manage.py db_worker` with NEWSROOM_TASKS=database)
before readers ask for them, not by the first reader of each page.

Each picture is one build_renditions task (pictures/tasks.py), the one a save stores; a
picture shown by several rows is asked once. Renditions that exist already are not made
again. With the in-process default the renditions are made by this command, one by one.
"""

from django.core.management.base import BaseCommand

from articles.models import Article
from pictures.models import BodyImage
from pictures.tasks import renditions_after_commit


class Command(BaseCommand):
    help = "Ask the task queue to build every rendition of the published articles' pictures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--library",
            action="store_true",
            help="Every picture of the library too (body figures, the chooser).",
        )

    def handle(self, *args, library=False, **options):
        rows = [(Article, Article.objects.published().exclude(image=""))]
        if library:
            rows.append((BodyImage, BodyImage.objects.exclude(image="")))
        asked = set()
        for model, queryset in rows:
            pictures = queryset.order_by("pk").values_list(
                "image", "image_focal_x", "image_focal_y"
            )
            for name, x, y in pictures.iterator():
                if (name, x, y) in asked:
                    continue
                asked.add((name, x, y))
                renditions_after_commit(
                    model=model._meta.label_lower, field="image", name=name, focal=(x, y)
                )
        self.stdout.write(f"Asked for the renditions of {len(asked)} pictures.")
