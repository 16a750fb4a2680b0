"""Every upload, body pictures included, goes through the featured picture's rules."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from pictures.models import BodyImage
from tests.factories import EditorFactory, ReporterFactory
from tests.pictures.test_images import gps_exif, picture

pytestmark = pytest.mark.django_db

ADD = "admin:pictures_bodyimage_add"


def upload_body_picture(client, content: bytes, name: str, content_type="image/jpeg"):
    client.force_login(ReporterFactory())
    file = SimpleUploadedFile(name, content, content_type=content_type)
    return client.post(reverse(ADD), {"image": file, "description": "Mường Phăng forest"})


def test_body_picture_loses_its_gps_position_and_camera_and_is_turned_upright(client):
    original = picture(size=(300, 100), exif=gps_exif(orientation=6))
    response = upload_body_picture(client, original, "IMG_0042.JPG")
    assert response.status_code == 302
    stored = BodyImage.objects.get()
    with Image.open(stored.image.path) as image:
        assert image.size == (100, 300)
        assert dict(image.getexif()) == {}
        assert "exif" not in image.info and "xmp" not in image.info


def test_png_html_polyglot_body_picture_is_re_encoded_without_the_html(client):
    payload = b"<html><script>alert(document.cookie)</script></html>"
    response = upload_body_picture(
        client, picture("PNG", size=(64, 64)) + payload, "chart.png", "image/png"
    )
    assert response.status_code == 302
    with BodyImage.objects.get().image.open("rb") as stored:
        data = stored.read()
    assert b"<script" not in data and b"<html" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (64, 64)


EPS = (
    b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\n%%EndComments\n"
    b"newpath 0 0 moveto 10 10 lineto stroke\n%%EOF\n"
)


@pytest.mark.parametrize(
    ("content", "name", "content_type", "message"),
    [
        (b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "scan.pdf", "application/pdf",
         "This file is not a picture we can read."),
        (b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF", "scan.jpg", "image/jpeg",
         "This file is not a picture we can read."),
        (EPS, "logo.eps", "application/postscript", "This is a EPS file."),
    ],
    ids=["pdf", "pdf-renamed-jpg", "eps"],
)  # fmt: skip
def test_pdf_and_eps_are_refused_as_body_pictures(client, content, name, content_type, message):
    response = upload_body_picture(client, content, name, content_type)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["image"]
    assert errors[0].startswith(message)
    assert not BodyImage.objects.exists()


def test_stored_names_are_random_and_the_original_name_is_kept_only_as_data(client):
    upload_body_picture(client, picture(size=(80, 60)), "Bản đồ Điện Biên – secret plan.jpg")
    stored = BodyImage.objects.get()
    assert re.fullmatch(r"body/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", stored.image.name)
    assert stored.original_name == "Bản đồ Điện Biên – secret plan.jpg"
    second = BodyImage(description="again")
    second.image = SimpleUploadedFile("Bản đồ Điện Biên – secret plan.jpg", picture())
    second.save()
    assert second.image.name != stored.image.name  # same upload name, another address


def test_every_model_with_a_picture_field_uses_the_pipeline():
    from django.apps import apps
    from django.db.models import FileField

    from pictures.fields import PictureField

    file_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, FileField) and model._meta.app_label not in ("sorl", "thumbnail")
    ]
    assert file_fields, "no upload field found"
    for label in file_fields:
        model_label, _, field_name = label.rpartition(".")
        field = apps.get_model(model_label)._meta.get_field(field_name)
        assert isinstance(field, PictureField), f"{label} bypasses the upload pipeline"


def test_editor_sees_the_original_name_in_the_library(client):
    upload_body_picture(client, picture(size=(80, 60)), "dien-bien-dawn.jpg")
    client.force_login(EditorFactory())
    stored = BodyImage.objects.get()
    page = client.get(reverse("admin:pictures_bodyimage_change", args=[stored.pk]))
    assert "dien-bien-dawn.jpg" in page.content.decode()
