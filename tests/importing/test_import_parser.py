"""Reading the old site's exports (pure parsing, no database)."""

import html
import re
import unicodedata
from collections import Counter
from pathlib import Path

import pytest

from importing.parser import (
    LEAD_MAX_LENGTH,
    Block,
    Byline,
    ExportError,
    decode_export,
    looks_like_caption,
    parse_export,
)

DATA = Path(__file__).parent / "data"
SEED_000 = DATA / "000_7020425c7841bbb8.txt"
SEED_002 = DATA / "002_3dcbad9acfba87a8.txt"
SEED_003 = DATA / "003_14b3810eb6a885bb.txt"
POSITION = "Member of the provincial Party Committee, Chairman of the provincial Farmers’ Union"


def seed_text(path: Path = SEED_003) -> str:
    return path.read_text(encoding="utf-8")


def parse(text: str):
    return parse_export(decode_export(text.encode("utf-8")))


@pytest.mark.parametrize(
    ("path", "title", "byline", "lead_start", "paragraphs", "captions", "recent"),
    [
        (SEED_000, "Multiplying exemplary models", "Đức Linh", "Responding to", 7, 1, 14),
        (
            SEED_002,
            "Điện Biên promotes emulation movement for socio-economic development",
            "An Chi",
            "On February 22",
            12,
            8,
            11,
        ),
        (
            SEED_003,
            "Điện Biên Province has more than 3,500 outstanding business households",
            "Quang Long",
            "On the afternoon of January 15",
            10,
            3,
            11,
        ),
    ],
)
def test_real_exports_give_headline_lead_without_dateline_byline_and_body(
    path, title, byline, lead_start, paragraphs, captions, recent
):
    parsed = parse_export(decode_export(path.read_bytes()))

    assert parsed.title == title
    assert parsed.lead.startswith(lead_start)
    assert "ĐBP" not in parsed.lead[:10]
    assert parsed.bylines == [Byline(byline)]
    assert len(parsed.paragraphs) == paragraphs
    assert len(parsed.captions) == captions
    assert len(parsed.recent_news) == recent
    assert parsed.needs_headline is False
    assert parsed.warnings == []
    body = parsed.body_html()
    for furniture in ("Comment", "characters left", "Please enter", "Recent news", byline):
        assert furniture not in body


def test_recent_news_entries_give_title_without_stray_apostrophe_section_label_and_lead():
    entries = parse(seed_text(SEED_000)).recent_news

    first = entries[0]
    assert first.title == "Raising traffic safety awareness among students"
    assert first.section_label == "SOCIAL AFFAIRS"
    assert first.lead.startswith("Today, many families equip their children")
    assert {e.section_label for e in entries} == {
        "SOCIAL AFFAIRS",
        "BUSINESS",
        "NEWS - POLITICS",
        "CULTURE - TOURISM",
    }
    # A lead with a non-breaking space after the dateline loses neither word nor space.
    leading = next(e for e in entries if e.title == "Leading the way in education in Điện Biên")
    assert leading.lead.startswith("In the heart of historic Điện Biên Phủ")


def test_captions_without_their_pictures_are_kept_as_text_never_as_empty_figures():
    parsed = parse(seed_text(SEED_003))

    assert parsed.captions == [
        "Delegates at the event.",
        "The Farmers’ Union of the Điện Biên Province awards the certificate of merit to "
        "collectives.",
        "Units under the union sign the emulation agreement for the year of 2025.",
    ]
    body = parsed.body_html()
    assert "<p>Delegates at the event.</p>" in body
    assert "<figure" not in body and "<figcaption" not in body
    assert body.startswith("<p>In 2024, the union")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Delegates at the event.", True),
        (
            "Secretary Trần Quốc Cường awards the Labor Order to two individuals, while "
            "Chairman Lê Thành Đô presents flowers.",
            True,
        ),
        ("Recognizing their spirit, the President awarded the Labor Order to eight people.", False),
        ("The school grew. It now has 900 students.", False),
        ("Emulation drives “Farmers build new-style rural areas” were implemented.", False),
        ("Delegates at the event", False),
        (" ".join(["word"] * 41) + ".", False),
    ],
)
def test_caption_heuristic(text, expected):
    assert looks_like_caption(text) is expected


