"""Uploaded pictures: what is refused, what is stored, and the renditions made from it."""

import io
import re
import struct
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms import modelform_factory
from PIL import Image

from articles.models import Article
from pictures.fields import check_image
from pictures.renditions import RENDITIONS, rendition_files
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def picture(fmt="JPEG", size=(1200, 800), colour=(163, 17, 26), **save_options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA" if fmt == "PNG" else "RGB", size, colour).save(buffer, fmt, **save_options)
    return buffer.getvalue()


def png_bomb(width=30_000, height=30_000) -> bytes:
    """A real, valid 1-bit PNG of width × height black pixels: about 100 KB on disk,
    900 megapixels once decoded. Written row by row so the test never holds it whole."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    row = b"\x00" + bytes((width + 7) // 8)  # filter byte + packed bits
    compressor = zlib.compressobj(9)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def upload(content: bytes, name="photo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


ImageForm = modelform_factory(Article, fields=["image"])


def form_errors(file) -> list[str]:
    form = ImageForm(data={}, files={"image": file})
    assert not form.is_valid()
    return form.errors["image"]


def test_decompression_bomb_is_refused_with_a_clear_form_error():
    bomb = png_bomb()
    assert len(bomb) < 1_000_000
    (message,) = form_errors(upload(bomb, "harmless.png", "image/png"))
    assert message.startswith("This picture expands to far too many pixels")


def test_bomb_just_over_pillows_warning_threshold_is_refused_too(settings):
    settings.NEWSROOM_IMAGE_MAX_PIXELS = 10**12  # only Pillow's guard is left
    with pytest.raises(ValidationError) as error:
        check_image(upload(png_bomb(12_000, 12_000), "bomb.png"))
    assert error.value.code == "image_bomb"


def test_picture_over_the_pixel_limit_is_refused_before_decoding():
    (message,) = form_errors(upload(png_bomb(8_000, 8_000), "huge.png", "image/png"))
    assert message.startswith("This picture is 8000 × 8000 pixels (64 megapixels)")


def test_non_image_renamed_to_jpg_is_refused():
    (message,) = form_errors(upload(b"%PDF-1.7 not a picture at all", "scan.jpg"))
    assert message.startswith("This file is not a picture we can read.")


def test_truncated_jpeg_is_refused():
    (message,) = form_errors(upload(picture()[:2000], "cut.jpg"))
    assert "not a picture we can read" in message


def test_svg_is_refused_even_when_renamed():
    svg = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    for name in ["drawing.svg", "drawing.jpg"]:
        (message,) = form_errors(upload(svg, name, "image/svg+xml"))
        assert message.startswith("SVG drawings are not accepted."), name


def test_other_image_formats_are_refused():
    (message,) = form_errors(upload(picture("GIF", size=(50, 50)), "anim.gif", "image/gif"))
    assert message == "This is a GIF file. Upload a JPEG, PNG or WebP picture."


def test_file_over_the_byte_limit_is_refused(settings):
    settings.NEWSROOM_IMAGE_MAX_BYTES = 1000
    (message,) = form_errors(upload(picture(), "big.jpg"))
    assert message.startswith("This picture is ") and "the limit is 0.0 MB" in message


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_jpeg_png_and_webp_are_accepted(fmt):
    name = f"p.{fmt.lower()}"
    form = ImageForm(data={}, files={"image": upload(picture(fmt, size=(300, 200)), name)})
    assert form.is_valid(), form.errors


def test_full_clean_applies_the_same_rules():
    article = ArticleFactory.build(image=ContentFile(b"GIF89a nonsense", name="x.jpg"))
    with pytest.raises(ValidationError) as error:
        article.full_clean(exclude=["section"])
    assert "image" in error.value.message_dict


def gps_exif(orientation=None) -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "Camera maker"
    gps = {1: "N", 2: (21.0, 23.0, 10.0), 3: "E", 4: (103.0, 1.0, 2.0)}
    exif[0x8825] = gps
    if orientation:
        exif[0x0112] = orientation
    return exif.tobytes()


def test_stored_picture_is_upright_and_has_no_metadata(settings):
    # 300 wide, 100 tall as stored; EXIF orientation 6 says "rotate 90°" for display.
    original = picture(size=(300, 100), exif=gps_exif(orientation=6))
    with Image.open(io.BytesIO(original)) as check:
        assert check.getexif().get_ifd(0x8825)  # the test picture really carries GPS
    article = ArticleFactory(image=ContentFile(original, name="Ảnh hiện trường.JPEG"))
    with Image.open(article.image.path) as stored:
        assert stored.size == (100, 300)
        assert dict(stored.getexif()) == {}
        assert "exif" not in stored.info and "xmp" not in stored.info
    # A random name: nothing of the original name reaches the address.
    assert re.fullmatch(r"articles/\d{4}/\d{2}/[0-9a-f]{32}\.jpg", article.image.name)


def test_polyglot_loses_its_appended_payload():
    payload = b"<html><script>alert(document.cookie)</script></html>"
    article = ArticleFactory(image=ContentFile(picture() + payload, name="polyglot.jpg"))
    with open(article.image.path, "rb") as stored:
        data = stored.read()
    assert b"<script" not in data and b"<html" not in data
    with Image.open(article.image.path) as image:
        assert image.format == "JPEG" and image.size == (1200, 800)


def test_png_stays_png_and_webp_stays_webp():
    png = ArticleFactory(image=ContentFile(picture("PNG", size=(64, 64)), name="logo.png"))
    webp = ArticleFactory(image=ContentFile(picture("WEBP", size=(64, 64)), name="p.webp"))
    with Image.open(png.image.path) as a, Image.open(webp.image.path) as b:
        assert (a.format, b.format) == ("PNG", "WEBP")


@pytest.mark.parametrize("name", list(RENDITIONS))
def test_renditions_have_the_declared_sizes_and_are_jpeg(name, settings):
    article = ArticleFactory(image=ContentFile(picture(size=(2400, 1600)), name="big.jpg"))
    files = rendition_files(article.image, name)
    assert len(files) == len(RENDITIONS[name].sizes)
    for thumb, (width, height) in zip(files, RENDITIONS[name].sizes, strict=True):
        with Image.open(settings.MEDIA_ROOT / thumb.name) as image:
            expected_height = height or round(width * 1600 / 2400)
            assert image.size == (width, expected_height) == (thumb.width, thumb.height)
            assert image.format == "JPEG"


def test_renditions_are_made_once_and_reused(settings):
    article = ArticleFactory(image=ContentFile(picture(), name="p.jpg"))
    (first, *_) = rendition_files(article.image, "card")
    path = settings.MEDIA_ROOT / first.name
    made = path.stat().st_mtime_ns
    path.write_bytes(path.read_bytes())  # any rewrite would change the modification time
    touched = path.stat().st_mtime_ns
    (again, *_) = rendition_files(article.image, "card")
    assert again.name == first.name and made <= touched == path.stat().st_mtime_ns


def test_small_picture_is_never_enlarged_and_srcset_has_no_duplicates():
    article = ArticleFactory(image=ContentFile(picture(size=(300, 200)), name="small.jpg"))
    files = rendition_files(article.image, "card")
    assert [(f.width, f.height) for f in files] == [(300, 200)]


def test_pages_use_renditions_with_dimensions_srcset_and_lazy_loading(client):
    lead = ArticleFactory(image=ContentFile(picture(), name="lead.jpg"), title="Lead")
    older = ArticleFactory(
        image=ContentFile(picture(), name="old.jpg"),
        section=lead.section,
        published_at=lead.published_at.replace(year=lead.published_at.year - 1),
    )
    html = client.get(lead.section.get_absolute_url()).content.decode()
    assert 'srcset="/media/cache/' in html and 'width="400" height="267"' in html
    assert 'loading="lazy"' in html
    article_html = client.get(older.get_absolute_url()).content.decode()
    figure = article_html[article_html.index('<figure class="article__figure">') :]
    img = figure[: figure.index(">") + figure[figure.index(">") + 1 :].index(">") + 2]
    assert 'width="800" height="533"' in img and "loading" not in img


def test_picture_missing_from_storage_never_breaks_pages_or_feeds(client):
    article = ArticleFactory(image=ContentFile(picture(), name="gone.jpg"))
    article.image.storage.delete(article.image.name)
    for url in [article.get_absolute_url(), "/", article.section.get_absolute_url(), "/feed/"]:
        response = client.get(url)
        assert response.status_code == 200, url
    assert b"<enclosure" not in client.get("/feed/").content
    assert b"og:image" not in client.get(article.get_absolute_url()).content


def test_renditions_are_remembered_per_process_and_asked_again_after_a_while(
    monkeypatch, time_machine
):
    from pictures import renditions as images

    article = ArticleFactory(image=ContentFile(picture(), name="memo.jpg"))
    made = []
    real = images._make_renditions
    monkeypatch.setattr(
        images, "_make_renditions", lambda *args: made.append(args[1]) or real(*args)
    )
    time_machine.move_to("2026-11-25 12:00:00+00:00", tick=False)
    first = rendition_files(article.image, "thumb")
    assert rendition_files(article.image, "thumb") == first and made == ["thumb"]
    time_machine.move_to("2026-11-25 12:10:01+00:00", tick=False)
    assert rendition_files(article.image, "thumb") == first
    assert made == ["thumb", "thumb"]


def test_the_picture_tag_escapes_each_alt_text_and_class_of_the_same_rendition():
    from pictures.templatetags.pictures import picture as picture_tag

    article = ArticleFactory(image=ContentFile(picture(), name="market.jpg"))
    files = rendition_files(article.image, "card")
    first = picture_tag(article.image, "card", alt="Tuần Giáo <market> & “fair”")
    second = picture_tag(article.image, "card", alt="Mường Ảng", css_class='a"b', lazy=False)

    assert first == (
        f'<img src="{files[0].url}" srcset="{files[0].url} {files[0].width}w, '
        f'{files[1].url} {files[1].width}w" sizes="{files[0].width}px" '
        f'alt="Tuần Giáo &lt;market&gt; &amp; “fair”" width="{files[0].width}" '
        f'height="{files[0].height}" loading="lazy" decoding="async">'
    )
    assert ' class="a&quot;b" ' in second
    assert 'alt="Mường Ảng" ' in second
    assert second.endswith(f'height="{files[0].height}">')
    # The same place of the same picture, as the first page showed it.
    assert picture_tag(article.image, "card", alt="Tuần Giáo <market> & “fair”") == first
