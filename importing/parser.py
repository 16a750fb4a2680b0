"""Parse the old site's plain-text article exports. Pure: no database, no Django writes.

An export looks like this (one paragraph per line; blank lines between them are optional)::

    Title line
    ĐBP - The lead, the first paragraph, after the dateline.
    Body paragraph.
    A short one-sentence photo caption.
    Body paragraph.
    Author Name
    Optional position line of the author
    Comment
    You have 500/500 characters left
    Please enter 5 or more characters!!!
    Recent news
      • 'Other title
        Other title
        SECTION LABEL -
        ĐBP - Other lead.

Rules decided here (see also the import_articles command's help):

- Each non-empty line is one paragraph, so exports with or without blank lines read the same.
- Headline: the first line, unless it starts with the dateline, is longer than the 200
  characters a headline may have, or ends with a full stop. Then the export has no headline:
  the whole text is body and `needs_headline` is set (the article is imported as a Draft).
- Captions: a body paragraph (not the lead, not the last) is a photo caption when it is one
  sentence ending with a full stop, at most 40 words, with no quotation marks, colon or
  semicolon, and at most one comma, followed by "while", "with" or "and" (a caption joining
  two actions in the photo). The exports carry no pictures, so a caption has no picture to
  be paired with: it is kept as a paragraph of text (never a ``<figcaption>`` under no
  photo); an editor places the picture with its caption in the body editor. A word is never lost,
  whatever the heuristic decides.
- Byline: the line(s) just before "Comment" (or, without furniture, at the end): an author
  name (1-6 capitalised words, no digits, no final full stop), optionally followed by one
  position line (at most 300 characters, no final full stop). When the last two lines both
  could be names, they are read as name and position. Several names on the name line can be
  joined by ",", " - ", " and " or "&"; a position then belongs to the last of them.
- Everything from "Comment" on is page furniture, except the Recent news entries.
- Vietnamese original: a line "Vietnamese original: <address>" (or "Original:", "Bản tiếng
  Việt:", "Đọc bằng tiếng Việt:", "Bản gốc:") anywhere in the text names the story's address
  on the paper's Vietnamese site; it is taken out of the text.
- Series: a headline ending in "(Part 2)", "[Part 2]", "- Part 2", ": Part 2" or "Part 2"
  (digits or Roman numerals up to XX) is part 2 of the series named by the rest of the
  headline; the headline itself is kept as it is. A headline that starts "Part 2: …" names
  no series (its parts would all differ) and is imported without one.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field

from core.text import nfc

# The dateline as exports carry it: "ĐBP - " with any dash, hyphen or colon after it, in any
# capitals, with Đ or a look-alike (Ð U+00D0, Ɖ U+0189, or a plain D where the export lost
# the stroke). Dashes: hyphen-minus, hyphen, non-breaking hyphen, figure, en and em dashes,
# horizontal bar, minus sign.
_DASHES = "\\-\u2010\u2011\u2012\u2013\u2014\u2015\u2212"
DATELINE_RE = re.compile(rf"^\s*[ĐÐƉD]BP\s*(?:[{_DASHES}]+|:)\s*", re.IGNORECASE)
# What starts like a dateline ("ĐBP", "Đ.B.P", "(ĐBP)") whatever follows: a first paragraph
# that starts so but is not a dateline DATELINE_RE knows is refused, never published with the
# dateline printed twice.
_DATELINE_LIKE_RE = re.compile(r"^\W*[ĐÐƉD]\W?B\W?P(?![^\W\d_])", re.IGNORECASE)
TITLE_MAX_LENGTH = 200
LEAD_MAX_LENGTH = 1000

_FURNITURE_RES = [
    re.compile(r"^Comment$", re.IGNORECASE),
    re.compile(r"^You have \d+/\d+ characters left$", re.IGNORECASE),
    re.compile(r"^Please enter \d+ or more characters!*$", re.IGNORECASE),
]
_RECENT_NEWS_RE = re.compile(r"^Recent news$", re.IGNORECASE)
_BULLET_RE = re.compile(r"^\s*[•·*]\s*'?(?P<title>.*?)\s*$")
# "NEWS - POLITICS -", "ECONOMY -": words, spaces and hyphens, then a final hyphen.
_LABEL_RE = re.compile(r"^(?P<label>[^\W\d_][^\W\d_\s&/-]*(?:[\s&/-]+[^\W\d_]+)*)\s*-\s*$")
_NAME_WORD_RE = re.compile(r"^[^\W\d_][\w’'.-]*$")
_NAME_SPLIT_RE = re.compile(r"\s*,\s*|\s+[-–]\s+|\s+and\s+|\s*&\s*")
_CAPTION_COMMA_RE = re.compile(r",\s+(while|with|and)\s")
# A full stop ends a sentence unless it closes one of these abbreviations.
_ABBREVIATIONS = ("Mr.", "Mrs.", "Ms.", "Dr.", "No.", "St.", "Lt.", "Col.", "Gen.", "Prof.")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class ExportError(ValueError):
    """The file cannot be read as an export at all (binary, not UTF-8 or UTF-16, empty), or
    holds something the import must not guess at (a dateline it does not recognise)."""


@dataclass(frozen=True)
class Block:
    """One piece of the body, in reading order."""

    PARAGRAPH = "paragraph"
    CAPTION = "caption"

    kind: str
    text: str


@dataclass(frozen=True)
class Byline:
    name: str
    position: str = ""


@dataclass(frozen=True)
class RecentNewsEntry:
    """Another article listed under "Recent news": becomes a teaser article."""

    title: str
    section_label: str
    lead: str


@dataclass
class ParsedExport:
    title: str
    lead: str
    original_url: str = ""
    blocks: list[Block] = field(default_factory=list)
    bylines: list[Byline] = field(default_factory=list)
    recent_news: list[RecentNewsEntry] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    needs_headline: bool = False

    @property
    def paragraphs(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == Block.PARAGRAPH]

    @property
    def captions(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind == Block.CAPTION]

    def body_html(self) -> str:
        return blocks_to_html(self.blocks)


def blocks_to_html(blocks: list[Block]) -> str:
    """The body as the HTML the article stores: <p> per paragraph, and per caption too (an
    export has no picture to pair a caption with, and a caption under no photo is never
    shown)."""
    return "\n".join(f"<p>{html.escape(block.text, quote=False)}</p>" for block in blocks)


# Byte order marks, longest first: UTF-32's little-endian mark starts with UTF-16's.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
]


def decode_export(raw: bytes) -> str:
    """The export's text: UTF-8 (a BOM is allowed), or UTF-16 or UTF-32 with their byte order
    mark (as Windows' "Unicode" saves), any line ending, in NFC.

    Raises ExportError for an empty, binary or undecodable file.
    """
    encoding = next((name for bom, name in _BOMS if raw.startswith(bom)), None)
    if encoding:
        try:
            # The codec reads the byte order from the mark and drops it.
            text = raw.decode(encoding)
        except UnicodeDecodeError as exc:
            raise ExportError(
                f"the file starts with a {encoding.upper()} byte order mark but is not "
                f"{encoding.upper()} text (bytes {exc.start}-{exc.end - 1}: {exc.reason}); "
                "save it as UTF-8 and import it again"
            ) from None
        if not text.strip():
            raise ExportError("the file is empty")
        return _checked_text(text)
    if not raw.strip():
        raise ExportError("the file is empty")
    if b"\x00" in raw:
        if _looks_like_utf16_without_bom(raw):
            raise ExportError(
                "the file looks like UTF-16 text without a byte order mark; "
                "save it as UTF-8 (or UTF-16 with a BOM) and import it again"
            )
        raise ExportError("the file is binary (it contains NUL bytes), not a text export")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ExportError(
            f"the file is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position {exc.start}); "
            "save it as UTF-8 and import it again"
        ) from None
    return _checked_text(text)


def _looks_like_utf16_without_bom(raw: bytes) -> bool:
    """Mostly ASCII text in UTF-16 puts a NUL in every other byte."""
    sample = raw[:4000]
    even, odd = sample[0::2], sample[1::2]
    return max(even.count(0), odd.count(0)) > 0.8 * (len(sample) // 2)


def _checked_text(text: str) -> str:
    if len(_CONTROL_RE.findall(text)) > max(2, len(text) // 100):
        raise ExportError("the file is binary (control characters), not a text export")
    return nfc(text.replace("\r\n", "\n").replace("\r", "\n"))


def parse_export(text: str) -> ParsedExport:
    """Turn an export's text (see decode_export) into its parts. Raises ExportError."""
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n")).replace("\ufeff", "")
    lines = [_clean(line) for line in text.split("\n")]
    warnings: list[str] = []

    content, furniture = _split_furniture(lines)
    original_url, content = _take_original(content, warnings)
    recent_news = _parse_recent_news(furniture, warnings)
    paragraphs = [line.strip() for line in content if line.strip()]
    if not paragraphs:
        raise ExportError("the file has no article text")

    needs_headline = not _looks_like_headline(paragraphs[0])
    if needs_headline:
        title = ""
        warnings.append(
            "no headline: the first line is a paragraph, so the article is imported "
            "as a Draft for an editor to give it a headline"
        )
    else:
        title = paragraphs.pop(0)

    bylines, paragraphs = _take_bylines(paragraphs, warnings)
    if not paragraphs:
        raise ExportError("the file has a headline but no article text")

    first = paragraphs.pop(0)
    if DATELINE_RE.match(first) or _DATELINE_LIKE_RE.match(first):
        first = _strip_dateline(first, line=_line_number(lines, first))
    else:
        warnings.append('the first paragraph has no dateline "ĐBP - "; it is used as the lead')
    lead, rest = split_lead(first)
    if rest:
        warnings.append(
            f"the lead is longer than {LEAD_MAX_LENGTH} characters: its end starts the body instead"
        )
        paragraphs.insert(0, rest)

    blocks = [
        Block(
            Block.CAPTION
            if index < len(paragraphs) - 1 and looks_like_caption(paragraph)
            else Block.PARAGRAPH,
            paragraph,
        )
        for index, paragraph in enumerate(paragraphs)
    ]
    if not bylines:
        warnings.append("no byline found: the article is imported without an author")
    return ParsedExport(
        title=title,
        lead=lead,
        original_url=original_url,
        blocks=blocks,
        bylines=bylines,
        recent_news=recent_news,
        warnings=warnings,
        needs_headline=needs_headline,
    )


_ORIGINAL_RE = re.compile(
    r"^\s*(?:vietnamese original|original|bản tiếng việt|đọc bằng tiếng việt|bản gốc)"
    r"\s*[:：]\s*(?P<url>https?://\S+)\s*$",
    re.IGNORECASE,
)


def _take_original(lines: list[str], warnings: list[str]) -> tuple[str, list[str]]:
    """The address of the Vietnamese original a line names, and the lines without it."""
    found, rest = [], []
    for line in lines:
        match = _ORIGINAL_RE.match(line)
        (found if match else rest).append(match.group("url") if match else line)
    if len(found) > 1:
        warnings.append(f"{len(found)} Vietnamese originals named: the first one is used")
    return (found[0] if found else ""), rest


_ROMAN = {
    numeral: value
    for value, numeral in enumerate(
        ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]
        + ["XI", "XII", "XIII", "XIV", "XV", "XVI", "XVII", "XVIII", "XIX", "XX"],
        1,
    )
}
_PART_RE = re.compile(
    r"^(?P<name>.+?)\s*(?:[\(\[]\s*part\s+(?P<a>\d{1,3}|[ivx]{1,5})\s*[\)\]]"
    r"|(?:[-–—:]\s*|\s)part\s+(?P<b>\d{1,3}|[ivx]{1,5}))\s*$",
    re.IGNORECASE,
)


