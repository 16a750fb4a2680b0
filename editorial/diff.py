"""A readable comparison of two article revisions, word by word."""

import difflib
import re

from django.utils.html import escape, strip_tags
from django.utils.safestring import mark_safe

from editorial.revisions import REVISION_FIELDS, revision_value

BLOCK_END = re.compile(r"</(p|h[2-4]|li|blockquote|figcaption)>|<br\s*/?>", re.IGNORECASE)


def as_text(name: str, value: str) -> str:
    """What a reader would read: the body's HTML as plain text, one block per line."""
    if name == "body":
        return strip_tags(BLOCK_END.sub("\n", value)).strip()
    return value


def word_diff(old: str, new: str) -> str:
    """HTML with removed words in <del> and added words in <ins>; everything escaped."""
    a, b = re.split(r"(\s+)", old), re.split(r"(\s+)", new)
    out = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(escape("".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(f"<del>{escape(''.join(a[i1:i2]))}</del>")
        if j2 > j1:
            out.append(f"<ins>{escape(''.join(b[j1:j2]))}</ins>")
    return mark_safe("".join(out).replace("\n", "<br>"))  # noqa: S308 - every part escaped


def revision_diff(old, new) -> list[dict]:
    """One row per revision field: its name, whether it changed, and the marked-up diff."""
    rows = []
    for name in REVISION_FIELDS:
        before = as_text(name, revision_value(old, name))
        after = as_text(name, revision_value(new, name))
        rows.append({"field": name, "changed": before != after, "diff": word_diff(before, after)})
    return rows
