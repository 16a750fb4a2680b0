"""The counting rule: what a reader sees is what counts, whatever the keyboard produced."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from comments.validators import (
    BLANK_NAME,
    TOO_SHORT,
    validate_comment_body,
    validate_visible_name,
)
from core.text import (
    COMMENT_TRIM_CHARS,
    comment_length,
    find_banned_words,
    graphemes,
    has_visible_text,
    normalize_comment,
    visible_length,
)


def nfd(text):
    return unicodedata.normalize("NFD", text)


def nfc(text):
    return unicodedata.normalize("NFC", text)


VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐƯƠ"
)
EMOJI = ["😀", "👍🏽", "👩‍👩‍👧", "🇻🇳", "❤️", "👨‍👩‍👧‍👦", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🧑🏻‍💻"]
# Characters that show nothing: zero-width space and joiners, the combining grapheme joiner,
# word joiner, soft hyphen, variation selectors, the Mongolian vowel separator, Hangul
# fillers, the blank Braille pattern, the musical null notehead and invisible operators.
INVISIBLES = list(
    "\u200b\u200c\u200d\u034f\u2060\u00ad\ufe0f\ufe00\u180e\u3164\u115f\uffa0\u2800"
    "\U0001d159\u2062\u2063\u2064\U000e0020\u061c\u200e\u202e"
)
COMBINING = [chr(c) for c in range(0x300, 0x370)]
SPACES = list(" \t\n\r\xa0\u2003\u3000\ufeff\u200b\u2028\x85")

# Random Unicode (no lone surrogates: a browser cannot post them) weighted towards what breaks
# counters: Vietnamese in both forms, emoji sequences, stray combining marks and white space.
pieces = st.one_of(
    st.text(st.characters(exclude_categories=["Cs"]), max_size=8),
    st.text(st.sampled_from(VIETNAMESE), max_size=8),
    st.text(st.sampled_from(VIETNAMESE), max_size=8).map(nfd),
    st.sampled_from(EMOJI),
    st.sampled_from(COMBINING),
    st.text(st.sampled_from(SPACES), max_size=4),
    st.text(st.sampled_from(INVISIBLES), max_size=4),
)
texts = st.lists(pieces, max_size=12).map("".join)


def vietnamese_letters(n: int) -> str:
    """`n` Vietnamese letters (NFC), most of them with tone marks."""
    return "".join(VIETNAMESE[i % len(VIETNAMESE)] for i in range(n))


def test_500_vietnamese_letters_typed_in_nfd_are_far_more_code_points():
    assert len(nfd(vietnamese_letters(500))) > 900


@given(texts)
def test_count_is_the_same_for_nfc_and_nfd(text):
    assert comment_length(nfd(text)) == comment_length(nfc(text)) == comment_length(text)


@given(texts.map(lambda t: t.replace("\r", "")))
def test_a_browser_line_break_counts_as_one_character(text):
    crlf = text.replace("\n", "\r\n")
    old_mac = text.replace("\n", "\r")
    assert comment_length(crlf) == comment_length(old_mac) == comment_length(text)


@given(texts, st.text(st.sampled_from(COMMENT_TRIM_CHARS), max_size=5))
def test_surrounding_white_space_does_not_count(text, padding):
    assert comment_length(padding + text + padding) == comment_length(text)


@given(texts)
@example("\ufeffhello")
@example("\x85hello\x1c")
def test_stored_text_is_nfc_with_lf_trimmed_and_counted_in_graphemes(text):
    stored = normalize_comment(text)
    assert stored == nfc(stored)
    assert "\r" not in stored
    assert stored == stored.strip(COMMENT_TRIM_CHARS)
    assert normalize_comment(stored) == stored
    assert comment_length(text) == visible_length(stored) <= len(graphemes(stored))


def test_trim_matches_the_browser_not_python_strip():
    # U+FEFF is trimmed by String.prototype.trim(); U+0085 and U+001C are not (they are
    # control characters, which then count for nothing).
    assert normalize_comment("\ufeffhello\ufeff") == "hello"
    assert normalize_comment("\x85hello\x1c") == "\x85hello\x1c"
    assert comment_length("\x85hello\x1c") == 5


@given(texts)
def test_the_rule_is_5_to_500_counted_characters_with_something_visible(text):
    length = comment_length(text)
    try:
        validate_comment_body(text)
        valid = True
    except ValidationError:
        valid = False
    assert valid == (5 <= length <= 500 and has_visible_text(text))


def test_dien_bien_is_nine_characters_however_it_was_typed():
    assert len(nfd("Điện Biên")) == 12
    assert comment_length(nfd("Điện Biên")) == comment_length("Điện Biên") == 9


@pytest.mark.parametrize("form", [nfc, nfd], ids=["nfc", "nfd"])
def test_emoji_and_combining_marks_count_as_one_character_each(form):
    assert comment_length("😀😀") == 2  # four UTF-16 units
    assert comment_length("e\u0301") == 1  # composes to é
    assert comment_length("e\u0302\u0323") == 1  # ệ with no precomposed path from this order
    assert comment_length("👍🏽") == 1  # emoji + skin tone modifier
    assert comment_length("🇻🇳") == 1  # two regional indicators
    assert comment_length("👨‍👩‍👧‍👦") == 1  # seven code points joined by ZWJ
    assert comment_length("🏴󠁧󠁢󠁳󠁣󠁴󠁿") == 1  # a flag made of tag characters
    assert comment_length(form("Chúc mừng 🇻🇳!")) == 12


@pytest.mark.parametrize("form", [nfc, nfd], ids=["nfc", "nfd"])
def test_490_characters_with_emoji_are_accepted(form):
    text = form(vietnamese_letters(480)) + "🇻🇳👨‍👩‍👧‍👦🏴󠁧󠁢󠁳󠁣󠁴󠁿👍🏽❤️" * 2
    assert len(text) > 500
    assert comment_length(text) == 490
    validate_comment_body(text)


def test_three_flags_are_three_characters_and_too_short():
    with pytest.raises(ValidationError) as error:
        validate_comment_body("🇻🇳🇻🇳🇻🇳")
    assert error.value.messages == [TOO_SHORT]
    validate_comment_body("🇻🇳🇻🇳🇻🇳🇻🇳🇻🇳")


@pytest.mark.parametrize("invisible", INVISIBLES)
def test_text_of_invisible_characters_never_reaches_the_minimum(invisible):
    for text in (invisible * 20, (invisible + " ") * 20, f"Hay{invisible * 10}"):
        with pytest.raises(ValidationError) as error:
            validate_comment_body(text)
        assert error.value.messages == [TOO_SHORT]


@pytest.mark.parametrize("form", [nfc, nfd], ids=["nfc", "nfd"])
def test_invisible_characters_inside_words_add_nothing(form):
    assert comment_length(form("Đẹp\u200bquá\u034f\ufe0f")) == 6
    assert comment_length(form("Mường\u2060 \u2060Nhé")) == 9


@pytest.mark.parametrize("form", [nfc, nfd], ids=["nfc", "nfd"])
def test_a_name_is_at_most_80_characters_as_the_reader_sees_them(form):
    name = form("Nguyễn Thị Ngọc Ánh ") * 4  # 80 characters, many more code points in NFD
    validate_visible_name(name)
    validate_visible_name("🇻🇳" * 80)
    with pytest.raises(ValidationError) as error:
        validate_visible_name(name + "ệ")
    assert error.value.messages == ["Please keep your name to 80 characters (it has 81)."]


@pytest.mark.parametrize("name", ["\u200b\u200b", "\u3164", "\u034f\ufe0f", " \u2800 "])
def test_a_name_of_invisible_characters_is_no_name(name):
    with pytest.raises(ValidationError) as error:
        validate_visible_name(name)
    assert error.value.messages == [BLANK_NAME]


@pytest.mark.parametrize("form", [nfc, nfd], ids=["nfc", "nfd"])
@pytest.mark.parametrize(("length", "valid"), [(4, False), (5, True), (500, True), (501, False)])
def test_boundaries_with_vietnamese_letters(form, length, valid):
    text = form(vietnamese_letters(length))
    assert comment_length(text) == length
    if valid:
        validate_comment_body(text)
    else:
        with pytest.raises(ValidationError):
            validate_comment_body(text)


def test_four_characters_get_exactly_the_sites_message():
    with pytest.raises(ValidationError) as error:
        validate_comment_body("Hay!")
    assert error.value.messages == [TOO_SHORT]
    assert TOO_SHORT == "Please enter 5 or more characters!!!"


@pytest.mark.parametrize(
    "text", ["", "     ", "\r\n\r\n\t", "\u200b\u200b\u200b\u200b\u200b\u200b", "\u3164" * 6]
)
def test_blank_white_space_and_invisible_only_comments_are_refused(text):
    with pytest.raises(ValidationError):
        validate_comment_body(text)


def test_hangul_filler_and_blank_braille_are_not_visible_text():
    assert not has_visible_text("\u3164\u115f\u1160\uffa0\u2800")
    assert has_visible_text("\u3164a")


def test_banned_words_are_found_through_zero_width_characters_and_extra_spaces():
    assert find_banned_words("lừa\u200bđảo", ["lừa đảo"]) == ["lừa đảo"]
    assert find_banned_words("Đồ lừa   đảo", ["lừa  đảo"]) == ["lừa  đảo"]
    assert find_banned_words(nfd("Đồ LỪA ĐẢO"), ["lừa đảo"]) == ["lừa đảo"]
