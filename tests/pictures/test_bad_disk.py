"""Uploads onto a disk that refuses them: a clear message, the form kept, no partial file.

The full and read-only disks are real: small tmpfs filesystems mounted for the test (where
the machine lets the test mount them; otherwise those tests are skipped, and the last test
still covers a disk that fills up partway through a write)."""

import errno
import io
import os
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from PIL import Image

from articles.models import Article
from pictures.models import BodyImage
from tests.editorial.admin_forms import change_form_data
from tests.factories import ReporterFactory, article_by

pytestmark = pytest.mark.django_db


def noisy_jpeg(width=900, height=700) -> bytes:
    """A photo-like JPEG that stays large once re-encoded (random pixels compress badly)."""
    buffer = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(
        buffer, "JPEG", quality=95
    )
    return buffer.getvalue()


def files_under(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()]


@pytest.fixture
def mounted(tmp_path, settings):
    """mount(options) makes MEDIA_ROOT a fresh tmpfs with those options."""
    mounts = []

    def mount(options: str) -> Path:
        point = tmp_path / f"disk-{uuid.uuid4().hex[:8]}"
        point.mkdir()
        result = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {result.stderr.strip()}")
        mounts.append(point)
        settings.MEDIA_ROOT = point
        return point

    yield mount
    for point in mounts:
        subprocess.run(["umount", "-l", str(point)], check=False)


def post_body_picture(client, content: bytes):
    client.force_login(ReporterFactory())
    file = SimpleUploadedFile("market.jpg", content, content_type="image/jpeg")
    return client.post(
        reverse("admin:pictures_bodyimage_add"),
        {"image": file, "description": "Mường Thanh market at dawn"},
    )


def assert_form_kept_with(response, message: str) -> None:
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["image"] == [
        f"The picture could not be stored: {message}. Nothing was saved; "
        "try again later or tell the technical desk."
    ]
    html = response.content.decode()
    assert "Mường Thanh market at dawn" in html  # what was typed is still in the form
    assert f"could not be stored: {message}" in html


def test_upload_to_a_full_disk_says_so_keeps_the_form_and_leaves_no_file(client, mounted):
    disk = mounted("size=64k,mode=0755")
    content = noisy_jpeg()
    assert len(content) > 64 * 1024 * 2  # larger than the disk, once re-encoded too
    response = post_body_picture(client, content)
    assert_form_kept_with(response, "the disk is full")
    assert files_under(disk) == []
    assert not BodyImage.objects.exists()


def test_upload_to_a_read_only_disk_says_so_keeps_the_form_and_leaves_no_file(client, mounted):
    disk = mounted("size=1m,ro")
    response = post_body_picture(client, noisy_jpeg(200, 100))
    assert_form_kept_with(response, "the disk is read-only")
    assert files_under(disk) == []
    assert not BodyImage.objects.exists()


def test_featured_picture_on_a_full_disk_keeps_the_article_form_and_the_article(client, mounted):
    reporter = ReporterFactory()
    article = article_by(reporter, title="Flood defences on the Nậm Rốm")
    disk = mounted("size=64k,mode=0755")
    client.force_login(reporter)
    url = reverse("admin:articles_article_change", args=[article.pk])
    data = change_form_data(client.get(url), title="Flood defences on the Nậm Rốm river")
    data["image"] = SimpleUploadedFile("flood.jpg", noisy_jpeg(), content_type="image/jpeg")
    response = client.post(url, data)
    assert response.status_code == 200
    assert (
        response.context["adminform"]
        .form.errors["image"][0]
        .startswith("The picture could not be stored: the disk is full.")
    )
    assert "Flood defences on the Nậm Rốm river" in response.content.decode()
    assert files_under(disk) == []
    article.refresh_from_db()
    assert article.title == "Flood defences on the Nậm Rốm"  # nothing half-saved
    assert not article.image


def test_disk_filling_up_partway_through_a_write_leaves_no_truncated_file(settings, monkeypatch):
    """The same failure without a mount: the storage's writes stop with ENOSPC after the
    first chunk, as a disk does when it fills during the write."""
    written = []

    import django.core.files.storage.filesystem as filesystem

    real_open = filesystem.os.fdopen

    class FillingFile(io.FileIO):
        def write(self, data):
            if written:
                raise OSError(errno.ENOSPC, "No space left on device")
            written.append(len(data))
            return super().write(data[: len(data) // 2])

    def fdopen(fd, mode="r", *args, **kwargs):
        if "w" in mode:
            return FillingFile(fd, "wb", closefd=True)
        return real_open(fd, mode, *args, **kwargs)

    monkeypatch.setattr(filesystem.os, "fdopen", fdopen)
    picture = BodyImage(description="Half a picture")
    picture.image = ContentFile(noisy_jpeg(), name="half.jpg")
    from pictures.fields import PictureNotStored

    with pytest.raises(PictureNotStored, match="the disk is full"), transaction.atomic():
        picture.save()
    assert written  # the write really started
    assert files_under(Path(settings.MEDIA_ROOT)) == []
    assert not BodyImage.objects.exists()
    assert not Article.objects.exists()
