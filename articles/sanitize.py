"""The one allow-list that article body HTML passes through on every save."""

import re
from html import unescape

import nh3

ALLOWED_TAGS = {
    "p", "br", "h2", "h3", "h4", "ul", "ol", "li", "a", "strong", "b", "em", "i", "u",
    "blockquote", "figure", "figcaption", "img", "hr", "sub", "sup", "span",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "loading"},
    "figure": set(),
    # A span marks words in another language (<span lang="vi">Mường Nhé</span>), so screen
    # readers pronounce them as Vietnamese and browsers pick Vietnamese typography.
    "span": {"lang"},
}
# A language tag such as "vi", "en-GB" or "zh-Hant" (BCP 47's shape); anything else is dropped.
_LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}
# Sanitised HTML has no comments or scripts, so a tag is simply "<" up to ">".
_TAG = re.compile(r"<[^>]*>")


def sanitize_html(html: str) -> str:
    """Return `html` with every tag, attribute and URL scheme outside the allow-list removed."""
    return nh3.clean(
        html or "",
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
        attribute_filter=_keep_attribute,
    )


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "lang":
        return value if _LANGUAGE_TAG.fullmatch(value) else None
    return value


def html_to_text(html: str) -> str:
    """The words of sanitised body HTML as plain text: every tag becomes a space (so
    "<p>one</p><p>two</p>" stays two words) and character references are decoded."""
    return unescape(_TAG.sub(" ", html or ""))