def series_part_of(headline: str) -> tuple[str, int] | None:
    """(series name, part number) of a headline that names its part at the end:
    "Optimizing surplus resources (Part 2)" -> ("Optimizing surplus resources", 2)."""
    match = _PART_RE.match(headline.strip())
    if not match:
        return None
    number = match.group("a") or match.group("b")
    part = int(number) if number.isdigit() else _ROMAN.get(number.upper())
    name = match.group("name").strip(" -–—:")
    if not part or not name:
        return None
    return name, part


def _strip_dateline(text: str, *, line: int) -> str:
    """`text` without its dateline; the same dateline repeated ("ĐBP - ĐBP — …") goes too.

    Raises ExportError, naming the line, for a dateline in a form the import does not know:
    published as it is, the page would print the dateline twice.
    """
    original = text
    while DATELINE_RE.match(text):
        text = DATELINE_RE.sub("", text, count=1).strip()
    if _DATELINE_LIKE_RE.match(text):
        start = original[:30] + ("…" if len(original) > 30 else "")
        raise ExportError(
            f"line {line} starts with a dateline in a form the import does not recognise "
            f'("{start}"); write it as "ĐBP - " and import the file again'
        )
    return text


def _line_number(lines: list[str], paragraph: str) -> int:
    """The line (counted from 1) that holds `paragraph`, for messages."""
    return next((i for i, line in enumerate(lines, start=1) if line.strip() == paragraph), 0)