def _words(text: str) -> Counter:
    return Counter(re.findall(r"\w+", text))


def test_no_word_of_the_article_or_its_recent_news_is_lost():
    for path in (SEED_000, SEED_002, SEED_003):
        text = seed_text(path)
        parsed = parse(text)
        body = parsed.body_html()
        furniture = "Comment\nYou have 500/500 characters left\nPlease enter 5 or more characters"
        expected = _words(text) - _words(furniture + "\nRecent news")
        expected -= Counter({"ĐBP": 1 + len(parsed.recent_news)})
        got = _words(
            "\n".join(
                [parsed.title, parsed.lead, html.unescape(re.sub("<[^>]+>", " ", body))]
                + [f"{b.name} {b.position}" for b in parsed.bylines]
                + [f"{e.title} {e.title} {e.section_label} {e.lead}" for e in parsed.recent_news]
            )
        )
        assert got == expected, path.name


def test_paragraphs_without_blank_lines_read_the_same():
    text = seed_text()
    assert "\n\n" in text
    assert parse(text.replace("\n\n", "\n")) == parse(text)


def test_windows_line_endings_read_the_same():
    text = seed_text()
    assert parse(text.replace("\n", "\r\n")) == parse(text)


def test_nfd_text_is_read_as_nfc():
    text = seed_text()
    nfd = unicodedata.normalize("NFD", text)
    assert nfd != text

    parsed = parse(nfd)

    assert parsed == parse(text)
    assert parsed.title == unicodedata.normalize("NFC", parsed.title)
    assert parsed.title.startswith("Điện Biên")


def test_utf8_byte_order_mark_is_not_part_of_the_headline():
    parsed = parse_export(decode_export(b"\xef\xbb\xbf" + SEED_003.read_bytes()))
    assert parsed.title.startswith("Điện Biên Province")


def test_export_without_furniture_keeps_its_byline_and_has_no_recent_news():
    text = seed_text().split("\nComment\n")[0]

    parsed = parse(text)

    assert parsed.bylines == [Byline("Quang Long")]
    assert parsed.recent_news == []
    assert len(parsed.paragraphs) == 10
    assert parsed.warnings == []


def test_export_without_byline_says_so():
    text = seed_text().split("\nQuang Long\n")[0]

    parsed = parse(text)

    assert parsed.bylines == []
    assert "no byline found" in parsed.warnings[0]
    assert len(parsed.paragraphs) == 10


@pytest.mark.parametrize("separator", ["\n", "\n\n"])
def test_byline_with_a_position_line(separator):
    text = seed_text().replace("\nQuang Long\n", f"\nQuang Long{separator}{POSITION}\n")

    parsed = parse(text)

    assert parsed.bylines == [Byline("Quang Long", POSITION)]
    assert POSITION not in parsed.body_html()


def test_several_authors_on_the_byline_line():
    text = seed_text().replace("\nQuang Long\n", "\nQuang Long - Đức Linh\n")
    assert parse(text).bylines == [Byline("Quang Long"), Byline("Đức Linh")]


def test_export_without_headline_keeps_the_whole_body_and_needs_a_headline():
    text = seed_text().split("\n", 2)[2]  # drop the title line and the blank after it
    assert text.startswith("ĐBP - ")

    parsed = parse(text)

    assert parsed.needs_headline is True
    assert parsed.title == ""
    assert parsed.lead.startswith("On the afternoon of January 15")
    assert len(parsed.paragraphs) == 10
    assert "no headline" in parsed.warnings[0]


def test_a_long_first_line_without_dateline_is_not_a_headline():
    paragraph = "In 2024, " + "the union worked hard across the province, " * 6 + "and grew."
    assert len(paragraph) > 200

    parsed = parse(paragraph + "\nSecond paragraph of the story.\nQuang Long\n")

    assert parsed.needs_headline is True
    assert parsed.lead == paragraph
    assert parsed.paragraphs == ["Second paragraph of the story."]
    assert any("dateline" in w for w in parsed.warnings)


