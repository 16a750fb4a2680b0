"""Which text is written in Vietnamese (core.text.is_vietnamese), in NFC and NFD alike."""

import unicodedata

import pytest

from core.text import VIETNAMESE_LETTERS, VIETNAMESE_ONLY_LETTERS, is_vietnamese


def nfd(text):
    return unicodedata.normalize("NFD", text)


@pytest.mark.parametrize(
    "text",
    [
        "Cảm ơn tòa soạn đã đưa tin kịp thời.",
        "Mong tỉnh tiếp tục quan tâm đến bà con vùng cao.",
        "Quê tôi ở Mường Chà, đọc bài này thấy rất tự hào!",
        "Lò Thị Mai",
        "Đức Linh",
        "Đẹp quá!",
    ],
)
@pytest.mark.parametrize("form", [str, nfd], ids=["NFC", "NFD"])
def test_vietnamese_sentences_and_names_are_recognised(text, form):
    assert is_vietnamese(form(text))


@pytest.mark.parametrize(
    "text",
    [
        "Great to see the province investing in Điện Biên.",
        "When will the results be published for the other districts?",
        "Café crème à Paris, señor",
        "Ysgol Gymraeg ỳ",
        "Bench reader 1",
        "",
    ],
)
@pytest.mark.parametrize("form", [str, nfd], ids=["NFC", "NFD"])
def test_english_naming_a_place_and_other_latin_languages_are_not(text, form):
    assert not is_vietnamese(form(text))


def test_there_are_146_vietnamese_letters_and_latin_1_proves_nothing():
    assert len(set(VIETNAMESE_LETTERS)) == 146
    assert {"ă", "Đ", "ơ", "Ư", "ự", "Ỗ", "ẳ"} <= VIETNAMESE_ONLY_LETTERS
    assert not {"à", "é", "ô", "Ê", "ỳ", "a"} & VIETNAMESE_ONLY_LETTERS