def split_lead(text: str) -> tuple[str, str]:
    """(lead, rest): whole sentences up to LEAD_MAX_LENGTH characters, the rest after them."""
    if len(text) <= LEAD_MAX_LENGTH:
        return text, ""
    cut = 0
    for match in re.finditer(r"[.!?][”’\")]?\s+", text):
        if match.end() > LEAD_MAX_LENGTH:
            break
        cut = match.end()
    if not cut:
        cut = text.rfind(" ", 0, LEAD_MAX_LENGTH) + 1 or LEAD_MAX_LENGTH
    return text[:cut].strip(), text[cut:].strip()


def looks_like_caption(text: str) -> bool:
    """A short one-sentence description of a photo (the rule is in the module docstring)."""
    if not text.endswith(".") or text.endswith(".."):
        return False
    if len(text.split()) > 40 or _sentence_count(text) != 1:
        return False
    if any(ch in text for ch in '“”":;'):
        return False
    commas = text.count(",")
    return commas == 0 or (commas == 1 and bool(_CAPTION_COMMA_RE.search(text)))


def looks_like_name(text: str) -> bool:
    """An author's name: 1-6 capitalised words, no digits, no sentence punctuation at the end."""
    words = text.split()
    if not 1 <= len(words) <= 6 or len(text) > 120 or text.endswith((".", ":", ";", ",")):
        return False
    return all(_NAME_WORD_RE.match(w) and w[0].isupper() for w in words)


