"""Vietnamese text rules, in one place.

Every app imports these: NFC normalisation, accent folding (đ/Đ -> d), slugs,
the comment character count and banned-word matching. One function per rule.
"""

import functools
import re
import unicodedata

import regex
import snowballstemmer
from django.utils.text import slugify

# What String.prototype.trim() removes in every browser (ECMAScript WhiteSpace and
# LineTerminator), spelt out so the server trims exactly as static/js/comment-counter.js does.
# Python's str.strip() differs: it also strips U+001C-U+001F and U+0085, but not U+FEFF.
COMMENT_TRIM_CHARS = (
    "\t\n\v\f\r \xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
# đ/Đ are letters of their own, not d + a combining mark, so NFD does not split them.
_FOLD_TABLE = str.maketrans({"đ": "d", "Đ": "D", "ð": "d", "Ð": "D"})


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC, the form we store."""
    return unicodedata.normalize("NFC", text)


def fold(text: str) -> str:
    """Lower-case `text` and remove every diacritic: "Điện Biên Phủ" -> "dien bien phu"."""
    decomposed = unicodedata.normalize("NFD", text.translate(_FOLD_TABLE))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


def slugify_vi(text: str, max_length: int = 200) -> str:
    """A readable ASCII slug with no Vietnamese letter lost.

    Django's slugify drops "Đ"; folding first keeps it as "d".
    """
    slug = slugify(fold(text))
    return slug[:max_length].strip("-")


def normalize_comment(text: str) -> str:
    """The comment text as stored: one kind of line break, trimmed, NFC.

    A browser posts CRLF for what the reader sees as one line break, so it counts as one.
    """
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return nfc(text).strip(COMMENT_TRIM_CHARS)


# One user-perceived character (an extended grapheme cluster, UAX #29): "🇻🇳", "👨‍👩‍👧‍👦",
# "ệ" typed as e + two combining marks. Intl.Segmenter cuts text the same way in the browser.
_GRAPHEME = regex.compile(r"\X")
# Characters that show nothing on screen. A grapheme made only of them counts for nothing,
# so a comment of zero-width spaces, joiners or variation selectors is empty however long it
# is. static/js/comment-counter.js holds the same class, in the same property names.
_INVISIBLE = regex.compile(
    # Default ignorables include the Hangul fillers (U+3164, U+115F, U+1160, U+FFA0), the
    # combining grapheme joiner and the variation selectors.
    r"[\p{Default_Ignorable_Code_Point}\p{Cc}\p{Cf}\p{Mn}\p{Me}"
    # Blank-looking symbols that Unicode does not call ignorable: the blank Braille pattern
    # and the musical null notehead.
    r"\u2800\U0001D159]"
)
_TRIM = frozenset(COMMENT_TRIM_CHARS)


def graphemes(text: str) -> list[str]:
    """`text` cut into the characters a reader sees (extended grapheme clusters)."""
    return _GRAPHEME.findall(text)


def _is_blank(cluster: str) -> bool:
    """True for a cluster made of white space and characters that show nothing."""
    return all(ch in _TRIM or _INVISIBLE.match(ch) for ch in cluster)


def visible_length(text: str) -> int:
    """Characters in `text` as a reader sees them: grapheme clusters, where one that shows
    nothing (zero-width, invisible) counts 0 and white space counts only between visible
    characters. "🇻🇳" is 1, "Điện Biên" is 9 in NFC and NFD alike, nine zero-width spaces are 0.

    static/js/comment-counter.js counts exactly the same way (visibleLength).
    """
    clusters = graphemes(text)
    blank = [_is_blank(c) for c in clusters]
    try:
        first = blank.index(False)
    except ValueError:
        return 0
    last = len(blank) - 1 - blank[::-1].index(False)
    inside = zip(clusters[first : last + 1], blank[first : last + 1], strict=True)
    return sum(
        1
        for cluster, is_blank in inside
        # A blank cluster between visible ones counts if it holds white space (the gap a
        # reader sees between words), not if it is only zero-width characters.
        if not is_blank or any(ch in _TRIM for ch in cluster)
    )


def comment_length(text: str) -> int:
    """Characters in a comment (or a name) as the reader sees them, after the stored form's
    normalisation (normalize_comment): see visible_length."""
    return visible_length(normalize_comment(text))


def has_visible_text(text: str) -> bool:
    """False for blank, whitespace-only or invisible-only (zero-width) text."""
    return visible_length(text) > 0


# Letters of other scripts that look like Latin ones, as a reader would read them in a Latin
# word. Capitals are mapped before case folding (Cyrillic "Н" reads as H, its small "н" does
# not read as h), small letters after it.
_LOOKALIKE_CAPITALS = str.maketrans(
    {
        **dict(zip("АВЕЅІЈКМНОРСТХУ", "ABESIJKMHOPCTXY", strict=True)),  # Cyrillic
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),  # Greek
        "Ð": "Đ",  # Icelandic eth, the export's and the keyboard's look-alike of Đ
        "Ɖ": "Đ",  # African D
    }
)
_LOOKALIKE_SMALL = str.maketrans(
    {
        **dict(zip("аеорсухѕіјһԁԛԝӏ", "aeopcyxsijhdqwl", strict=True)),  # Cyrillic
        **dict(zip("αορνυικτχ", "aopvuiktx", strict=True)),  # Greek
        "ð": "đ",
        "ɖ": "đ",
        "ı": "i",  # dotless i
        "ɑ": "a",
        "ɡ": "g",
    }
)
# Characters that hide inside a word without showing: zero-width spaces and joiners, the
# combining grapheme joiner, variation selectors, soft hyphens, bidirectional marks, tags.
_HIDDEN = regex.compile(r"[\p{Default_Ignorable_Code_Point}\p{Cf}]")
_WORD = regex.compile(r"[\p{L}\p{M}\p{N}]+")
# What may stand between the letters of one word written apart: "n-g-u", "n.g.u", "l*ừ*a".
_TIGHT_GAP = regex.compile(r"[\p{P}\p{S}]{1,3}")
# What may stand between single letters spelt out: "n g u", "đ . ồ".
_SPELT_GAP = regex.compile(r"[\s\p{P}\p{S}]{1,3}")


def match_form(text: str) -> str:
    """`text` as banned-word matching compares it: what a reader could not tell apart made
    equal, tones kept. Fullwidth and other compatibility letters become plain ones (NFKC),
    hidden characters go, look-alike Cyrillic and Greek letters become the Latin ones they
    pass for, and case is folded; the result is NFC.

    "ＮＧＵ", "n\u200bgu" and Cyrillic "ngυ" all become "ngu"; "ngủ" stays "ngủ".
    """
    decomposed = unicodedata.normalize("NFD", unicodedata.normalize("NFKC", text))
    visible = _HIDDEN.sub("", decomposed).translate(_LOOKALIKE_CAPITALS)
    return nfc(visible.casefold().translate(_LOOKALIKE_SMALL))


def _is_single_letter(word: str) -> bool:
    return len(graphemes(word)) == 1 and word[0].isalpha()


def _word_sequences(text: str) -> tuple[list[str], list[str]]:
    """The words of `text` (already in match_form), and the same words with the pieces of a
    word written apart joined again: "lừa-đảo" -> "lừađảo", "đ ồ n.g.ố.c" -> "đồngốc"."""
    matches = list(_WORD.finditer(text))
    words = [m.group() for m in matches]
    joined = words[:1]
    for previous, current in zip(matches, matches[1:], strict=False):
        gap = text[previous.end() : current.start()]
        spelt = _is_single_letter(previous.group()) and _is_single_letter(current.group())
        if _TIGHT_GAP.fullmatch(gap) or (spelt and _SPELT_GAP.fullmatch(gap)):
            joined[-1] += current.group()
        else:
            joined.append(current.group())
    return words, joined


def _contains(words: list[str], phrase: list[str], key) -> bool:
    n = len(phrase)
    wanted = [key(p) for p in phrase]
    return any([key(w) for w in words[i : i + n]] == wanted for i in range(len(words) - n + 1))


def find_banned_words(text: str, banned) -> list[str]:
    """The banned words (or phrases) that occur in `text` as whole words.

    `banned` holds words, matched tone for tone, or (word, any_tones) pairs: with any_tones a
    word the editor wrote without tones matches it with any tones ("ngu" then also catches
    "ngủ"). Either way case, NFC/NFD, fullwidth and look-alike letters, hidden characters
    and words written apart ("n-g-u", "n g u", "lừa.đảo") do not matter; "ngu" never matches
    "ngũ", and "đồ ngốc" never matches the name Đỗ Ngọc.
    """
    words, joined = _word_sequences(match_form(text))
    found = []
    for entry in banned:
        word, any_tones = (entry, False) if isinstance(entry, str) else entry
        phrase = _WORD.findall(match_form(word))
        if not phrase:
            continue
        key = fold if any_tones else str
        whole = ["".join(phrase)]
        if (
            _contains(words, phrase, key)
            or _contains(joined, phrase, key)
            or _contains(words, whole, key)
            or _contains(joined, whole, key)
        ):
            found.append(word)
    return found


def find_words(text: str, words) -> list[str]:
    """The `words` (or phrases) that occur in `text` as whole words, accents folded on both
    sides. Word boundaries are Unicode-aware, so an accented letter never splits a word.
    """
    # Zero-width and other format characters would otherwise hide a word: "lừa\u200bđảo".
    folded = "".join(ch for ch in fold(text) if unicodedata.category(ch) != "Cf")
    found = []
    for word in words:
        parts = fold(word).split()
        if not parts:
            continue
        pattern = r"(?<!\w)" + r"\s+".join(map(re.escape, parts)) + r"(?!\w)"
        if re.search(pattern, folded):
            found.append(word)
    return found


# A search word: letters and digits only. Everything else (punctuation, "_", symbols,
# U+FFFD from undecodable bytes, NUL) separates words, in the stored documents and in
# queries alike, so both sides are cut the same way.
_SEARCH_WORD = re.compile(r"[^\W_]+")


# A number written with thousands separators, "3,500" or "3.500" (Vietnamese), is one word.
_GROUPED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[.,]\d{3})+(?![\d])")


def _search_text(text: str) -> str:
    """NFKC (fullwidth "Ｄｉｅｎ" -> "Dien") and numbers ungrouped ("3,500" -> "3500")."""
    text = unicodedata.normalize("NFKC", text)
    return _GROUPED_NUMBER.sub(lambda m: re.sub(r"[.,]", "", m.group()), text)


def search_words(text: str) -> list[str]:
    """The folded words of `text`, in order: "Điện Biên-Phủ!" -> ["dien", "bien", "phu"]."""
    return _SEARCH_WORD.findall(fold(_search_text(text)))


def search_document(text: str) -> str:
    """Folded words joined by single spaces, with a space on each side.

    The padding lets a plain `LIKE '% word%'` find words that start with a term.
    """
    words = search_words(text)
    return f" {' '.join(words)} " if words else ""


# Terms this short match whole words only: "lê" finds "Lê", not "Leading" or "Lê Lợi's".
WHOLE_WORD_MAX_LENGTH = 2
_english = snowballstemmer.stemmer("english")


class SearchTerm(str):
    """One folded query word (it is the str), with what else it matches.

    - `exact`: the word as typed, lower-cased, when it carries marks ("phủ"): stories with
      exactly that spelling rank above those with another ("phú", "phụ").
    - `whole`: a short word matches whole words only; a longer one, words starting with it.
    - `variants`: other spellings that match as well, each a run of consecutive folded
      words: the English stem ("teachers" -> "teacher"), and a number of four digits or
      more in thousands ("3500" -> "3 500", as documents stored before numbers were joined).
    """

    exact: str | None
    whole: bool
    variants: tuple[tuple[str, ...], ...]

    def __new__(cls, word: str, *, typed: str | None = None):
        term = super().__new__(cls, word)
        typed = fold_case(typed) if typed else None
        term.exact = typed if typed and typed != word else None
        term.whole = len(word) <= WHOLE_WORD_MAX_LENGTH
        variants = []
        if word.isdigit() and len(word) > 3:
            head = len(word) % 3 or 3
            variants.append((word[:head], *(word[i : i + 3] for i in range(head, len(word), 3))))
        elif word.isascii() and word.isalpha() and (typed is None or typed.isascii()):
            stem = _english.stemWord(word)
            if stem != word and len(stem) > WHOLE_WORD_MAX_LENGTH:
                variants.append((stem,))
        term.variants = tuple(variants)
        return term

    @property
    def spellings(self) -> tuple[tuple[str, ...], ...]:
        """The word itself, then its variants: every run of folded words it matches."""
        return ((str(self),), *self.variants)


def fold_case(text: str) -> str:
    """`text` as search compares exact spellings: NFKC, lower case, marks kept ("Phủ" -> "phủ")."""
    return nfc(_search_text(text)).lower()


def search_terms(query: str, *, max_length: int = 200, max_terms: int = 8) -> list[SearchTerm]:
    """The distinct folded words of a reader's query, in order, within the limits.

    Over-long queries are cut (not refused) so a pasted paragraph still finds something.
    """
    terms = []
    for typed in _SEARCH_WORD.findall(fold_case(query[:max_length])):
        words = search_words(typed)
        for word in words:
            if word not in terms:
                terms.append(SearchTerm(word, typed=typed if len(words) == 1 else None))
    return terms[:max_terms]


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """`text` folded one character at a time, and for each folded character the index of
    the original character it came from.

    Folding can change the length ("ß" -> "ss"; a combining mark -> nothing), so a match
    found in the folded text is mapped back through these offsets.
    """
    if text.isascii():
        # Folding ASCII only lower-cases it, one character for one.
        return text.lower(), list(range(len(text)))
    pieces = [*map(_fold_character, text)]
    if set(map(len, pieces)) <= {1}:
        return "".join(pieces), list(range(len(text)))
    offsets = []
    for index, out in enumerate(pieces):
        offsets.extend([index] * len(out))
    return "".join(pieces), offsets


@functools.lru_cache(maxsize=4096)
def _fold_character(ch: str) -> str:
    # A page highlights thousands of characters drawn from a few dozen letters.
    return fold(unicodedata.normalize("NFKC", ch))


def _term_pattern(term: str) -> str:
    """The regular expression, over folded text, of the words `term` marks."""
    spellings = term.spellings if isinstance(term, SearchTerm) else ((term,),)
    whole = isinstance(term, SearchTerm) and term.whole
    alternatives = []
    for words in spellings:
        if len(words) > 1:  # a grouped number: "3,500", "3.500" or "3 500"
            alternatives.append(r"[.,\s]?".join(map(re.escape, words)) + r"(?!\d)")
        elif whole:
            alternatives.append(re.escape(words[0]) + r"(?![^\W_])")
        else:
            alternatives.append(re.escape(words[0]) + r"[^\W_]*")
    return "|".join(alternatives)


def match_spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """(start, end) spans of the words of `text` that `terms` (folded) match: words starting
    with a term, or equal to it for a short one (SearchTerm.whole), or one of its variants."""
    if not terms:
        return []
    folded, offsets = fold_with_offsets(text)
    ordered = sorted(terms, key=len, reverse=True)
    alternatives = "|".join(_term_pattern(t) for t in ordered)
    pattern = re.compile(rf"(?<![^\W_])(?:{alternatives})")
    spans = []
    for m in pattern.finditer(folded):
        if m.end() == m.start():
            continue
        start, end = offsets[m.start()], offsets[m.end() - 1] + 1
        # Keep combining marks that follow the last letter inside the span (NFD input).
        while end < len(text) and unicodedata.combining(text[end]):
            end += 1
        spans.append((start, end))
    return spans


# The 12 vowels of Vietnamese, each with no tone mark and with the five tone marks (grave,
# hook, tilde, acute, dot below), and đ: 73 letters, 146 with their capitals.
_VOWELS = "aăâeêioôơuưy"
_TONES = ("", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323")
VIETNAMESE_LETTERS = tuple(
    letter
    for base in _VOWELS + "đ"
    for tone in (_TONES if base != "đ" else ("",))
    for letter in (nfc(base + tone), nfc(base + tone).upper())
)


# Letters of Vietnamese that no other language written in Latin letters uses in everyday
# text: ă, đ, ĩ, ũ, ơ, ư and the toned vowels of Unicode's Latin Extended Additional block
# (ạ, ả, ấ ... ỹ), less ỳ/Ỳ, which Welsh writes too. à, é, ô and the rest of Latin-1 are
# French, Portuguese ... as well, so they prove nothing on their own.
VIETNAMESE_ONLY_LETTERS = frozenset(
    letter
    for letter in VIETNAMESE_LETTERS
    if not ("\u00c0" <= letter <= "\u00ff" or letter in "ỳỲ" or letter.isascii())
)
_LETTER_WORD = re.compile(r"[^\W\d_]+")


def is_vietnamese(text: str) -> bool:
    """Whether `text` (a comment, a name) is written in Vietnamese, not just naming a place.

    Two signs, both required: at least one letter only Vietnamese uses
    (VIETNAMESE_ONLY_LETTERS), and at least two words in five carrying a mark, as nearly
    every Vietnamese sentence does ("Cảm ơn tòa soạn": 3 of 4) while an English sentence
    naming Điện Biên does not (2 of 9). Vietnamese typed without marks is not detected.
    """
    text = nfc(text)
    if not any(ch in VIETNAMESE_ONLY_LETTERS for ch in text):
        return False
    words = _LETTER_WORD.findall(text)
    marked = sum(1 for word in words if not word.isascii())
    return 5 * marked >= 2 * len(words)
