"""Banned words match words as the editor wrote them, tone for tone, and see through what
hides a word; they never catch an innocent word that differs only in tones."""

import unicodedata
from pathlib import Path

import pytest

from core.text import find_banned_words, graphemes, match_form

BANNED = ["ngu", "đồ ngốc", "lừa đảo", "khốn nạn", "mẹ kiếp", "chó má", "đần độn", "casino"]
INNOCENT = sorted(
    {
        line.strip()
        for line in (Path(__file__).parent / "data" / "innocent_vietnamese.txt")
        .read_text(encoding="utf-8")
        .splitlines()
        if line.strip() and not line.startswith("#")
    }
)
# Comments readers really write with words one tone away from a banned word.
INNOCENT_COMMENTS = [
    "Chúc cả nhà ngủ ngon!",
    "Ngũ cốc Điện Biên rất ngon.",
    "Câu chuyện này ngụ ý gì vậy?",
    "Cá ngừ đại dương giá bao nhiêu?",
    "Bà con ngư dân vui mừng.",
    "Tôi là Đỗ Ngọc Ánh, ở Mường Thanh.",
    "Cảm ơn nhà báo Đỗ Ngọc đã viết bài.",
    "Đồ ngọt ở chợ Mường Thanh rất rẻ.",
    "Con lừa trên đảo Cát Bà.",
    "Lúa đã chín vàng ở Thanh Nưa.",
    "Nạn nhân đã được đưa đi cấp cứu.",
    "Mẹ tôi nói kiếp người ngắn lắm.",
    "Chó mèo nhà tôi rất ngoan.",
    "Ngôn ngữ Thái thật đẹp.",
    "Ngựa ô của bản Him Lam.",
    "Nguyễn Văn An, Tuần Giáo.",
]


def nfd(text):
    return unicodedata.normalize("NFD", text)


def letters(word):
    """`word` cut into the letters a reader sees, spaces dropped."""
    return graphemes(word.replace(" ", ""))


FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}
CYRILLIC = dict(zip("aeopcyxi", "аеорсухі", strict=True))
GREEK = dict(zip("aopvuik", "αορνυικ", strict=True))


def substitute(word, table):
    """`word` in NFD with its base letters swapped through `table`, tone marks kept."""
    return "".join(table.get(ch, ch) for ch in nfd(word))


def hidden_forms(word):
    """The ways a reader hides `word`, each with a name for the test report."""
    split = letters(word)
    forms = {
        "upper": word.upper(),
        "title": word.title(),
        "nfd": nfd(word),
        "nfd-upper": nfd(word.upper()),
        "hyphens": "-".join(split),
        "dots": ".".join(split),
        "spaces": " ".join(split),
        "spaced-hyphens": " - ".join(split),
        "underscores": "_".join(split),
        "stars": "*".join(split),
        "nfd-dots": nfd(".".join(split)),
        "fullwidth": unicodedata.normalize("NFC", substitute(word, FULLWIDTH)),
        "fullwidth-nfd": substitute(word, FULLWIDTH),
        "cyrillic": substitute(word, CYRILLIC),
        "cyrillic-upper": substitute(word, CYRILLIC).upper(),
        "greek": substitute(word, GREEK),
        "eth": word.replace("đ", "ð").replace("Đ", "Ð"),
        "no-space": word.replace(" ", ""),
        "phrase-hyphen": word.replace(" ", "-"),
        "phrase-newline": word.replace(" ", "\n\n"),
    }
    for name, hider in {
        "zwsp": "\u200b",
        "zwnj": "\u200c",
        "zwj": "\u200d",
        "word-joiner": "\u2060",
        "soft-hyphen": "\u00ad",
        "cgj": "\u034f",
        "vs16": "\ufe0f",
        "vs1": "\ufe00",
        "rtl-mark": "\u200f",
        "bom": "\ufeff",
    }.items():
        forms[name] = hider.join(split)
        # Inside a letter too: between the base letter and its tone marks.
        forms[name + "-in-letters"] = hider.join(nfd(word))
    forms["cyrillic-zwsp-nfd"] = "\u200b".join(substitute(word, CYRILLIC))
    return forms


CASES = [(word, name, form) for word in BANNED for name, form in hidden_forms(word).items()]


@pytest.mark.parametrize(
    ("word", "form"),
    [(w, f) for w, _, f in CASES],
    ids=[f"{w}-{n}" for w, n, _ in CASES],
)
def test_every_hidden_form_of_a_banned_word_is_caught(word, form):
    assert find_banned_words(f"Bài này {form} thật!", BANNED) == [word]


def test_the_corpus_is_large_enough_to_mean_something():
    assert len(INNOCENT) >= 500
    assert {"ngủ", "ngũ", "ngụ", "ngừ", "ngư", "Đỗ Ngọc Ánh"} <= set(INNOCENT)


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_no_innocent_word_or_name_is_flagged(form):
    flagged = {
        entry: find_banned_words(unicodedata.normalize(form, entry), BANNED) for entry in INNOCENT
    }
    assert {entry: found for entry, found in flagged.items() if found} == {}
    upper = {e: find_banned_words(e.upper(), BANNED) for e in INNOCENT}
    assert {entry: found for entry, found in upper.items() if found} == {}


@pytest.mark.parametrize("form", ["NFC", "NFD"])
@pytest.mark.parametrize("comment", INNOCENT_COMMENTS)
def test_innocent_comments_one_tone_away_are_not_flagged(comment, form):
    assert find_banned_words(unicodedata.normalize(form, comment), BANNED) == []


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_a_word_written_without_tones_matches_any_tones_only_if_the_editor_says_so(form):
    text = unicodedata.normalize(form, "Chúc cả nhà ngủ ngon, đồ ngon")
    assert find_banned_words(text, ["ngu"]) == []
    assert find_banned_words(text, [("ngu", True)]) == ["ngu"]
    assert find_banned_words("Bọn LỪA ĐẢO", [("lua dao", True)]) == ["lua dao"]
    assert find_banned_words("Bọn LỪA ĐẢO", [("lua dao", False)]) == []


def test_only_whole_words_match():
    assert find_banned_words("Nguyễn ngừng nguy", BANNED) == []
    assert find_banned_words("casinos and casino", BANNED) == ["casino"]
    assert find_banned_words("thualua", [("lua", True)]) == []


def test_match_form_keeps_tones_and_drops_what_hides_them():
    assert match_form("ＮＧỦ") == "ngủ"
    assert match_form(nfd("Ngủ")) == "ngủ"
    assert match_form("n\u200bg\u034fu\ufe0f") == "ngu"
    assert match_form("Ðỗ") == "đỗ"
    assert match_form("ngυ") == "ngu"