def _clean(line: str) -> str:
    # Non-breaking and other odd spaces are ordinary spaces in running text.
    return re.sub(r"[\u00a0\u2007\u202f\t]", " ", line).rstrip()


def _sentence_count(text: str) -> int:
    masked = text
    for abbreviation in _ABBREVIATIONS:
        masked = masked.replace(abbreviation, abbreviation[:-1])
    return len(re.findall(r"[.!?][”’\")]?(?:\s+|$)", masked))


def _looks_like_headline(line: str) -> bool:
    if DATELINE_RE.match(line) or _DATELINE_LIKE_RE.match(line) or len(line) > TITLE_MAX_LENGTH:
        return False
    return not (line.endswith(".") and not line.endswith("..."))


def _split_furniture(lines: list[str]) -> tuple[list[str], list[str]]:
    """(content lines, lines from the first furniture line on)."""
    for index, line in enumerate(lines):
        stripped = line.strip()
        if _RECENT_NEWS_RE.match(stripped) or any(r.match(stripped) for r in _FURNITURE_RES):
            return lines[:index], lines[index:]
    return lines, []


def _take_bylines(paragraphs: list[str], warnings: list[str]) -> tuple[list[Byline], list[str]]:
    """Bylines from the end of the content: a name line, optionally then a position line."""
    # Name + position first: a short capitalised position ("Deputy Editor") looks like a name.
    if (
        len(paragraphs) >= 3
        and _looks_like_name_line(paragraphs[-2])
        and len(paragraphs[-1]) <= 300
        and not paragraphs[-1].endswith(".")
    ):
        return _bylines_from(paragraphs[-2], paragraphs[-1]), paragraphs[:-2]
    if len(paragraphs) >= 2 and _looks_like_name_line(paragraphs[-1]):
        return _bylines_from(paragraphs[-1], ""), paragraphs[:-1]
    return [], paragraphs


