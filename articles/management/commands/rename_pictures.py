"""Give pictures stored before the upload pipeline named files randomly a random name too.

Older uploads kept their original name ("articles/2026/12/ca-ngoai-dong.jpg"), which made a
draft's address guessable, and body pictures were stored exactly as sent (GPS position
included). Each such file is run through the pipeline (pictures/fields.py: checked, turned
upright, stripped of metadata, re-encoded) and stored under a random name beside the old
one; every row that names it — featured pictures, the body picture library, article bodies
and their revisions — is pointed at the new name in one transaction, and only then are the
old file and its renditions removed. A file that is not an acceptable picture (an old PDF)
is reported and left alone: the media gate sends it to nobody but staff, as a download.

Run once after deploying, and again whenever it reports files it could not read; it skips
files already named randomly, so running it twice changes nothing the second time.
"""

import posixpath
import re

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Q
from sorl.thumbnail import delete as delete_with_renditions

from articles.models import Article
from pagecache.registry import changed
from pictures.fields import TOKEN_LENGTH, clean_image
from pictures.models import BodyImage

RANDOM_NAME = re.compile(rf"[0-9a-f]{{{TOKEN_LENGTH}}}\.(jpg|png|webp)")


def is_random(name: str) -> bool:
    return bool(RANDOM_NAME.fullmatch(posixpath.basename(name)))


def stored_picture_names() -> list[str]:
    """Every stored picture name a row holds: featured pictures (revisions included) and the
    body picture library."""
    names = set(Article.objects.exclude(image="").values_list("image", flat=True))
    names |= set(Article.history.exclude(image="").values_list("image", flat=True))
    names |= set(BodyImage.objects.exclude(image="").values_list("image", flat=True))
    return sorted(names)


def _replace_in_bodies(model_manager, old_urls: list[str], new_url: str) -> int:
    changed = 0
    condition = Q()
    for url in old_urls:
        condition |= Q(body__contains=url)
    for pk, body in model_manager.filter(condition).values_list("pk", "body"):
        for url in old_urls:
            body = body.replace(url, new_url)
        changed += model_manager.filter(pk=pk).update(body=body)
    return changed


class Command(BaseCommand):
    help = (
        "Store pictures saved under their original name again, cleaned and under a random "
        "name, and point every article, revision and library row at the new name."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="list what would be renamed, change nothing"
        )

    def handle(self, *args, dry_run=False, **options):
        renamed = skipped = 0
        for old in stored_picture_names():
            if is_random(old):
                continue
            if not default_storage.exists(old):
                self.stderr.write(f"missing, left alone: {old}")
                skipped += 1
                continue
            try:
                with default_storage.open(old, "rb") as source:
                    cleaned = clean_image(source)
            except ValidationError as error:
                self.stderr.write(
                    f"not an acceptable picture, left alone: {old} ({error.messages[0]})"
                )
                skipped += 1
                continue
            new = posixpath.join(posixpath.dirname(old), cleaned.name)
            if dry_run:
                self.stdout.write(f"would rename {old} -> {new}")
                renamed += 1
                continue
            new = default_storage.save(new, cleaned)
            try:
                with transaction.atomic():
                    self._point_rows_at(old, new)
            except Exception:
                default_storage.delete(new)
                raise
            delete_with_renditions(old)
            self.stdout.write(f"renamed {old} -> {new}")
            renamed += 1
        if renamed and not dry_run:
            changed(articles=None)  # cached pages still name the old addresses
        verb = "would rename" if dry_run else "renamed"
        self.stdout.write(f"{verb} {renamed} pictures; {skipped} left alone")

    def _point_rows_at(self, old: str, new: str) -> None:
        Article.objects.filter(image=old).update(image=new)
        Article.history.filter(image=old).update(image=new)
        BodyImage.objects.filter(image=old, original_name="").update(
            original_name=posixpath.basename(old)
        )
        BodyImage.objects.filter(image=old).update(image=new)
        # Bodies name a picture by its address, percent-encoded or not.
        old_urls = sorted(
            {default_storage.url(old), "/" + default_storage.base_url.strip("/") + "/" + old}
        )
        new_url = default_storage.url(new)
        _replace_in_bodies(Article.objects, old_urls, new_url)
        _replace_in_bodies(Article.history, old_urls, new_url)
