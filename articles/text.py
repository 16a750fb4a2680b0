"""Vietnamese text rules, in one place.

Every app imports these: NFC normalisation, accent folding (đ/Đ -> d), slugs,
the comment character count and banned-word matching. One function per rule.
"""

import re
import unicodedata

from django.utils.text import slugify

# Characters that take up no space on screen: a comment made only of them is blank.
_INVISIBLE_CATEGORIES = {"Cf", "Cc", "Zs", "Zl", "Zp", "Mn", "Me"}
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
    return nfc(text).strip()


def comment_length(text: str) -> int:
    """Characters in a comment, counted as the reader sees them (code points after NFC).

    static/js/comment-counter.js counts exactly the same way.
    """
    return len(normalize_comment(text))


def has_visible_text(text: str) -> bool:
    """False for blank, whitespace-only or invisible-only (zero-width) text."""
    return any(
        not ch.isspace() and unicodedata.category(ch) not in _INVISIBLE_CATEGORIES for ch in text
    )


def find_banned_words(text: str, banned: list[str] | tuple[str, ...]) -> list[str]:
    """The banned words that occur in `text` as whole words, accents folded on both sides."""
    return find_words(text, banned)


def find_words(text: str, words) -> list[str]:
    """The `words` (or phrases) that occur in `text` as whole words, accents folded on both
    sides. Word boundaries are Unicode-aware, so an accented letter never splits a word.
    """
    folded = fold(text)
    found = []
    for word in words:
        needle = fold(word).strip()
        if not needle:
            continue
        pattern = r"(?<!\w)" + re.escape(needle).replace(r"\ ", r"\s+") + r"(?!\w)"
        if re.search(pattern, folded):
            found.append(word)
    return found