def test_a_lead_longer_than_the_field_continues_in_the_body_without_losing_words():
    sentences = [f"Sentence number {n} tells the story of the province." for n in range(40)]
    long_lead = "ĐBP - " + " ".join(sentences)
    assert len(long_lead) > LEAD_MAX_LENGTH

    parsed = parse(f"A headline\n{long_lead}\nThe end of the story, told at length.\nAn Chi\n")

    assert len(parsed.lead) <= LEAD_MAX_LENGTH
    assert parsed.lead.endswith(".")
    assert parsed.blocks[0].kind == Block.PARAGRAPH
    assert f"{parsed.lead} {parsed.blocks[0].text}" == long_lead.removeprefix("ĐBP - ")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"", "the file is empty"),
        (b" \r\n\n\t\n", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "binary"),
        # "Điện Biên" in Windows-1258, the old Vietnamese Windows code page.
        (
            b"\xd0i\xea\xf2n Bi\xean\n\n\xd0BP - Lead.",
            r"not UTF-8 text \(byte 0xd0 at position 0\)",
        ),
        (b"Headline only\n", "no article text"),
    ],
)
def test_files_that_are_not_exports_raise_a_clear_error(raw, message):
    with pytest.raises(ExportError, match=message):
        parse_export(decode_export(raw))


@pytest.mark.parametrize(
    "dateline",
    [
        "ĐBP - ",
        "ĐBP – ",
        "ĐBP — ",
        "ĐBP—",
        "ÐBP - ",  # U+00D0, the Icelandic eth, looks like Đ
        "ƉBP - ",
        "Đbp - ",
        "đbp – ",
        "DBP - ",
        "ĐBP-",
        "ĐBP: ",
        "ĐBP − ",
        "ĐBP ‑ ",
        "ĐBP\u00a0–\u00a0",
        "ĐBP - ĐBP — ",
    ],
)
@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_dateline_in_any_variant_is_recognised_and_not_kept_in_the_lead(dateline, form):
    text = seed_text().replace("ĐBP - On the afternoon", f"{dateline}On the afternoon", 1)
    parsed = parse(unicodedata.normalize(form, text))
    assert parsed.lead.startswith("On the afternoon of January 15")
    assert not any("dateline" in w for w in parsed.warnings)


@pytest.mark.parametrize("dateline", ["ĐBP ~ ", "(ĐBP) - ", "Đ.B.P - ", "ĐBP ĐBP - ", "ĐBP — ĐBP "])
def test_a_dateline_the_import_does_not_know_refuses_the_file_naming_the_line(dateline):
    text = seed_text().replace("ĐBP - On the afternoon", f"{dateline}On the afternoon", 1)
    line = next(
        n for n, t in enumerate(text.split("\n"), start=1) if t.startswith(dateline.strip())
    )
    with pytest.raises(ExportError, match=rf"^line {line} starts with a dateline") as error:
        parse(text)
    assert dateline.strip() in str(error.value)


def test_a_lead_that_only_starts_with_letters_like_the_dateline_is_kept():
    text = seed_text().replace("ĐBP - On the afternoon", "DBPs are On the afternoon", 1)
    assert parse(text).lead.startswith("DBPs are On the afternoon")


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_utf16_or_utf32_file_with_its_byte_order_mark_is_read(encoding):
    text = seed_text()
    raw = text.encode(encoding)
    if encoding == "utf-16-le":
        raw = b"\xff\xfe" + raw
    elif encoding == "utf-16-be":
        raw = b"\xfe\xff" + raw
    parsed = parse_export(decode_export(raw))
    assert parsed == parse(text)
    assert parsed.title.startswith("Điện Biên Province has more than 3,500")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("Điện Biên\nĐBP - Lead.".encode("utf-16-le"), "UTF-16 text without a byte order mark"),
        (b"\xff\xfe" + "Điện Biên".encode("utf-16-le")[:-1], "not UTF-16 text"),
        (b"\xff\xfe\x00\xd8a\x00", "not UTF-16 text"),  # a lone surrogate
        (b"\xff\xfe \x00\n\x00", "the file is empty"),
    ],
    ids=["no-bom", "odd-length", "lone-surrogate", "blank"],
)
def test_broken_utf16_files_get_a_clear_message(raw, message):
    with pytest.raises(ExportError, match=message):
        decode_export(raw)
