"""rename_pictures: files stored under their original name get a random one, cleaned."""

import io
import re
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from PIL import Image

from articles.models import Article
from pictures.models import BodyImage
from tests.factories import ArticleFactory
from tests.pictures.test_images import gps_exif, picture

pytestmark = pytest.mark.django_db

RANDOM = r"[0-9a-f]{32}"


def stored_as_before(name: str, content: bytes) -> str:
    """A file written straight to storage, as uploads were before the pipeline named them."""
    return default_storage.save(name, ContentFile(content))


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rename_pictures", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_old_pictures_get_random_names_and_every_row_follows(client):
    featured = stored_as_before("articles/2026/11/ca-ngoai-dong.jpg", picture(size=(90, 60)))
    body = stored_as_before(
        "body/2026/11/lake.jpg", picture(size=(90, 60), exif=gps_exif(orientation=6))
    )
    article = ArticleFactory(body=f'<figure><img src="/media/{body}" alt="Lake"></figure>')
    Article.objects.filter(pk=article.pk).update(image=featured)
    article.refresh_from_db()
    article.save()  # a revision that names the old files too
    library = BodyImage.objects.create(description="Lake", image=body)

    out, err = run()

    article.refresh_from_db()
    library.refresh_from_db()
    assert re.fullmatch(rf"articles/2026/11/{RANDOM}\.jpg", article.image.name)
    assert re.fullmatch(rf"body/2026/11/{RANDOM}\.jpg", library.image.name)
    assert f'src="/media/{library.image.name}"' in article.body
    assert library.original_name == "lake.jpg"
    for revision in article.history.all():
        assert "lake.jpg" not in revision.body and "ca-ngoai-dong" not in revision.image
    assert not default_storage.exists(featured) and not default_storage.exists(body)
    with library.image.open("rb") as stored, Image.open(io.BytesIO(stored.read())) as image:
        assert dict(image.getexif()) == {} and image.size == (60, 90)  # cleaned, upright
    assert client.get(article.image.url).status_code == 200
    assert client.get(library.image.url).status_code == 200
    assert "renamed 2 pictures; 0 left alone" in out and err == ""


def test_running_it_again_changes_nothing_and_dry_run_changes_nothing():
    stored_as_before("body/2026/11/old.png", picture("PNG", size=(20, 20)))
    BodyImage.objects.create(description="Old", image="body/2026/11/old.png")
    out, _ = run("--dry-run")
    assert "would rename 1 pictures" in out
    assert BodyImage.objects.get().image.name == "body/2026/11/old.png"
    run()
    name = BodyImage.objects.get().image.name
    out, _ = run()
    assert "renamed 0 pictures; 0 left alone" in out
    assert BodyImage.objects.get().image.name == name


def test_a_stored_file_that_is_not_a_picture_is_reported_and_left_alone():
    stored_as_before("body/2026/11/scan.pdf", b"%PDF-1.7 old upload")
    BodyImage.objects.create(description="Scan", image="body/2026/11/scan.pdf")
    out, err = run()
    assert "not an acceptable picture, left alone: body/2026/11/scan.pdf" in err
    assert "renamed 0 pictures; 1 left alone" in out
    assert default_storage.exists("body/2026/11/scan.pdf")
