import unicodedata

import pytest

from core.text import (
    find_banned_words,
    fold,
    fold_with_offsets,
    has_visible_text,
    match_spans,
    nfc,
    search_document,
    slugify_vi,
)


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize("form", [nfc, nfd])
def test_slug_keeps_every_vietnamese_letter(form):
    title = form("Điện Biên faces shortage of specialized subject teachers")
    assert slugify_vi(title) == "dien-bien-faces-shortage-of-specialized-subject-teachers"


@pytest.mark.parametrize(
    ("title", "slug"),
    [
        ("Quài Tở restructures agriculture", "quai-to-restructures-agriculture"),
        ("Đồng bào Mường Nhé đón Tết", "dong-bao-muong-nhe-don-tet"),
        ("Hồ Chí Minh’s ideology", "ho-chi-minhs-ideology"),
        ("ĐƯỜNG LÊN ĐIỆN BIÊN PHỦ", "duong-len-dien-bien-phu"),
    ],
)
def test_slug_from_vietnamese_titles(title, slug):
    assert slugify_vi(title) == slug


def test_fold_removes_accents_and_case_from_nfc_and_nfd_alike():
    assert fold("Điện Biên Phủ") == "dien bien phu"
    assert fold(nfd("DIỆN BIÊN PHỦ")) == "dien bien phu"


def test_nfc_composes_combining_marks():
    assert len(nfd("Điện Biên")) == 12
    assert len(nfc(nfd("Điện Biên"))) == 9


def test_zero_width_only_text_is_not_visible():
    assert not has_visible_text("\u200b\u200c\u200d \n\t\ufeff")
    assert has_visible_text("\u200bĐ")


def test_banned_words_match_whole_words_tone_for_tone():
    assert find_banned_words("Đồ lừa đảo!", ["lừa đảo"]) == ["lừa đảo"]
    assert find_banned_words("Do lua dao", ["lừa đảo"]) == []
    assert find_banned_words("Đồ lừa đảo!", [("lua dao", True)]) == ["lua dao"]
    # "lừa" inside a longer word is not a match, and accented letters are not boundaries.
    assert find_banned_words("thualua", [("lua", True)]) == []
    assert find_banned_words("thuạlừa", [("lua", True)]) == []


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_search_document_folds_and_pads_words(form):
    text = unicodedata.normalize(form, "Điện Biên-Phủ, 1954!  Mường_Thanh")
    assert search_document(text) == " dien bien phu 1954 muong thanh "
    assert search_document("¡¿ —") == ""


def test_fold_with_offsets_maps_every_folded_character_back():
    text = unicodedata.normalize("NFD", "Đà") + " ß"
    folded, offsets = fold_with_offsets(text)
    assert folded == "da ss"
    assert [text[i] for i in offsets] == ["Đ", "a", " ", "ß", "ß"]


@pytest.mark.parametrize("text", ["Tea MARKET", "Mường THANH", "Ｔｅａ ĐBP"])
def test_fold_with_offsets_maps_one_character_to_one_when_folding_keeps_the_length(text):
    folded, offsets = fold_with_offsets(text)
    assert folded == "".join(fold(unicodedata.normalize("NFKC", ch)) for ch in text)
    assert offsets == list(range(len(text)))


def test_match_spans_cover_whole_words_starting_with_a_term():
    assert match_spans("Điện Biên Phủ, Mường Phăng", ["phu", "ph"]) == [(10, 13), (21, 26)]
    assert match_spans("Điện Biên", []) == []
