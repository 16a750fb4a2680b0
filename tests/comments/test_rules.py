"""The counting rule: what a reader sees is what counts, whatever the keyboard produced."""

import unicodedata

import pytest
from django.core.exceptions import ValidationError
from hypothesis import example, given
from hypothesis import strategies as st

from comments.validators import TOO_SHORT, validate_comment_body
from core.text import (
    COMMENT_TRIM_CHARS,
    comment_length,
    find_banned_words,
    has_visible_text,
    normalize_comment,
)


def nfd(text):
    return unicodedata.normalize("NFD", text)


def nfc(text):
    return unicodedata.normalize("NFC", text)


VIETNAMESE = (
    "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạắằẳẵặấầẩẫậéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵĐƯƠ"
)
EMOJI = ["😀", "👍🏽", "👩‍👩‍👧", "🇻🇳", "❤️"]
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
def test_stored_text_is_nfc_with_lf_trimmed_and_counted_in_code_points(text):
    stored = normalize_comment(text)
    assert stored == nfc(stored)
    assert "\r" not in stored
    assert stored == stored.strip(COMMENT_TRIM_CHARS)
    assert normalize_comment(stored) == stored
    assert comment_length(text) == len(stored)


def test_trim_matches_the_browser_not_python_strip():
    # U+FEFF is trimmed by String.prototype.trim(); U+0085 and U+001C are not.
    assert comment_length("\ufeffhello\ufeff") == 5
    assert comment_length("\x85hello") == 6
    assert comment_length("hello\x1c") == 6


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


def test_emoji_and_combining_marks_count_as_code_points():
    assert comment_length("😀😀") == 2  # four UTF-16 units
    assert comment_length("e\u0301") == 1  # composes to é
    assert comment_length("👍🏽") == 2  # emoji + skin tone modifier: two code points


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
    assert find_banned_words("lừa\u200bđảo", ["luadao"]) == ["luadao"]
    assert find_banned_words("Đồ lừa   đảo", ["lua  dao"]) == ["lua  dao"]
    assert find_banned_words(nfd("Đồ LỪA ĐẢO"), ["lừa đảo"]) == ["lừa đảo"]
