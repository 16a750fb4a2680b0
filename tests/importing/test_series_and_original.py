"""The import files "… (Part N)" headlines into their series, keeps the headline as it is,
and takes the Vietnamese original's address out of the text."""

import datetime
import io

import pytest
from django.core.management import call_command

from articles.models import Article, Series
from importing.parser import parse_export, series_part_of

pytestmark = pytest.mark.django_db

PUBLISHED_AT = datetime.datetime(2026, 2, 10, 2, 0, tzinfo=datetime.UTC)
NAME = "Optimizing surplus headquarters resources after rearrangement"


def export(headline, *, original=None):
    lines = [
        headline,
        "ĐBP - The province has reviewed the offices left empty after the merger of communes.",
        "Each district has listed its buildings and proposed new uses for them.",
    ]
    if original:
        lines.append(original)
    return "\n".join([*lines, "Lò Văn Phương", "Comment"]) + "\n"


def run_import(tmp_path, **files):
    for name, text in files.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "import_articles",
        "--published-at",
        PUBLISHED_AT.isoformat(),
        str(tmp_path),
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


@pytest.mark.parametrize(
    "headline, expected",
    [
        (f"{NAME} (Part 1)", (NAME, 1)),
        ("Mường Nhé's new roads [part II]", ("Mường Nhé's new roads", 2)),
        ("Tea from Tủa Chùa – Part 3", ("Tea from Tủa Chùa", 3)),
        ("Border markets: Part 12", ("Border markets", 12)),
        ("Border markets Part 4", ("Border markets", 4)),
        ("Part 2: the road to Mường Lay", None),
        ("A counterpart 2 visits", None),
        ("Rice harvest (Part 0)", None),
        ("Điện Biên promotes emulation movement", None),
    ],
)
def test_a_headline_names_its_series_and_part_only_at_its_end(headline, expected):
    assert series_part_of(headline) == expected


def test_parts_of_one_series_are_filed_together_and_keep_their_headlines(tmp_path):
    run_import(tmp_path, a=export(f"{NAME} (Part 1)"), b=export(f"{NAME} (Part 2)"))
    (series,) = Series.objects.all()
    assert series.name == NAME
    parts = list(series.parts.order_by("series_part"))
    assert [(p.title, p.series_part) for p in parts] == [
        (f"{NAME} (Part 1)", 1),
        (f"{NAME} (Part 2)", 2),
    ]
    assert all(p.status == Article.Status.PUBLISHED for p in parts)


def test_a_part_already_taken_by_another_story_is_imported_without_its_series(tmp_path):
    run_import(tmp_path, a=export("Tea roads (Part 1)"))
    (tmp_path / "a.txt").unlink()
    output = run_import(tmp_path, b=export("Tea roads [Part I]"))
    second = Article.objects.get(title="Tea roads [Part I]")
    assert second.series is None and second.series_part is None
    assert "part 1 of the series 'Tea roads' is another story already" in output


def test_a_rerun_files_a_story_imported_before_into_its_series_once(tmp_path):
    run_import(tmp_path, a=export("Rice harvest (Part 2)"))
    run_import(tmp_path, a=export("Rice harvest (Part 2)"))
    story = Article.objects.get()
    assert story.series.name == "Rice harvest" and story.series_part == 2
    assert Series.objects.count() == 1


def test_the_vietnamese_original_is_taken_from_its_line_and_out_of_the_text(tmp_path):
    original = "https://baodienbienphu.vn/tin-tuc/kinh-te/nhan-rong-mo-hinh-12345"
    run_import(tmp_path, a=export("Multiplying models", original=f"Bản tiếng Việt: {original}"))
    story = Article.objects.get()
    assert story.original_url == original
    assert original not in story.body and "Bản tiếng Việt" not in story.body


def test_a_line_that_only_mentions_an_address_stays_in_the_text():
    parsed = parse_export(
        export("Markets", original="Readers can see the original: photos at the museum.")
    )
    assert parsed.original_url == ""
    assert "Readers can see the original" in parsed.body_html()