def _names(line: str) -> list[str]:
    return [n for n in _NAME_SPLIT_RE.split(line) if n]


def _looks_like_name_line(line: str) -> bool:
    return looks_like_name(line) or (
        len(_names(line)) > 1 and all(looks_like_name(n) for n in _names(line))
    )


def _bylines_from(name_line: str, position: str) -> list[Byline]:
    names = _names(name_line)
    if len(names) > 1 and all(looks_like_name(n) for n in names):
        # A shared position line belongs to the last name only when there are several.
        return [Byline(n, position if i == len(names) - 1 else "") for i, n in enumerate(names)]
    return [Byline(name_line, position)]


def _parse_recent_news(furniture: list[str], warnings: list[str]) -> list[RecentNewsEntry]:
    entries: list[RecentNewsEntry] = []
    in_list = False
    current: list[str] | None = None
    groups: list[list[str]] = []
    for line in furniture:
        stripped = line.strip()
        if not stripped:
            continue
        if not in_list:
            if _RECENT_NEWS_RE.match(stripped):
                in_list = True
            elif not any(r.match(stripped) for r in _FURNITURE_RES):
                warnings.append(
                    f"unexpected line among the page furniture, not imported: {stripped!r}"
                )
            continue
        bullet = _BULLET_RE.match(line)
        if bullet:
            current = [bullet.group("title")]
            groups.append(current)
        elif current is not None:
            current.append(stripped)
        else:
            warnings.append(f"unexpected line in Recent news, not imported: {stripped!r}")
    for group in groups:
        entry = _recent_news_entry(group, warnings)
        if entry:
            entries.append(entry)
    return entries


def _recent_news_entry(group: list[str], warnings: list[str]) -> RecentNewsEntry | None:
    bullet_title, rest = group[0], group[1:]
    title = bullet_title
    if rest and not _LABEL_RE.match(rest[0]) and not DATELINE_RE.match(rest[0]):
        # The export repeats the title without the bullet's stray apostrophe: prefer it.
        title = rest.pop(0)
    label = ""
    if rest and (match := _LABEL_RE.match(rest[0])):
        label = match.group("label").strip()
        rest.pop(0)
    lead = " ".join(rest)
    while DATELINE_RE.match(lead):
        lead = DATELINE_RE.sub("", lead, count=1).strip()
    if not title or not label or not lead:
        missing = [n for n, v in (("title", title), ("section", label), ("lead", lead)) if not v]
        warnings.append(
            f"Recent news entry {bullet_title or '?'!r} has no {' or '.join(missing)}: not imported"
        )
        return None
    return RecentNewsEntry(title=title, section_label=label, lead=lead)
